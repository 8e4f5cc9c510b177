"""Estimates as a series: the dates a series steps through, and each point against a single estimate."""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN
from pathlib import Path
from typing import get_args

import pytest
from typer.testing import CliRunner

from reconcile.analysis.claims import Filters
from reconcile.analysis.estimate import (
    MAX_SERIES_DATES,
    Settings,
    Step,
    estimate_for,
    estimate_series,
    series_dates,
    series_length,
)
from reconcile.cli.app import StepName, app
from reconcile.errors import ReconcileError
from reconcile.io.load import load
from reconcile.model.terms import figure, places

runner = CliRunner(env={"COLUMNS": "200"})
FEB_1 = date(2025, 2, 1)


@pytest.mark.parametrize(
    ("first", "last", "every", "expected"),
    [
        (date(2025, 1, 1), date(2025, 1, 3), Step.day, ["2025-01-01", "2025-01-02", "2025-01-03"]),
        # 1, 8 and 15 January; the 22nd is past the last date.
        (date(2025, 1, 1), date(2025, 1, 20), Step.week, ["2025-01-01", "2025-01-08", "2025-01-15"]),
        # The 31st where a month has one, else the month's last day; the 31st comes back in March.
        (
            date(2024, 1, 31),
            date(2024, 4, 30),
            Step.month,
            ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"],
        ),
        (date(2024, 12, 15), date(2025, 1, 15), Step.month, ["2024-12-15", "2025-01-15"]),
        (date(2025, 1, 2), date(2025, 1, 1), Step.day, []),
    ],
)
def test_series_dates(first: date, last: date, every: Step, expected: list[str]) -> None:
    assert [d.isoformat() for d in series_dates(first, last, every)] == expected


def test_a_month_series_ends_with_the_calendar() -> None:
    assert series_dates(date(9999, 10, 31), date.max, Step.month) == [
        date(9999, 10, 31),
        date(9999, 11, 30),
        date(9999, 12, 31),
    ]


@pytest.mark.parametrize("every", list(Step))
def test_series_length_counts_the_dates_without_making_them(every: Step) -> None:
    firsts = [date(2024, 1, 31), date(2024, 2, 29), date(2025, 3, 1), date(2025, 12, 15), date(9999, 11, 30)]
    for first in firsts:
        for days in (-1, 0, 1, 6, 7, 27, 28, 29, 30, 31, 59, 60, 365, 366, 1000):
            if date.max.toordinal() - first.toordinal() < days:
                continue
            last = date.fromordinal(first.toordinal() + days)
            assert series_length(first, last, every) == len(series_dates(first, last, every)), (first, last)


def test_a_series_longer_than_the_limit_is_refused_before_any_estimate(estimate_dataset: Path) -> None:
    dataset = load(estimate_dataset)
    until = date.fromordinal(date(2025, 1, 18).toordinal() + MAX_SERIES_DATES)
    with pytest.raises(
        ReconcileError, match=r"of killed about troops every day .* 10,001 estimates, more than"
    ):
        estimate_series(dataset, "killed", Filters(), every=Step.day, since=date(2025, 1, 18), until=until)
    # Monthly is the widest step, so the message does not offer it.
    with pytest.raises(ReconcileError, match=r"narrow it with --since and --until$"):
        estimate_series(dataset, "killed", Filters(), every=Step.month, until=date.max)
    result = runner.invoke(
        app,
        ["--data", str(estimate_dataset), "estimate", "killed", "--every", "day", "--until", "9999-12-31"],
    )
    assert result.exit_code == 1, result.output
    assert "more than the 10,000 a series may hold" in result.output
    assert "Traceback" not in result.output


def test_a_group_with_one_series_too_long_is_refused_before_any_estimate(
    shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconcile.analysis import estimate as module

    def fail(*args: object) -> None:
        raise AssertionError("an estimate was made before the series was refused")

    monkeypatch.setattr(module, "estimate_points", fail)
    # Captured is counted from 1 December 2024, the others from later: only its series is too long.
    with pytest.raises(ReconcileError, match=r"^the estimate of captured about dprk-forces every day"):
        estimate_series(load(shipped), "casualties", Filters(), every=Step.day, until=date(2052, 5, 3))


def test_a_point_of_a_series_is_the_estimate_as_of_its_date(estimate_dataset: Path) -> None:
    dataset = load(estimate_dataset)
    result = estimate_series(
        dataset, "killed", Filters(), Settings(), every=Step.week, since=date(2025, 1, 18), until=FEB_1
    )
    (series,) = result.series
    assert [p.date for p in series.points] == [date(2025, 1, 18), date(2025, 1, 25), FEB_1]
    # 1 February as in test_estimate's test_methods_by_hand: the median of 1,500, 1,800 and 3,000,
    # the low quartile 1,350 widened to the 38.83% by which credible figures disagree, 1,101.06; the
    # high quartile, 2,650, is wider than that reach.
    last = series.points[-1]
    assert (last.low, last.best, last.high, last.used) == pytest.approx((1101.06, 1800, 2650, 3))
    for point in series.points:
        single = estimate_for(dataset, "killed", "troops", Filters(as_of=point.date), Settings())
        assert (point.low, point.best, point.high, point.used) == (
            single.low,
            single.best,
            single.high,
            len(single.used),
        )


def test_cli_series_as_json(estimate_dataset: Path) -> None:
    args = ["estimate", "killed", "--data", str(estimate_dataset), "--every", "week"]
    result = runner.invoke(app, [*args, "--since", "2025-01-25", "--json"])
    assert result.exit_code == 0, result.output
    (series,) = json.loads(result.stdout)["series"]
    assert [p["date"] for p in series["points"]] == ["2025-01-25", "2025-02-01"]
    last = series["points"][-1]
    assert (last["low"], last["best"], last["high"], last["used"]) == pytest.approx((1101.06, 1800, 2650, 3))
    table = runner.invoke(app, [*args, "--since", "2025-01-25"])
    assert table.exit_code == 0 and "2025-02-01" in table.stdout and "2,650" in table.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--every", "day", "--since", "2025-02-02", "--until", "2025-02-01"], "is after --until"),
        (["--since", "2025-01-01"], "go with --every"),
    ],
)
def test_cli_series_bad_dates(estimate_dataset: Path, extra: list[str], message: str) -> None:
    result = runner.invoke(app, ["estimate", "killed", "--data", str(estimate_dataset), *extra])
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output


