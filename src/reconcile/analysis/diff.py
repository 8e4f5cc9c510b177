"""Confronting two sources: their claims paired by scope and closeness in time, and how far they differ.

A claim of source A is paired with the claim of source B that has the same comparison key (metric,
subject, scope, count or projection) and the nearest date, if that date is within the window. When
B's nearest claims are equally far before and after, the one before wins (it was there to be read);
of B's claims on one day, the one `analysis.recency` puts last wins, as in `show`. Several claims
of A may pair with the same claim of B.

The relative difference of a pair is (best of B - best of A) / best of A: positive when B says more,
+0.5 when B's best value is half as large again as A's; it is undefined (None) when A's best is 0.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from reconcile.analysis.claims import (
    Filters,
    Row,
    comparison_key,
    expand_metrics,
    recency,
    resolve_source,
    to_row,
)
from reconcile.errors import SameSourceError, clip
from reconcile.model.dataset import Claim, Dataset
from reconcile.model.terms import Number, meet

Key = tuple[str, str, str, bool]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimPair:
    """A claim of A and B's closest-in-time claim of the same scope."""

    subject: str
    scope: str
    projection: bool
    a: Row
    b: Row
    days_apart: int  # B's date minus A's date
    difference: Number  # B's best minus A's best
    relative_difference: Number | None  # (B's best - A's best) / A's best; None when A's best is 0
    overlap: bool  # whether the intervals meet; an open bound is unbounded


@dataclass(frozen=True, slots=True, kw_only=True)
class Unpaired:
    """A claim of one source that no claim of the other was paired with."""

    subject: str
    scope: str
    projection: bool
    claim: Row
    # Days to the nearest claim of the other source with the same subject and scope, beyond the
    # window; None when the other source has no such claim, so no window would pair it.
    nearest_days: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricDiff:
    """What two sources said about one metric that both reported."""

    metric: str
    label: str
    unit: str
    pairs: list[ClaimPair]
    unpaired_a: list[Unpaired]  # A's claims with no claim of B of the same scope within the window
    unpaired_b: list[Unpaired]  # B's claims that no claim of A was paired with


@dataclass(frozen=True, slots=True, kw_only=True)
class OneSided:
    """A metric only one of the two sources reported, with its claims."""

    metric: str
    label: str
    unit: str
    rows: list[Row]


@dataclass(frozen=True, slots=True, kw_only=True)
class DiffResult:
    """What `reconcile diff` reports."""

    source_a: str
    name_a: str
    source_b: str
    name_b: str
    window: int
    metrics: list[MetricDiff]
    only_a: list[OneSided]
    only_b: list[OneSided]

    @property
    def disagreements(self) -> list[ClaimPair]:
        """The pairs whose intervals do not overlap."""
        return [pair for m in self.metrics for pair in m.pairs if not pair.overlap]


def relative_difference(best_a: float, best_b: float) -> float | None:
    """(best_b - best_a) / best_a, or None when best_a is 0."""
    return None if best_a == 0 else (best_b - best_a) / best_a


class _Partners:
    """The claims of B with one comparison key, sorted so that the nearest date is found by bisection."""

    def __init__(self, claims: Iterable[Claim]) -> None:
        self.claims = sorted(claims, key=recency)
        self.days = [c.date.toordinal() for c in self.claims]

    def distance(self, day: date) -> int:
        """Days from `day` to the nearest of these claims."""
        target = day.toordinal()
        after = bisect_left(self.days, target)
        near = [abs(self.days[i] - target) for i in (after - 1, after) if 0 <= i < len(self.days)]
        return min(near)

    def nearest(self, day: date, window: int) -> Claim | None:
        target = day.toordinal()
        after = bisect_right(self.days, target)  # first claim strictly later than `day`
        candidates = []
        if after > 0:  # the last claim on or before `day`, which is the latest of its own day
            candidates.append((target - self.days[after - 1], 0, after - 1))
        if after < len(self.days):  # the latest claim of the first later day
            last_of_day = bisect_right(self.days, self.days[after]) - 1
            candidates.append((self.days[after] - target, 1, last_of_day))
        if not candidates:
            return None
        distance, _, index = min(candidates)
        return self.claims[index] if distance <= window else None


