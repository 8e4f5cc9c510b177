"""Measuring how far claims disagree: comparisons and their spreads, each count with its estimate."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from reconcile.analysis.claims import (
    Filters,
    Row,
    comparison_key,
    expand_metrics,
    latest_per_source,
    outer_bounds,
    to_row,
)
from reconcile.analysis.estimate import Estimate, estimate_for
from reconcile.model.terms import Number

if TYPE_CHECKING:
    from reconcile.analysis.estimate import Estimate, Reason
    from reconcile.model.dataset import Claim, Dataset


@dataclass(kw_only=True)
class Spread:
    """How far the rows of a comparison disagree."""

    low: Number | None  # lowest low; None when some claim has no floor
    high: Number | None  # highest high; None when some claim has no ceiling
    median: Number  # median of the best values
    ratio: Number | None  # largest best / smallest best; None when the smallest is 0
    originators: int
    claims: int


@dataclass(kw_only=True)
class Comparison:
    """Comparable claims about one metric: same subject, same scope, counts or projections."""

    metric: str
    label: str
    unit: str
    subject: str
    subject_name: str
    scope: str
    projection: bool
    rows: list[Row]
    spread: Spread
    estimate: Estimate | None = None  # `show` fills it for cumulative counts, by the default method


@dataclass(kw_only=True)
class ShowResult:
    """What `reconcile show` reports."""

    query: str
    metrics: list[str]
    all_claims: bool
    as_of: date | None
    comparisons: list[Comparison]


def spread(rows: Sequence[Row]) -> Spread:
    """Envelope, median of best values, max/min ratio and number of originators of the rows."""
    if not rows:
        raise ValueError("a spread needs at least one row")
    bests = [r.best for r in rows]
    smallest = min(bests)
    low, high = outer_bounds((r.low for r in rows), (r.high for r in rows))
    return Spread(
        low=low,
        high=high,
        median=statistics.median(bests),
        ratio=None if smallest == 0 else max(bests) / smallest,
        originators=len({r.source for r in rows}),
        claims=len(rows),
    )


@dataclass
class _Bucket:
    key: tuple[str, str, str, bool]
    claims: list[Claim] = field(default_factory=list)


def compare(
    dataset: Dataset, metric_ids: Sequence[str], filters: Filters, *, all_claims: bool = False
) -> list[Comparison]:
    """The comparisons for some metrics, in metric order, counts before projections."""
    wanted = set(metric_ids)
    buckets: dict[tuple[str, str, str, bool], _Bucket] = {}
    for claim in dataset.claims:
        if claim.metric in wanted and filters.admit(claim):
            key = comparison_key(claim)
            buckets.setdefault(key, _Bucket(key)).claims.append(claim)
    order = {m: i for i, m in enumerate(metric_ids)}
    out = []
    for bucket in sorted(
        buckets.values(),
        key=lambda b: (order[b.key[0]], b.key[1], b.key[2] != "cumulative", b.key[3], b.key[2]),
    ):
        chosen = bucket.claims if all_claims else latest_per_source(bucket.claims)
        rows = sorted((to_row(dataset, c) for c in chosen), key=lambda r: (r.best, r.date, r.claim))
        metric_id, subject, scope, projection = bucket.key
        metric = dataset.metrics[metric_id]
        out.append(
            Comparison(
                metric=metric_id,
                label=metric.label,
                unit=metric.unit,
                subject=subject,
                subject_name=dataset.subjects[subject].name,
                scope=scope,
                projection=projection,
                rows=rows,
                spread=spread(rows),
            )
        )
    return out


def show(
    dataset: Dataset,
    name: str,
    filters: Filters,
    *,
    all_claims: bool = False,
    set_aside_for: Collection[Reason] | None = None,
) -> ShowResult:
    """Side-by-side claims and their spread for a metric or group, each cumulative count with its estimate.

    Each estimate lists the claims it sets aside for the reasons `set_aside_for` names; None is all.
    """
    metrics = expand_metrics(dataset, name)
    comparisons = compare(dataset, metrics, filters, all_claims=all_claims)
    attach(dataset, comparisons, filters, set_aside_for=set_aside_for)
    return ShowResult(
        query=name, metrics=metrics, all_claims=all_claims, as_of=filters.as_of, comparisons=comparisons
    )


@dataclass(kw_only=True)
class MetricInfo:
    """A metric with its groups and claim count, for `reconcile metrics`."""

    id: str
    label: str
    unit: str
    description: str
    groups: list[str]
    claims: int


@dataclass(kw_only=True)
class SourceInfo:
    """A source with its claim count, for `reconcile sources`."""

    id: str
    name: str
    kind: str
    country: str | None
    party: bool | None
    claims: int


def metric_list(dataset: Dataset) -> list[MetricInfo]:
    counts = Counter(c.metric for c in dataset.claims)
    return [
        MetricInfo(
            id=k,
            label=m.label,
            unit=m.unit,
            description=m.description,
            groups=[g for g, members in dataset.groups.items() if k in members],
            claims=counts.get(k, 0),
        )
        for k, m in dataset.metrics.items()
    ]


def source_list(dataset: Dataset) -> list[SourceInfo]:
    counts = Counter(c.source for c in dataset.claims)
    return [
        SourceInfo(
            id=k, name=s.name, kind=s.kind.value, country=s.country, party=s.party, claims=counts.get(k, 0)
        )
        for k, s in dataset.sources.items()
    ]


def attach(
    dataset: Dataset,
    comparisons: Sequence[Comparison],
    filters: Filters,
    *,
    set_aside_for: Collection[Reason] | None = None,
) -> None:
    """Give each cumulative count comparison the estimate `reconcile estimate` makes by default.

    `set_aside_for` is as for `estimate_for`.
    """
    for comparison in comparisons:
        if comparison.scope == "cumulative" and not comparison.projection:
            comparison.estimate = estimate_for(
                dataset, comparison.metric, comparison.subject, filters, set_aside_for=set_aside_for
            )
