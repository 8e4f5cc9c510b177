"""What a timeline chart shows, as data: panels, bars, the reconciled band and what is left out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reconcile.analysis.chart import Band, Bar, chart
from reconcile.analysis.claims import Filters
from reconcile.io.load import load


def test_chart_of_a_group_draws_cumulative_counts_only(small_dataset: Path) -> None:
    result = chart(load(small_dataset), "casualties", Filters())
    assert [p.metric for p in result.panels] == ["killed", "wounded"]
    assert result.panels[0].bars == [
        Bar(
            claim="ministry-killed",
            source="ministry",
            originator="MoD",
            stated="more than 300",
            date=date(2025, 1, 6),
            low=300,
            best=300,
            high=None,
        )
    ]
    assert result.left_out == ["1 period or incident count"]
    assert result.originators == ["MoD"]
    assert result.title == "Claims about casualties"


def test_band_is_the_reconciled_estimate(small_dataset: Path) -> None:
    [panel] = chart(load(small_dataset), "deployed", Filters()).panels
    assert [(b.claim, b.low, b.best, b.high) for b in panel.bars] == [
        ("official-deployed", 11_500, 12_000, 12_500),
        ("analysts-deployed", 10_000, 11_000, 12_000),
    ]
    # Median of the best values 12,000 and 11,000; first quartile (inclusive method) of the lows 10,000
    # and 11,500, 10,000 + 1,500 x 0.25; third quartile of the highs 12,000 and 12,500, 12,000 + 500 x 0.75.
    assert panel.band == Band(
        low=10_375, best=11_500, high=12_375, method="median", as_of=date(2025, 1, 9), used=2
    )


def test_filters_apply_to_bars_and_band(small_dataset: Path) -> None:
    [panel] = chart(load(small_dataset), "deployed", Filters(as_of=date(2025, 1, 8))).panels
    assert [b.claim for b in panel.bars] == ["official-deployed"]
    assert panel.band == Band(
        low=11_500, best=12_000, high=12_500, method="median", as_of=date(2025, 1, 8), used=1
    )


def test_no_matching_claims_gives_no_panels(small_dataset: Path) -> None:
    result = chart(load(small_dataset), "casualties", Filters(as_of=date(2025, 1, 1)))
    assert (result.panels, result.originators, result.left_out) == ([], [], [])