def test_cli_step_choices_are_the_steps() -> None:
    assert get_args(StepName) == tuple(s.value for s in Step)
    assert runner.invoke(app, ["estimate", "killed", "--every", "year"]).exit_code == 2


def test_export_view_estimate_is_the_monthly_series(estimate_dataset: Path) -> None:
    from reconcile.output.export import export, render
    from reconcile.output.formats import Format, View

    filters = Filters(since=date(2025, 1, 1), until=FEB_1)
    table = export(load(estimate_dataset), View.estimate, filters, metric="killed")
    last = table.records[-1]
    assert last["date"] == "2025-02-01" and last["used"] == 3
    assert (last["low"], last["best"], last["high"]) == pytest.approx((1101.06, 1800, 2650))
    assert [r["date"] for r in table.records] == ["2025-01-01", "2025-02-01"]
    csv_lines = render(table, Format.csv).splitlines()
    assert csv_lines[0].startswith("metric_id,metric,subject_id,subject,unit,date,low,best,high,used")
    assert (
        ",2025-02-01,1101.06" in csv_lines[-1]
        and ",1800,2650" in csv_lines[-1]
        and ",3,median," in csv_lines[-1]
    )


def test_export_view_estimate_every_week_and_every_goes_with_that_view_only(estimate_dataset: Path) -> None:
    from reconcile.output.export import export
    from reconcile.output.formats import View

    filters = Filters(since=date(2025, 1, 4), until=FEB_1)
    table = export(load(estimate_dataset), View.estimate, filters, metric="killed", every=Step.week)
    assert [r["date"] for r in table.records] == [
        "2025-01-04",
        "2025-01-11",
        "2025-01-18",
        "2025-01-25",
        "2025-02-01",
    ]
    assert table.title.startswith("Killed, Foreign troops: the estimate week by week")
    assert "every seventh day" in table.legend and "--every week" in table.legend
    # Each point is the estimate as of its date.
    last = estimate_for(load(estimate_dataset), "killed", "troops", Filters(as_of=FEB_1))
    assert (table.records[-1]["best"], table.records[-1]["high"]) == (last.best, last.high)
    data = ["--data", str(estimate_dataset)]
    weekly = runner.invoke(app, [*data, "export", "--view", "estimate", "--every", "week", "--format", "csv"])
    assert weekly.exit_code == 0 and len(weekly.stdout.splitlines()) > 2
    wrong = runner.invoke(app, [*data, "export", "--view", "claims", "--every", "week"])
    assert wrong.exit_code == 1 and "--every goes with --view estimate" in wrong.output


@pytest.mark.parametrize(
    ("value", "places", "rounding", "expected"),
    [
        (474161.75, 0, ROUND_FLOOR, "474,161"),  # a low, rounded down
        (474161.25, 0, ROUND_CEILING, "474,162"),  # a high, rounded up
        (483323.5, 0, ROUND_HALF_EVEN, "483,324"),  # a best, to the nearest (half to even: 483,324)
        (2895.24, 0, ROUND_HALF_EVEN, "2,895"),
        (0.4533, 2, ROUND_FLOOR, "0.45"),  # a share stated to the hundredth stays one
        (0.4533, 2, ROUND_CEILING, "0.46"),
        (0.29, 2, ROUND_FLOOR, "0.29"),  # exact in decimal, though 0.29 x 100 is 28.999... in binary
        (None, 0, ROUND_FLOOR, "open"),
    ],
)
def test_estimate_figures_are_shown_at_the_precision_of_their_claims(
    value: float | None, places: int, rounding: str, expected: str
) -> None:
    assert figure(value, places, rounding) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [([465_000, 3_800.0, None], 0), ([0.45, 0.5, 0.55], 2), ([2.5, 10], 1), ([1 / 3], 4)],
)
def test_the_places_claims_are_stated_to(values: list[float | None], expected: int) -> None:
    assert places(values) == expected


def test_a_share_estimate_keeps_its_decimals() -> None:
    result = runner.invoke(app, ["estimate", "territory_held_share"])
    assert result.exit_code == 0, result.output
    assert "Estimate (median): low 0.45 · best 0.5 · high 0.55" in result.stdout
