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
    first: str  # the date of the oldest of the rows, as written for people ("~2024-12-17")
    last: str  # the date of the newest


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
class Headline:
    """One line of `reconcile summary`: a metric, subject and scope, its estimate and what it rests on.

    Lone incident and period counts of a metric and subject share one headline, `scope` saying how
    many there are: each counts a different event, so they have no estimate or median.
    """

    metric: str
    label: str
    unit: str
    subject: str
    subject_name: str
    scope: str
    projection: bool
    low: Number | None  # the estimate's (open bounds None); all three None with no estimate
    best: Number | None
    high: Number | None
    method: str | None  # None where there is no estimate: a count that is not a running total
    as_of: date | None
    used: int | None  # claims the estimate used and set aside; None with no estimate
    set_aside: int | None
    claims: int  # claims shown in the comparison (each originator's latest unless --all)
    originators: int
    median: Number | None  # median of the best values of those claims; None for lone counts
    newest: date
    places: int = 0  # the decimal places of the estimate's claims, which its figures are shown at


@dataclass(kw_only=True)
class ShowResult:
    """What `reconcile show` reports."""

    query: str
    metrics: list[str]
    all_claims: bool
    as_of: date | None
    comparisons: list[Comparison]
    headlines: list[Headline] = field(default_factory=list)


@dataclass(kw_only=True)
class SummaryResult:
    """What `reconcile summary` reports: a headline per metric, subject and scope."""

    query: str | None
    as_of: date | None
    headlines: list[Headline]


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
        first=min(rows, key=lambda r: r.date).date_text,
        last=max(rows, key=lambda r: r.date).date_text,
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
        query=name,
        metrics=metrics,
        all_claims=all_claims,
        as_of=filters.as_of,
        comparisons=comparisons,
        headlines=headlines(dataset, comparisons, filters),
    )


def summary(dataset: Dataset, name: str | None, filters: Filters) -> SummaryResult:
    """The headlines of a metric or group, or of every metric when `name` is None."""
    metrics = list(dataset.metrics) if name is None else expand_metrics(dataset, name)
    comparisons = compare(dataset, metrics, filters)
    attach(dataset, comparisons, filters, set_aside_for=())
    return SummaryResult(query=name, as_of=filters.as_of, headlines=headlines(dataset, comparisons, filters))


def stands_alone(comparison: Comparison) -> bool:
    """A lone count of one incident or period: nothing to compare it with."""
    return comparison.scope != "cumulative" and not comparison.projection and len(comparison.rows) == 1


def headlines(dataset: Dataset, comparisons: Sequence[Comparison], filters: Filters) -> list[Headline]:
    """A headline per comparison, in order; the lone counts of a metric and subject folded into one."""
    wanted = {(c.metric, c.subject) for c in comparisons}
    # Every claim the filters admit is either used by its metric and subject's estimate or set aside.
    admitted = Counter(
        (c.metric, c.subject) for c in dataset.claims if (c.metric, c.subject) in wanted and filters.admit(c)
    )
    alone: dict[tuple[str, str], list[Comparison]] = {}
    for comparison in comparisons:
        if stands_alone(comparison):
            alone.setdefault((comparison.metric, comparison.subject), []).append(comparison)
    out: list[Headline] = []
    for comparison in comparisons:
        key = (comparison.metric, comparison.subject)
        if not stands_alone(comparison):
            out.append(_headline(comparison, admitted[key]))
        elif alone[key][0] is comparison:
            out.append(_folded(alone[key]))
    return out


def _about(comparison: Comparison) -> dict[str, str]:
    """What a headline says of its metric and subject, as its comparison says it."""
    return {
        "metric": comparison.metric,
        "label": comparison.label,
        "unit": comparison.unit,
        "subject": comparison.subject,
        "subject_name": comparison.subject_name,
    }


def _folded(lone: Sequence[Comparison]) -> Headline:
    """One headline for the lone incident and period counts of a metric and subject."""
    first, count = lone[0], len(lone)
    return Headline(
        **_about(first),
        scope=f"{count} separate count{'s' if count != 1 else ''}",
        projection=False,
        low=None,
        best=None,
        high=None,
        method=None,
        as_of=None,
        used=None,
        set_aside=None,
        claims=count,
        originators=len({c.rows[0].source for c in lone}),
        median=None,
        newest=max(c.rows[0].date for c in lone),
        places=0,
    )


def _headline(comparison: Comparison, admitted: int) -> Headline:
    rows, estimate = comparison.rows, comparison.estimate
    used = None if estimate is None else len(estimate.used)
    return Headline(
        **_about(comparison),
        scope=comparison.scope,
        projection=comparison.projection,
        low=None if estimate is None else estimate.low,
        best=None if estimate is None else estimate.best,
        high=None if estimate is None else estimate.high,
        method=None if estimate is None else estimate.method.value,
        as_of=None if estimate is None else estimate.as_of,
        used=used,
        set_aside=None if used is None else admitted - used,
        claims=len(rows),
        originators=comparison.spread.originators,
        median=comparison.spread.median,
        newest=max(row.date for row in rows),
        places=0 if estimate is None else estimate.places,
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
