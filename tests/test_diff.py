"""`reconcile diff`: pairing two sources' claims by scope and date, differences and overlap."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from reconcile.analysis.claims import Filters, recency
from reconcile.analysis.consistency import Span
from reconcile.analysis.diff import DiffResult, _Partners, diff, relative_difference
from reconcile.cli.app import app
from reconcile.errors import SameSourceError, UnknownNameError
from reconcile.io.load import load
from reconcile.model.dataset import Claim, Cumulative, Interval, Value
from reconcile.model.terms import meet
from reconcile.output.terminal import widen_hint


def pairs(result: DiffResult, metric: str) -> list[tuple[str, str, int, float, float | None, bool]]:
    [found] = [m for m in result.metrics if m.metric == metric]
    return [
        (p.a.claim, p.b.claim, p.days_apart, p.difference, p.relative_difference, p.overlap)
        for p in found.pairs
    ]


def test_pairs_closest_claim_of_the_same_scope(evolving_dataset: Path) -> None:
    result = diff(load(evolving_dataset), "official", "analysts", Filters())
    assert [m.metric for m in result.metrics] == ["deployed", "killed"]
    # 8,000 (2024-12-01) meets "up to 9,000" (11 days earlier), not 10,000-12,000 (39 days later).
    assert pairs(result, "deployed") == [
        ("official-deployed-early", "analysts-deployed-old", -11, 1_000, 0.125, True),
        ("official-deployed", "analysts-deployed", 1, -1_000, -1_000 / 12_000, True),
    ]
    [deployed, killed] = result.metrics
    # The projection is never paired with counts.
    assert [(u.claim.claim, u.projection) for u in deployed.unpaired_b] == [
        ("analysts-deployed-projection", True)
    ]
    # The official's count over one week has no cumulative partner.
    assert pairs(result, "killed") == []
    assert [(u.claim.claim, u.scope) for u in killed.unpaired_a] == [
        ("official-killed-week", "period 2025-01-01 to 2025-01-07")
    ]
    assert [u.claim.claim for u in killed.unpaired_b] == ["analysts-killed-early", "analysts-killed"]
    assert result.only_a == [] and result.only_b == [] and result.disagreements == []


def test_window_ties_and_one_sided_metrics(evolving_dataset: Path) -> None:
    dataset = load(evolving_dataset)
    result = diff(dataset, "ministry", "analysts", Filters())
    # 2025-01-06 is 10 days after "at least 200" and 10 days before "about 250": the earlier wins.
    assert pairs(result, "killed") == [("ministry-killed", "analysts-killed-early", -10, -100, -1 / 3, True)]
    [killed] = result.metrics
    assert [u.claim.claim for u in killed.unpaired_a] == ["ministry-killed-later"]  # 35 days from "about 250"
    assert [u.claim.claim for u in killed.unpaired_b] == ["analysts-killed"]
    assert [(o.metric, [r.claim for r in o.rows]) for o in result.only_a] == [
        ("wounded", ["ministry-wounded"])
    ]
    assert [(o.metric, len(o.rows)) for o in result.only_b] == [("deployed", 3)]
    wide = diff(dataset, "ministry", "analysts", Filters(), window=35)
    # "more than 400" [400, open) and "about 250" [225, 275] do not meet.
    assert pairs(wide, "killed")[1] == ("ministry-killed-later", "analysts-killed", -35, -150, -0.375, False)
    assert [(p.a.claim, p.b.claim) for p in wide.disagreements] == [
        ("ministry-killed-later", "analysts-killed")
    ]


def test_unpaired_claims_say_how_far_the_nearest_partner_is(evolving_dataset: Path) -> None:
    result = diff(load(evolving_dataset), "ministry", "analysts", Filters())
    [killed] = result.metrics
    # 2025-02-20 to "about 250" of 2025-01-16: 35 days, beyond the default window of 30.
    assert [(u.claim.claim, u.nearest_days) for u in killed.unpaired_a] == [("ministry-killed-later", 35)]
    # "about 250" is 10 days from the ministry's 2025-01-06 figure, which pairs with a nearer claim.
    assert [(u.claim.claim, u.nearest_days) for u in killed.unpaired_b] == [("analysts-killed", 10)]
    assert widen_hint(result) == "1 claim of A unpaired within 30 days; --window 35 would pair it."
    assert widen_hint(diff(load(evolving_dataset), "ministry", "analysts", Filters(), window=35)) is None
    shown = CliRunner().invoke(app, ["--data", str(evolving_dataset), "diff", "ministry", "analysts"])
    assert "unpaired, nearest 35 days" in shown.stdout
    assert "--window 35 would pair it." in shown.stdout


def test_metric_and_filters(evolving_dataset: Path) -> None:
    dataset = load(evolving_dataset)
    only_killed = diff(dataset, "ministry", "analysts", Filters(), metric="killed")
    assert [m.metric for m in only_killed.metrics] == [
        "killed"
    ] and only_killed.only_a == only_killed.only_b == []
    early = diff(dataset, "ministry", "analysts", Filters(until=date(2025, 1, 10)), metric="casualties")
    assert pairs(early, "killed") == [("ministry-killed", "analysts-killed-early", -10, -100, -1 / 3, True)]


def test_overlap_counts_open_bounds_as_unbounded() -> None:
    def overlap(a_low: float | None, a_high: float | None, b_low: float | None, b_high: float | None) -> bool:
        return meet(Span(low=a_low, high=a_high), Span(low=b_low, high=b_high))

    assert overlap(300, None, 225, 275) is False
    assert overlap(300, None, None, 300) is True  # touching intervals meet
    assert overlap(None, 100, 150, None) is False
    assert overlap(None, None, 5, 6) is True
    assert overlap(10, 20, 20.5, 30) is False


def test_relative_difference_is_relative_to_a() -> None:
    assert relative_difference(3_000, 3_800) == pytest.approx(0.26666666666666666)
    assert relative_difference(3_800, 3_000) == pytest.approx(-0.21052631578947367)
    assert relative_difference(0, 5) is None


def test_names_are_resolved_or_refused(evolving_dataset: Path) -> None:
    dataset = load(evolving_dataset)
    assert diff(dataset, "Ministry", "independent", Filters()).source_b == "analysts"
    with pytest.raises(SameSourceError):
        diff(dataset, "ministry", "MoD", Filters())
    with pytest.raises(UnknownNameError, match="known: analysts, ministry, official"):
        diff(dataset, "ministry", "army", Filters())
    # by word, never inside one: "de" starts "Defence", and is no part of "Independent"
    assert diff(dataset, "official", "de", Filters()).source_b == "ministry"
    with pytest.raises(UnknownNameError, match="did you mean"):
        diff(dataset, "official", "dependent", Filters())


def test_shipped_nis_against_zelensky(shipped: Path) -> None:
    result = diff(load(shipped), "nis", "zelensky", Filters())
    assert (result.source_a, result.source_b) == ("kr-nis", "ua-president")
    # NIS "more than 3,000" (2025-01-13) against Zelensky's latest of 2025-01-05: of "roughly 3,800"
    # and "nearly a third" on that day, the figure stated outright, as in `show`.
    [pair] = [p for m in result.metrics for p in m.pairs]
    assert (pair.a.stated, pair.b.stated, pair.days_apart) == ("more than 3,000", "roughly 3,800", -8)
    assert (pair.difference, pair.overlap) == (800, True)
    assert pair.relative_difference == pytest.approx(800 / 3_000)
    assert [o.metric for o in result.only_a] == ["killed", "wounded"]
    assert [o.metric for o in result.only_b] == ["captured"]


def _claim(claim_id: str, day: date, relative: bool = False) -> Claim:
    value = Value(stated="1", relative_to="x" if relative else None)
    return Claim(
        id=claim_id,
        metric="killed",
        subject="troops",
        value=value,
        scope=Cumulative(),
        date=day,
        source="ministry",
        citations=(),
        interval=Interval(low=None, best=1, high=None),
    )


@given(
    st.lists(st.tuples(st.integers(0, 120), st.booleans()), min_size=1, max_size=30),
    st.integers(0, 120),
    st.integers(0, 40),
)
def test_bisection_finds_what_a_scan_finds(partners: list[tuple[int, bool]], day: int, window: int) -> None:
    start = date(2025, 1, 1)
    claims = [_claim(f"b{i:02d}", start + timedelta(days=d), rel) for i, (d, rel) in enumerate(partners)]
    target = start + timedelta(days=day)
    found = _Partners(claims).nearest(target, window)
    nearest = min(abs((c.date - target).days) for c in claims)
    assert _Partners(claims).distance(target) == nearest
    if nearest > window:
        assert found is None
        return
    # Closest; on a tie the one before; of one day's claims the last in `recency` order.
    before = [c for c in claims if (target - c.date).days == nearest]
    chosen_day = before or [c for c in claims if (c.date - target).days == nearest]
    assert found is not None and found == max(chosen_day, key=recency)


def test_cli_diff_report_and_exit_codes() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["diff", "nis", "zelensky"], env={"NO_COLOR": "1", "COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "+26.7%" in result.output and "1 pair, 0 with intervals that do not overlap." in result.output
    strict = runner.invoke(app, ["diff", "nis", "zelensky", "--window", "120", "--fail-on-disagreement"])
    assert strict.exit_code == 1
    assert strict.stderr == "1 paired claims have intervals that do not overlap\n"
    as_json = runner.invoke(app, ["diff", "nis", "zelensky", "--metric", "killed_or_wounded", "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["metrics"][0]["pairs"][0]["difference"] == 800
    unknown = runner.invoke(app, ["diff", "nis", "nobody"])
    assert unknown.exit_code == 1 and unknown.stderr.startswith("Error: unknown source 'nobody'; known: ")
