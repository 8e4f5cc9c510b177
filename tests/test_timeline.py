"""`reconcile timeline`: claims in date order, superseded claims, and the chart on a shared axis."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from reconcile.analysis.claims import Filters
from reconcile.analysis.timeline import Timeline, timeline
from reconcile.cli.app import app
from reconcile.io.load import load
from reconcile.output import terminal as render
from reconcile.output.terminal import ValueAxis, chart_axis, chart_track


def plain(renderable: object) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=80, no_color=True, highlight=False, soft_wrap=False).print(renderable)
    return [line.rstrip() for line in out.getvalue().splitlines()]


def by_scope(path: Path, name: str) -> dict[tuple[str, bool], Timeline]:
    result = timeline(load(path), name, Filters())
    return {(t.comparison.scope, t.comparison.projection): t for t in result.timelines}


def test_claims_are_in_date_order_and_scopes_apart(evolving_dataset: Path) -> None:
    timelines = by_scope(evolving_dataset, "killed")
    assert list(timelines) == [("cumulative", False), ("period 2025-01-01 to 2025-01-07", False)]
    cumulative = timelines[("cumulative", False)]
    assert [r.claim for r in cumulative.comparison.rows] == [
        "analysts-killed-early",
        "ministry-killed",
        "analysts-killed",
        "ministry-killed-later",
    ]
    assert [str(r.date) for r in cumulative.comparison.rows] == [
        "2024-12-27",
        "2025-01-06",
        "2025-01-16",
        "2025-02-20",
    ]
    assert [r.claim for r in timelines[("period 2025-01-01 to 2025-01-07", False)].comparison.rows] == [
        "official-killed-week"
    ]


def test_superseded_claims_point_to_the_same_originators_next_claim(evolving_dataset: Path) -> None:
    timelines = by_scope(evolving_dataset, "deployed")
    assert timelines[("cumulative", False)].superseded_by == {
        "analysts-deployed-old": "analysts-deployed",
        "official-deployed-early": "official-deployed",
    }
    # The projection is a timeline of its own, so it supersedes nothing among the counts.
    assert [r.claim for r in timelines[("cumulative", True)].comparison.rows] == [
        "analysts-deployed-projection"
    ]
    assert timelines[("cumulative", True)].superseded_by == {}
    assert by_scope(evolving_dataset, "killed")[("cumulative", False)].superseded_by == {
        "analysts-killed-early": "analysts-killed",
        "ministry-killed": "ministry-killed-later",
    }


def test_filters_apply(evolving_dataset: Path) -> None:
    result = timeline(load(evolving_dataset), "casualties", Filters(sources=("ministry",)))
    assert [r.claim for t in result.timelines for r in t.comparison.rows] == [
        "ministry-killed",
        "ministry-killed-later",
        "ministry-wounded",
    ]
    as_of = timeline(load(evolving_dataset), "killed", Filters(as_of=date(2025, 1, 10)))
    cumulative = as_of.timelines[0]
    assert [r.claim for r in cumulative.comparison.rows] == ["analysts-killed-early", "ministry-killed"]
    assert cumulative.superseded_by == {}


def test_same_day_claims_follow_show(shipped: Path) -> None:
    # Zelensky gave "roughly 3,800" and "nearly a third" (of 12,000) on the same day; show takes the
    # figure stated outright as his latest, so here it comes last and supersedes the other.
    [cumulative] = [
        t
        for t in timeline(load(shipped), "killed_or_wounded", Filters(sources=("ua-president",))).timelines
        if t.comparison.scope == "cumulative"
    ]
    assert [r.stated for r in cumulative.comparison.rows] == ["3,000", "nearly a third", "roughly 3,800"]
    ids = [r.claim for r in cumulative.comparison.rows]
    assert cumulative.superseded_by == {ids[0]: ids[1], ids[1]: ids[2]}


def test_linear_axis_columns_and_ticks() -> None:
    axis = ValueAxis.spanning([200, 225, 250, 275, 300, 400])
    assert (axis.start, axis.end, axis.log) == (0.0, 400, False)
    # Columns 1..44 of 46: 1 + round(v / 400 * 43).
    assert [axis.column(v) for v in (0, 200, 225, 250, 275, 300, 400)] == [1, 23, 25, 28, 31, 33, 44]
    assert axis.ticks() == [0, 100, 200, 300, 400]
    line, labels = chart_axis(axis)
    assert [i for i, c in enumerate(line) if c == "┴"] == [1, 12, 23, 33, 44]
    assert labels == " 0         100        200       300        400"


def test_log_axis_when_values_span_more_than_tenfold() -> None:
    axis = ValueAxis.spanning([300, 1_000, 4_180])
    assert axis.log and (axis.start, axis.end) == (300, 4_180)
    assert axis.ticks() == [500, 1_000, 2_000]
    assert [axis.column(v) for v in (300, 1_000, 4_180)] == [1, 21, 44]
    assert not ValueAxis.spanning([100, 1_000]).log  # exactly 10x is not more than 10x
    assert not ValueAxis.spanning([0, 5_000]).log  # a zero has no place on a log axis


def test_tracks_draw_open_bounds_as_arrows() -> None:
    axis = ValueAxis.spanning([200, 225, 250, 275, 300, 400])
    assert chart_track(axis, 225, 250, 275) == " " * 25 + "├──●──┤" + " " * 14
    assert chart_track(axis, 200, 200, None) == " " * 23 + "●" + "─" * 21 + "▸"
    assert chart_track(axis, None, 300, 300, marker="○") == "◂" + "─" * 32 + "○" + " " * 12
    assert chart_track(axis, 300, 300, 300) == " " * 33 + "●" + " " * 12


def test_chart_of_a_timeline_fits_80_columns(evolving_dataset: Path) -> None:
    lines = plain(render.timeline_chart(by_scope(evolving_dataset, "killed")[("cumulative", False)]))
    assert lines == [
        "2024-12-27  " + " " * 23 + "○" + "─" * 21 + "▸ Independent analysts",
        "2025-01-06  " + " " * 33 + "○" + "─" * 11 + "▸ MoD",
        "2025-01-16  " + " " * 25 + "├──●──┤" + " " * 14 + " Independent analysts",
        "2025-02-20  " + " " * 44 + "●▸ MoD",
        " " * 12 + "─┴──────────┴──────────┴─────────┴──────────┴─",
        " " * 12 + " 0         100        200       300        400",
        " " * 12 + "● latest  ○ superseded  ◂ ▸ open bound  · linear scale",
    ]


def test_whole_shipped_timeline_fits_80_columns(shipped: Path) -> None:
    for name in ("casualties", "strength", "territory"):
        lines = plain(render.timeline(timeline(load(shipped), name, Filters())))
        assert max(len(line) for line in lines) <= 80, name


def test_cli_timeline_table_chart_and_json(evolving_dataset: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["--data", str(evolving_dataset), "timeline", "killed"], env={"NO_COLOR": "1", "COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.output
    assert "2025-02-20  more than 400" in result.output and "● latest  ○ superseded" in result.output
    as_json = runner.invoke(app, ["--data", str(evolving_dataset), "timeline", "killed", "--json"])
    data = json.loads(as_json.stdout)
    assert data["timelines"][0]["superseded_by"] == {
        "analysts-killed-early": "analysts-killed",
        "ministry-killed": "ministry-killed-later",
    }
    unknown = runner.invoke(app, ["--data", str(evolving_dataset), "timeline", "kiled"])
    assert unknown.exit_code == 1
    assert (
        "Error: unknown metric or group 'kiled'; did you mean killed? Known: deployed, killed, wounded, casualties"
        in unknown.stderr
    )


def test_the_chart_names_each_originator_in_full(evolving_dataset: Path) -> None:
    long_name = "The Independent Analysts of a Very Long Name " * 6
    text = evolving_dataset.read_text(encoding="utf-8")
    evolving_dataset.write_text(
        text.replace("{name: Independent analysts,", f"{{name: {long_name.strip()},"), "utf-8"
    )
    result = CliRunner().invoke(app, ["--data", str(evolving_dataset), "timeline", "killed"])
    assert result.exit_code == 0, result.output
    chart = [
        line for line in result.output.splitlines() if ("●" in line or "○" in line) and "latest" not in line
    ]
    assert any(line.endswith(" " + long_name.strip()) for line in chart), chart
    # On a terminal of 80 columns the chart is left out rather than cut, and the table names it whole.
    narrow = Console(width=80, force_terminal=True, color_system=None, record=True)
    from reconcile.output.fit import fitted

    narrow.print(
        fitted(render.timeline(timeline(load(evolving_dataset), "killed", Filters())), 80), crop=False
    )
    assert "chart left out" in narrow.export_text()