def diff(
    dataset: Dataset,
    source_a: str,
    source_b: str,
    filters: Filters,
    *,
    metric: str | None = None,
    window: int = 30,
) -> DiffResult:
    """Pair the claims of two sources (ids or name fragments) and measure how far they differ."""
    if window < 0:
        raise ValueError(f"the window must be 0 days or more, not {window}")
    a, b = resolve_source(dataset, source_a), resolve_source(dataset, source_b)
    if a == b:
        raise SameSourceError(
            f"{clip(repr(source_a))} and {clip(repr(source_b))} both name the source {a}; name two different sources"
        )
    metrics = expand_metrics(dataset, metric) if metric else list(dataset.metrics)
    wanted = set(metrics)
    claims_a: dict[str, list[Claim]] = defaultdict(list)
    partners: dict[Key, list[Claim]] = defaultdict(list)
    metrics_b: dict[str, list[Claim]] = defaultdict(list)
    for claim in dataset.claims:
        if claim.metric not in wanted or not filters.admit(claim):
            continue
        if claim.source == a:
            claims_a[claim.metric].append(claim)
        elif claim.source == b:
            metrics_b[claim.metric].append(claim)
            partners[comparison_key(claim)].append(claim)
    index = {key: _Partners(found) for key, found in partners.items()}
    both, only_a, only_b = [], [], []
    for metric_id in metrics:
        if claims_a[metric_id] and metrics_b[metric_id]:
            both.append(
                _metric_diff(dataset, metric_id, claims_a[metric_id], metrics_b[metric_id], index, window)
            )
        elif claims_a[metric_id]:
            only_a.append(_one_sided(dataset, metric_id, claims_a[metric_id]))
        elif metrics_b[metric_id]:
            only_b.append(_one_sided(dataset, metric_id, metrics_b[metric_id]))
    return DiffResult(
        source_a=a,
        name_a=dataset.sources[a].label,
        source_b=b,
        name_b=dataset.sources[b].label,
        window=window,
        metrics=both,
        only_a=only_a,
        only_b=only_b,
    )


def _metric_diff(
    dataset: Dataset,
    metric_id: str,
    claims_a: Sequence[Claim],
    claims_b: Sequence[Claim],
    index: dict[Key, _Partners],
    window: int,
) -> MetricDiff:
    pairs, unpaired_a, paired_b = [], [], set()
    for claim in sorted(claims_a, key=lambda c: _order(c) + recency(c)):
        key = comparison_key(claim)
        found = index[key].nearest(claim.date, window) if key in index else None
        if found is None:
            gap = index[key].distance(claim.date) if key in index else None
            unpaired_a.append(_unpaired(dataset, claim, gap))
            continue
        paired_b.add(found.id)
        pairs.append(_pair(dataset, claim, found))
    left_b = [c for c in sorted(claims_b, key=lambda c: _order(c) + recency(c)) if c.id not in paired_b]
    index_a: dict[Key, _Partners] = {}
    if left_b:
        keyed: dict[Key, list[Claim]] = {}
        for claim in claims_a:
            keyed.setdefault(comparison_key(claim), []).append(claim)
        index_a = {key: _Partners(claims) for key, claims in keyed.items()}
    unpaired_b = []
    for claim in left_b:
        key = comparison_key(claim)
        gap = index_a[key].distance(claim.date) if key in index_a else None
        unpaired_b.append(_unpaired(dataset, claim, gap))
    info = dataset.metrics[metric_id]
    return MetricDiff(
        metric=metric_id,
        label=info.label,
        unit=info.unit,
        pairs=pairs,
        unpaired_a=unpaired_a,
        unpaired_b=unpaired_b,
    )


def _order(claim: Claim) -> tuple[str, bool, bool, str]:
    """Subject, then cumulative before period and incident counts, counts before projections."""
    _, subject, scope, projection = comparison_key(claim)
    return (subject, scope != "cumulative", projection, scope)


def _pair(dataset: Dataset, claim_a: Claim, claim_b: Claim) -> ClaimPair:
    row_a, row_b = to_row(dataset, claim_a), to_row(dataset, claim_b)
    _, subject, scope, projection = comparison_key(claim_a)
    return ClaimPair(
        subject=subject,
        scope=scope,
        projection=projection,
        a=row_a,
        b=row_b,
        days_apart=(claim_b.date - claim_a.date).days,
        difference=row_b.best - row_a.best,
        relative_difference=relative_difference(row_a.best, row_b.best),
        overlap=meet(row_a, row_b),
    )


def _unpaired(dataset: Dataset, claim: Claim, nearest_days: int | None) -> Unpaired:
    _, subject, scope, projection = comparison_key(claim)
    return Unpaired(
        subject=subject,
        scope=scope,
        projection=projection,
        claim=to_row(dataset, claim),
        nearest_days=nearest_days,
    )


def _one_sided(dataset: Dataset, metric_id: str, claims: Sequence[Claim]) -> OneSided:
    info = dataset.metrics[metric_id]
    rows = [to_row(dataset, c) for c in sorted(claims, key=lambda c: _order(c) + recency(c))]
    return OneSided(metric=metric_id, label=info.label, unit=info.unit, rows=rows)
