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
        dataset, "killed_or_wounded", "russia", cutoffs, [0, 30, 90], 15, True
    )
    return found


def test_the_median_carried_forward_contains_what_was_published_next(
    results: dict[int, dict[tuple[Method, bool], Any]],
) -> None:
    # Thirty monthly cutoffs, 2023-01 to 2025-06, parties left out. At the cutoff and 30 days on, the
    # range contains nine in ten of the credible figures published within 15 days of that date, its
    # best value a median tenth or less from them, its width at most half of it (a range that
    # contains anything is no answer); 90 days on, nearly all, at a wider range.
    now, month, quarter = (results[h][(Method.median, True)] for h in (0, 30, 90))
    for tally, contains, width in ((now, 0.9, 0.5), (month, 0.9, 0.5), (quarter, 0.95, 0.6)):
        assert tally.estimated == tally.pairs > 10
        assert tally.contained / tally.targets >= contains
        assert sorted(tally.errors)[len(tally.errors) // 2] <= 0.1
        assert sorted(tally.widths)[len(tally.widths) // 2] <= width
    # At the cutoff every best value is within 15% of the figures that came next.
    assert now.close == now.targets


def test_no_bound_is_open_where_credible_figures_disagree(
    results: dict[int, dict[tuple[Method, bool], Any]],
) -> None:
    # The one month with an open high is January 2023, 30 days on: the only credible figures before it
    # are the Pentagon's, one originator, so there is no disagreement to reach by.
    assert [results[h][(Method.median, True)].open_bounds for h in (0, 30, 90)] == [0, 1, 0]


def test_without_carrying_forward_nothing_is_estimated_a_month_ahead(
    results: dict[int, dict[tuple[Method, bool], Any]],
) -> None:
    tally = results[30][(Method.median, False)]
    assert tally.estimated == 0 and tally.pairs > 0
