"""Estimates against a real published series: the public estimates of Russian military casualties in
benchmarks/data/russia-casualties.yaml, hidden after each cutoff and estimated ahead."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reconcile.analysis.estimate import Method, Step, series_dates
from reconcile.io.load import load
from tests.conftest import BENCHMARKS, benchmark


@pytest.fixture(scope="module")
def results() -> dict[int, dict[tuple[Method, bool], Any]]:
    backtest = benchmark("backtest")
    dataset = load(BENCHMARKS / "data" / "russia-casualties.yaml")
    cutoffs = series_dates(date(2023, 1, 1), date(2025, 6, 1), Step.month)
    found: dict[int, dict[tuple[Method, bool], Any]] = backtest.backtest(
        dataset, "killed_or_wounded", "russia", cutoffs, [30, 90], 15, True
    )
    return found


def test_the_median_carried_forward_contains_what_was_published_next(
    results: dict[int, dict[tuple[Method, bool], Any]],
) -> None:
    # Thirty monthly cutoffs, 2023-01 to 2025-06, parties left out: 30 days on, the range contains
    # over four in five of the credible figures published within 15 days of that date, its best
    # value within a tenth of them, its width a third of it; 90 days on, nearly all, at a wider range.
    month, quarter = results[30][(Method.median, True)], results[90][(Method.median, True)]
    for tally, contains, width in ((month, 0.8, 0.35), (quarter, 0.95, 0.6)):
        assert tally.estimated == tally.pairs > 15
        assert tally.contained / tally.targets >= contains
        assert sorted(tally.errors)[len(tally.errors) // 2] <= 0.1
        assert sorted(tally.widths)[len(tally.widths) // 2] <= width


def test_without_carrying_forward_nothing_is_estimated_a_month_ahead(
    results: dict[int, dict[tuple[Method, bool], Any]],
) -> None:
    tally = results[30][(Method.median, False)]
    assert tally.estimated == 0 and tally.pairs > 0
