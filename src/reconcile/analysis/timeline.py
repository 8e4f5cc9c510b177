"""How a figure evolved: every claim of each comparison in date order, with superseded claims marked."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reconcile.analysis.claims import Filters, expand_metrics, recency
from reconcile.analysis.compare import Comparison, compare

if TYPE_CHECKING:
    from reconcile.model.dataset import Dataset


@dataclass(kw_only=True)
class Timeline:
    """One comparison (metric, subject, scope, counts or projections) with its rows oldest first."""

    comparison: Comparison
    # claim id -> id of the same originator's next claim in this comparison
    superseded_by: dict[str, str]


@dataclass(kw_only=True)
class TimelineResult:
    """What `reconcile timeline` reports."""

    query: str
    metrics: list[str]
    timelines: list[Timeline]


def timeline(dataset: Dataset, name: str, filters: Filters) -> TimelineResult:
    """Every claim about a metric or group, oldest first, one timeline per comparison.

    Cumulative, period and incident figures, and projections, fall in separate timelines, as in
    `show`. Claims made on the same day keep the order of `analysis.recency`, so the claim `show`
    takes as an originator's latest is also the last of its claims here.
    """
    metrics = expand_metrics(dataset, name)
    claims = {claim.id: claim for claim in dataset.claims}
    timelines = []
    for comparison in compare(dataset, metrics, filters, all_claims=True):
        rows = sorted(comparison.rows, key=lambda row: recency(claims[row.claim]))
        superseded_by: dict[str, str] = {}
        next_claim: dict[str, str] = {}
        for row in reversed(rows):
            if row.source in next_claim:
                superseded_by[row.claim] = next_claim[row.source]
            next_claim[row.source] = row.claim
        timelines.append(Timeline(comparison=replace(comparison, rows=rows), superseded_by=superseded_by))
    return TimelineResult(query=name, metrics=metrics, timelines=timelines)
