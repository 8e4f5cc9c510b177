"""What a timeline chart shows, as data: panels, bars, the reconciled band and what is left out."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from reconcile.analysis.chart import MAX_BAND_DATES, Band, Bar, band_dates, chart
from reconcile.analysis.claims import Filters
from reconcile.analysis.estimate import SeriesPoint, estimate_for
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
    # The two disagree by 1,000 / 12,000 = 0.0833, so the range reaches 11,500 x 1.0833 = 12,458.33
    # (12,458.34, a high rounded up to the cent).
    # The band moves with time: on 8 January the official's figure alone (12,000, stated to the
    # thousand), on the 9th both.
    points = (
        SeriesPoint(date=date(2025, 1, 8), low=11_500, best=12_000, high=12_500, used=1),
        SeriesPoint(date=date(2025, 1, 9), low=10_375, best=11_500, high=12_458.34, used=2),
    )
    assert panel.band == Band(
        low=10_375,
        best=11_500,
        high=12_458.34,
        method="median",
        as_of=date(2025, 1, 9),
        used=2,
        points=points,
    )


def test_the_band_is_the_estimate_at_each_date(estimate_dataset: Path) -> None:
    dataset = load(estimate_dataset)
    [panel] = chart(dataset, "killed", Filters()).panels
    assert panel.band is not None
    days = [p.date for p in panel.band.points]
    # Daily from the first count, 1 December, to the estimate's date, 1 February.
    assert (days[0], days[-1], len(days)) == (date(2024, 12, 1), date(2025, 2, 1), 63)
    for point in panel.band.points[::9] + panel.band.points[-1:]:
        e = estimate_for(dataset, "killed", "troops", Filters(as_of=point.date))
        assert (point.low, point.best, point.high, point.used) == (e.low, e.best, e.high, len(e.used))
    last = panel.band.points[-1]
    assert (last.low, last.best, last.high) == (panel.band.low, panel.band.best, panel.band.high)


def test_band_dates_step_by_day_week_or_month() -> None:
    start = date(2022, 2, 24)
    assert len(band_dates(start, start)) == 1
    assert len(band_dates(start, start + timedelta(days=180))) == 181
    weekly = band_dates(start, start + timedelta(days=400))
    assert weekly[1] - weekly[0] == timedelta(days=7) and weekly[-1] == start + timedelta(days=400)
    monthly = band_dates(start, date(2026, 1, 1))
    assert monthly[:2] == [start, date(2022, 3, 24)] and monthly[-1] == date(2026, 1, 1)
    # Over centuries, every few months: never more than some 400 estimates, the last date included.
    sparse = band_dates(start, date.max)
    assert len(sparse) <= MAX_BAND_DATES + 1 and sparse[0] == start and sparse[-1] == date.max


def test_filters_apply_to_bars_and_band(small_dataset: Path) -> None:
    [panel] = chart(load(small_dataset), "deployed", Filters(as_of=date(2025, 1, 8))).panels
    assert [b.claim for b in panel.bars] == ["official-deployed"]
    assert panel.band == Band(
        low=11_500,
        best=12_000,
        high=12_500,
        method="median",
        as_of=date(2025, 1, 8),
        used=1,
        points=(SeriesPoint(date=date(2025, 1, 8), low=11_500, best=12_000, high=12_500, used=1),),
    )


def test_no_matching_claims_gives_no_panels(small_dataset: Path) -> None:
    result = chart(load(small_dataset), "casualties", Filters(as_of=date(2025, 1, 1)))
    assert (result.panels, result.originators, result.left_out) == ([], [], [])
