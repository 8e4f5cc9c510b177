"""`show` arithmetic: rows, spreads and filters, against values computed by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reconcile.analysis.claims import Filters, Row, expand_metrics, resolve_source
from reconcile.analysis.compare import show, spread
from reconcile.errors import AmbiguousNameError, UnknownNameError
from reconcile.io.load import load
from reconcile.model.dataset import Dataset
from reconcile.model.terms import Precision
from reconcile.output.terminal import range_bar


@pytest.fixture(scope="module")
def dataset(shipped: Path) -> Dataset:
    return load(shipped)


def cumulative(dataset: Dataset, metric: str, filters: Filters | None = None, *, all_claims: bool = False):  # type: ignore[no-untyped-def]
    result = show(dataset, metric, filters or Filters(), all_claims=all_claims)
    [comparison] = [
        c
        for c in result.comparisons
        if c.scope == "cumulative" and c.subject == "dprk-forces" and not c.projection
    ]
    return comparison


def test_killed_or_wounded_latest_per_originator(dataset: Dataset) -> None:
    c = cumulative(dataset, "killed_or_wounded")
    # Latest per originator: US senior official "several hundred" (300/500/900), White House and
    # Pentagon "approximately 1,000" (900/1,000/1,100), NIS "more than 3,000" (3,000/3,000/open),
    # Zelensky "roughly 3,800" (3,420/3,800/4,180; preferred to the same day's "nearly a third").
    assert [(r.source, r.low, r.best, r.high) for r in c.rows] == [
        ("us-senior-official", 300, 500, 900),
        ("us-officials", 900, 1000, 1100),
        ("kr-nis", 3000, 3000, None),
        ("ua-president", 3420, 3800, 4180),
    ]
    s = c.spread
    # Median of 500, 1,000, 3,000, 3,800 = (1,000 + 3,000) / 2; ratio 3,800 / 500.
    assert (s.low, s.high, s.median, s.ratio, s.originators, s.claims) == (300, None, 2000, 7.6, 4, 4)


def test_all_claims(dataset: Dataset) -> None:
    c = cumulative(dataset, "killed_or_wounded", all_claims=True)
    assert sorted(r.best for r in c.rows) == [500, 1000, 3000, 3000, 3800, 4000]
    # Median of six: (3,000 + 3,000) / 2; ratio 4,000 / 500.
    assert (c.spread.median, c.spread.ratio, c.spread.originators, c.spread.claims) == (3000, 8.0, 4, 6)


def test_as_of_excludes_later_claims(dataset: Dataset) -> None:
    c = cumulative(dataset, "killed_or_wounded", Filters(as_of=date(2025, 1, 1)))
    assert [(r.source, r.best) for r in c.rows] == [
        ("us-senior-official", 500),
        ("us-officials", 1000),
        ("ua-president", 3000),
    ]
    assert all(r.date <= date(2025, 1, 1) for r in c.rows)
    # Envelope 300 (several hundred) to 3,500 (Zelensky's bare 3,000, stated to the thousand: 2,500 to
    # 3,500); median 1,000; 3,000 / 500.
    assert (c.spread.low, c.spread.high, c.spread.median, c.spread.ratio) == (300, 3500, 1000, 6.0)


def test_killed(dataset: Dataset) -> None:
    c = cumulative(dataset, "killed")
    assert [(r.source, r.stated, r.low, r.best, r.high) for r in c.rows] == [
        ("kr-lawmaker", "approximately 100", 90, 100, 110),
        ("kr-nis", "more than 300", 300, 300, None),
    ]
    assert (c.spread.low, c.spread.high, c.spread.median, c.spread.ratio) == (90, None, 200, 3.0)


def test_groups_keep_scopes_subjects_and_projections_apart(dataset: Dataset) -> None:
    result = show(dataset, "casualties", Filters())
    assert result.metrics == ["killed", "wounded", "killed_or_wounded", "losses", "captured", "deserted"]
    for comparison in result.comparisons:
        scopes = {dataset.claim(r.claim).scope.kind for r in comparison.rows}
        subjects = {dataset.claim(r.claim).subject for r in comparison.rows}
        assert len(scopes) == 1 and subjects == {comparison.subject}
    periods = [c for c in result.comparisons if c.scope == "period 2024-12-14 to 2024-12-15"]
    assert [r.claim for c in periods for r in c.rows] == ["hur-kia-wia-2024-12-14-15"]


def test_projections_stand_apart(dataset: Dataset) -> None:
    result = show(dataset, "deployed", Filters())
    projections = [c for c in result.comparisons if c.projection]
    counts = [c for c in result.comparisons if not c.projection and c.scope == "cumulative"]
    assert [(r.source, r.best) for r in projections[0].rows] == [("kr-nis", 10000), ("unattributed", 100000)]
    assert max(r.best for r in counts[0].rows) == 12000


def test_source_and_subject_filters(dataset: Dataset) -> None:
    nis = resolve_source(dataset, "intelligence service")
    assert nis == "kr-nis"
    result = show(dataset, "casualties", Filters(sources=(nis,)))
    assert {r.source for c in result.comparisons for r in c.rows} == {"kr-nis"}
    assert resolve_source(dataset, "zelensky") == "ua-president"
    with pytest.raises(AmbiguousNameError, match="ua-hur"):
        resolve_source(dataset, "ukrain")
    with pytest.raises(UnknownNameError, match="known: .*kr-nis"):
        resolve_source(dataset, "kremlin")


def test_unknown_metric_lists_what_exists(dataset: Dataset) -> None:
    with pytest.raises(UnknownNameError) as info:
        expand_metrics(dataset, "casulties")
    assert "casualties" in info.value.known and "killed" in info.value.known


def _row(source: str, low: float | None, best: float, high: float | None) -> Row:
    return Row(
        claim=source,
        source=source,
        originator=source,
        party=False,
        stated="",
        low=low,
        best=best,
        high=high,
        rule="exact",
        date=date(2025, 1, 1),
        precision=Precision.day,
        date_text="",
        place="",
        outlets=[],
        relay=[],
    )


def test_spread_by_hand() -> None:
    s = spread([_row("a", 10, 20, 30), _row("b", 5, 40, 50), _row("a", 20, 30, 40)])
    assert (s.low, s.high, s.median, s.ratio, s.originators, s.claims) == (5, 50, 30, 2.0, 2, 3)
    open_ended = spread([_row("a", None, 20, 30), _row("b", 0, 0, None)])
    assert (open_ended.low, open_ended.high, open_ended.ratio) == (None, None, None)


def test_range_bar() -> None:
    assert range_bar(0, 5, 10, 10, width=11) == "─────●─────"
    assert range_bar(5, 5, 5, 10, width=11) == "     ●     "
    assert range_bar(5, 5, None, 10, width=11) == "     ●────▸"
    assert range_bar(None, 10, 10, 10, width=11) == "◂─────────●"


def printed(write_dataset, stated: str) -> str:  # type: ignore[no-untyped-def]
    """What `show deployed` prints, through the CLI's console, with one claim's wording replaced."""
    from reconcile.output import terminal as render
    from tests.conftest import CLAIMS

    path = write_dataset(
        claims=CLAIMS.replace('value: {stated: "12,000"}', f'value: {{stated: "{stated}", best: 12000}}')
    )
    out = render.console()
    with out.capture() as captured:
        out.print(render.show(show(load(path), "deployed", Filters())))
    return captured.get()


def test_brackets_in_a_wording_print_as_written(write_dataset) -> None:  # type: ignore[no-untyped-def]
    assert "12,000 [bold]" in printed(write_dataset, "12,000 [bold]")


def test_emoji_codes_in_a_wording_print_as_written(write_dataset) -> None:  # type: ignore[no-untyped-def]
    output = printed(write_dataset, "12,000 :fire:")
    assert "12,000 :fire:" in output
    assert "\N{FIRE}" not in output
