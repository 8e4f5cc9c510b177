"""Reconciled estimates: from the claims about one metric to a defensible low / best / high, and why.

An estimate takes each originator's latest cumulative count as of a date and sets the other claims
aside, each with its reason. Which claims are used:

- only cumulative counts: period and incident counts are out of scope, and projections made by a
  source (forecasts, speculation) are not counts;
- one claim per originator, its latest; an older one is superseded, another one of the same day
  (the same statement relayed in other words, e.g. "nearly a third" beside "3,800") is a duplicate
  relay of the one kept;
- with `exclude_parties`, nothing from an originator that is a party to the conflict;
- nothing more than `max_age` days older than the newest claim used (than the estimate's date,
  without `carry`): a running total from weeks before a fresher one understates it.

A running total does not stop growing when no one speaks. A claim used that is more than `max_age`
days older than the estimate's date, but at most MAX_CARRY_DAYS (a year, or `max_age` when longer),
is carried forward to it (`carry`, the default); an older one is set aside as stale. Its best value
rises by the growth the claims show (the originator's own last rise, else the median of the other
originators' last rises, else the slope between credible figures) times the days since it was made,
its high by twice that, and its low stays at the floor it stated. With `project`, every claim used
that predates the estimate's date is carried so, not only the old ones. Without `carry`, a claim
more than `max_age` days older than the estimate's date is set aside as stale instead.

The estimate's date is the as-of date when one is given, else the date of the latest cumulative
count of the metric and subject, so that a dataset read later does not make every claim stale.
"""

from __future__ import annotations

import calendar
import heapq
import math
import statistics
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from reconcile.analysis.claims import (
    Filters,
    Row,
    expand_metrics,
    latest_per_source,
    outer_bounds,
    recency,
    row_fields,
    scope_label,
)
from reconcile.errors import ReconcileError, clip
from reconcile.model.terms import MAX_FIGURE, Number, SourceKind, figures, number, places

if TYPE_CHECKING:
    from reconcile.model.dataset import Claim, Dataset

#: Claims older than this many days before the estimate's date are set aside (see docs/methods.md: the
#: shipped tallies rose by a quarter or more within two weeks, so a figure three weeks old is a floor).
DEFAULT_MAX_AGE = 21
#: A claim is carried forward at most this many days (or --max-age, when longer), and set aside as
#: stale beyond: in the backtest of benchmarks/data/russia-casualties.yaml (docs/methods.md) the
#: median's carried range held 74% of the figures that came half a year on, 63% a year on and 24%
#: at eighteen months, when its best value was 46% off.
MAX_CARRY_DAYS = 365
#: The weighted method halves a claim's weight for every this many days it is older than the youngest used.
HALF_LIFE_DAYS = 14
#: Two figures of a running total are compared when made at most this many days apart (or --max-age
#: apart, when longer), the older raised by the growth the originators' own series show over the days
#: between: figures weeks apart then measure disagreement, not growth. Figures of a stock (troops
#: deployed) are compared within --max-age days: an older one says where it stood, not where it stands.
DISAGREEMENT_DAYS = 90
#: The disagreement is this quantile of the gaps, the ninth decile (inclusive method, interpolated).
DISAGREEMENT_SHARE = 0.9
#: The weighted method's weight of each kind of originator (see docs/methods.md for the reasons).
KIND_WEIGHTS: dict[SourceKind, float] = {
    SourceKind.intelligence: 1.0,
    SourceKind.military: 0.8,
    SourceKind.government: 0.8,
    SourceKind.official: 0.6,
    SourceKind.analyst: 0.6,
    SourceKind.media: 0.4,
    SourceKind.unattributed: 0.2,
}


class Method(StrEnum):
    """How the claims used are combined into one low / best / high."""

    envelope = "envelope"
    median = "median"
    conservative = "conservative"
    weighted = "weighted"


DEFAULT_METHOD = Method.median

#: Each method's rule in one sentence, for `--explain` and docs/methods.md.
METHOD_RULES: dict[Method, str] = {
    Method.envelope: "lowest low to highest high of the claims used (an open bound stays open); "
    "best is the median of their best values",
    Method.median: "median of the best values; low is the first quartile of the lows and high the third "
    "quartile of the highs (inclusive method), where an open bound counts as the widest closed bound "
    "on its side among the other claims used (never nearer than its own best), or, with none, as "
    "infinity, so that a quartile it can reach is open; and the range reaches at least as far either "
    "side of the best value as credible sources disagree: the ninth decile of the gaps between pairs of "
    f"credible figures of different originators within {DISAGREEMENT_DAYS} days (or --max-age, when "
    "longer; for a stock such as troops deployed, --max-age) of each other, the older raised by the "
    "growth the originators' own series show; a bound no claim used closes is closed there when a "
    "figure compared states that side and the reach goes beyond every claim used open on it",
    Method.conservative: "the interval of the credible claim with the lowest best value; credible claims "
    "are those whose originator is not a party to the conflict, or all of them when "
    "every claim used comes from a party",
    Method.weighted: f"weighted means of the lows, bests and highs; a claim's weight is its kind's weight "
    f"times 0.5 ^ (days older than the youngest claim used / {HALF_LIFE_DAYS}); one open bound "
    f"leaves that bound open",
}


class Reason(StrEnum):
    """Why a claim was set aside."""

    out_of_scope = "out of scope"
    projection = "projection"
    party = "party to the conflict"
    superseded = "superseded"
    duplicate_relay = "duplicate relay"
    stale = "stale"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """How an estimate is made."""

    method: Method = DEFAULT_METHOD
    max_age: int = DEFAULT_MAX_AGE
    project: bool = False
    carry: bool = True
    exclude_parties: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", Method(self.method))
        if self.max_age < 0:
            raise ValueError(f"max_age must be 0 or more, not {self.max_age}")


class Growth(StrEnum):
    """Where the daily growth that carries a claim forward comes from."""

    own = "own series"  # the rise between the originator's last two figures
    others = "others' series"  # the median of the last rises of the originators with two or more figures
    slope = "slope between credible figures"  # the median slope between the latest figures of originators
    none = "no growth shown"  # no two figures rise: the high is open


@dataclass(kw_only=True)
class Carry:
    """A claim carried forward to the estimate's date by the growth the claims show.

    The best value rises by `per_day` x `days`, the high by twice that, and the low stays at the floor
    the claim stated: a running total does not fall, and may have grown from not at all to twice the
    pace shown. With no growth shown the high is open.
    """

    low: Number | None
    best: Number
    high: Number | None
    days: int
    per_day: Number | None  # None when no growth is shown
    growth: Growth
    trend: list[str]  # the claims the daily growth is taken from
    because: str  # "max-age" (the claim is more than --max-age days old) or "project"


@dataclass(kw_only=True)
class Weight:
    """A claim's weight in the weighted method."""

    kind: Number  # the weight of the originator's kind
    recency: Number  # 0.5 ^ ((age - the youngest used claim's age) in days / HALF_LIFE_DAYS)
    value: Number  # kind x recency
    share: Number  # value / the sum of all values


@dataclass(kw_only=True)
class UsedClaim(Row):
    """A claim an estimate stands on; low / best / high are the claim's own, see `carried`."""

    kind: SourceKind
    age_days: int
    carried: Carry | None = None  # when set, its figures are used instead of the claim's
    weight: Weight | None = None

    @property
    def figures(self) -> tuple[float | None, float, float | None]:
        """The low, best and high the estimate uses."""
        return figures(self.carried or self)


@dataclass(kw_only=True)
class SetAside(Row):
    """A claim an estimate does not use, and why."""

    reason: Reason
    scope: str
    age_days: int | None  # None when the estimate has no date
    by: str | None = None  # the claim that supersedes it or that it duplicates


@dataclass(kw_only=True)
class Estimate:
    """A reconciled low / best / high for one metric and subject; bounds that no claim closes are None."""

    metric: str
    label: str
    unit: str
    subject: str
    subject_name: str
    as_of: date | None  # None when there is no cumulative count to date the estimate by
    as_of_given: bool  # False when as_of is the date of the latest claim
    method: Method
    max_age: int
    project: bool
    carry: bool
    exclude_parties: bool
    low: Number | None
    best: Number | None  # None when no claim could be used
    high: Number | None
    chosen: str | None = None  # conservative: the claim whose interval is the estimate
    credible: list[str] = field(default_factory=list)  # conservative: the claims it chose among
    used: list[UsedClaim]
    set_aside: list[SetAside]
    # When no claim is used but some were set aside as stale: the age in days of the newest of them,
    # the --max-age that would use it.
    nearest_age_days: int | None = None
    places: int = 0  # the decimal places the claims used are stated to, which the figures are shown at
    # median: how far credible figures disagree (see `disagreement`): the ninth decile of the gaps
    # between pairs of credible originators' figures, the older raised by `disagreement_growth` a day
    # for each day between; None without such a pair
    disagreement: Number | None = None
    disagreement_growth: Number | None = None
    disagreement_days: int | None = None  # how many days apart the pairs compared may be


@dataclass(kw_only=True)
class EstimateResult:
    """What `reconcile estimate` reports: one estimate per metric and subject."""

    query: str
    metrics: list[str]
    as_of: date | None
    estimates: list[Estimate]


@dataclass(frozen=True)
class Figures:
    """What a method computes from the claims used."""

    low: float | None
    best: float | None
    high: float | None
    chosen: str | None = None
    credible: list[str] = field(default_factory=list)
    weights: dict[str, Weight] = field(default_factory=dict)


def envelope(used: Sequence[UsedClaim]) -> Figures:
    lows, bests, highs = zip(*(claim.figures for claim in used), strict=True)
    low, high = outer_bounds(lows, highs)
    return Figures(low, statistics.median(bests), high)


def median(used: Sequence[UsedClaim]) -> Figures:
    # The quartiles of the lows and of the highs, not of the best values: a lone "between 10,000 and
    # 12,000" stays a range. An open bound ("more than 3,000") counts as the widest closed bound on
    # its side among the other claims used, and never nearer than its own best: the other credible
    # figures say how far the claims reach. With no closed bound on its side it is open (an infinity),
    # and a quartile such a bound can reach is open.
    lows, highs = median_bounds(used)
    bests = [claim.figures[1] for claim in used]
    low, high = quantile(lows, 0.25), quantile(highs, 0.75)
    return Figures(
        None if math.isinf(low) else low, statistics.median(bests), None if math.isinf(high) else high
    )


def median_bounds(used: Sequence[UsedClaim]) -> tuple[list[float], list[float]]:
    """The lows and the highs the median's quartiles are taken of, in the order of `used`: an open
    bound counted as the widest closed one of the others (see `median`), or as an infinity."""
    lows, bests, highs = zip(*(claim.figures for claim in used), strict=True)
    return _closed(lows, bests, min, -math.inf), _closed(highs, bests, max, math.inf)


def _closed(
    bounds: Sequence[float | None],
    bests: Sequence[float],
    widest: Callable[[Sequence[float]], float],
    unbounded: float,
) -> list[float]:
    """Each bound of one side, an open one replaced by the widest closed one of the other claims
    (`widest` is min for lows, max for highs) or by its own best when that is wider; `unbounded`
    when no other claim closes that side."""
    out = []
    for i, (bound, best) in enumerate(zip(bounds, bests, strict=True)):
        if bound is not None:
            out.append(bound)
            continue
        others = [b for j, b in enumerate(bounds) if j != i and b is not None]
        out.append(widest([widest(others), best]) if others else unbounded)
    return out


def quantile(values: Sequence[float], share: float) -> float:
    """The quantile at `share` (0.25 the first quartile, 0.9 the ninth decile) by the inclusive method
    (as `statistics.quantiles`), infinities allowed."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    below, fraction = int(position), position - int(position)
    if fraction == 0:
        return ordered[below]
    a, b = ordered[below], ordered[below + 1]
    if math.isinf(a) or math.isinf(b):
        return a if math.isinf(a) else b
    return a + (b - a) * fraction


def conservative(used: Sequence[UsedClaim]) -> Figures:
    credible = [claim for claim in used if not claim.party] or list(used)
    # The lowest best value; on a tie the more recent claim, then the id, so the choice is stable.
    chosen = min(credible, key=lambda c: (c.figures[1], -c.date.toordinal(), c.claim))
    low, best, high = chosen.figures
    return Figures(low, best, high, chosen=chosen.claim, credible=[c.claim for c in credible])


def weighted(used: Sequence[UsedClaim]) -> Figures:
    # Recency counts from the youngest claim used, which has 1: the shares are those of absolute ages,
    # and claims all years old do not underflow every weight to 0.
    youngest = min(c.age_days for c in used)
    factors = {
        c.claim: (KIND_WEIGHTS[c.kind], 0.5 ** ((c.age_days - youngest) / HALF_LIFE_DAYS)) for c in used
    }
    total = sum(kind * recency for kind, recency in factors.values())
    # Rounded two places finer than the claims are stated to: 2 for counts.
    digits = places(v for c in used for v in c.figures) + 2
    weights = {
        claim: Weight(kind=kind, recency=recency, value=kind * recency, share=kind * recency / total)
        for claim, (kind, recency) in factors.items()
    }

    def mean(index: int) -> float | None:
        parts = [(weights[c.claim].share, c.figures[index]) for c in used]
        if any(value is None for _, value in parts):
            return None
        return round(sum(share * value for share, value in parts if value is not None), digits)

    return Figures(mean(0), mean(1), mean(2), weights=weights)


#: How far sources disagree is read from at most this many credible figures, the most recent: the
#: pairs grow with the square of their number ...
DISAGREEMENT_FIGURES = 100
#: ... and at most this many of one originator, so that one daily series does not crowd out the rest.
DISAGREEMENT_EACH = 25


def disagreement_days(max_age: int, accumulates: bool) -> int:
    """How many days apart two figures may be made to be compared for disagreement (see DISAGREEMENT_DAYS)."""
    return max(max_age, DISAGREEMENT_DAYS) if accumulates else max_age


def disagreement(
    candidates: Sequence[Claim], dataset: Dataset, window: int, accumulates: bool
) -> tuple[float, float, tuple[bool, bool]] | None:
    """How far credible figures disagree: the ninth decile, over pairs of figures of different
    credible originators made within `window` days of each other (see `disagreement_days`; of the
    DISAGREEMENT_FIGURES most recent, at most DISAGREEMENT_EACH of one originator), of |a' - b| / the
    larger, where a' is the older figure raised by the daily growth the originators' own series show
    times the days between. That growth is the median slope between two figures of one originator at
    least SLOPE_MIN_DAYS apart (leaving out falls where the metric `accumulates`), else none.
    Returns the disagreement, that daily growth, and whether some figure compared states a low and
    whether some states a high (two "more than" figures say nothing of how far above them the total
    is); None without such a pair. Credible is as for `conservative`."""
    credible = [c for c in candidates if not dataset.sources[c.source].party] or list(candidates)
    by_source: dict[str, list[Claim]] = {}
    for claim in credible:
        by_source.setdefault(claim.source, []).append(claim)
    if len(by_source) < 2:
        return None  # one originator's series: nothing to disagree with
    # The most recent, oldest first, without sorting them all: an estimate per day of a long series
    # of a large dataset makes this call thousands of times.
    pool = [
        c for claims in by_source.values() for c in heapq.nlargest(DISAGREEMENT_EACH, claims, key=recency)
    ]
    recent = sorted(heapq.nlargest(DISAGREEMENT_FIGURES, pool, key=recency), key=recency)
    figures = [(c.date.toordinal(), c.interval.best, c.source) for c in recent]
    slopes = [
        (best_b - best_a) / (day_b - day_a)
        for i, (day_a, best_a, source_a) in enumerate(figures)
        for day_b, best_b, source_b in figures[i + 1 :]
        if day_b - day_a >= SLOPE_MIN_DAYS and source_a == source_b
    ]
    if accumulates:
        # A running total that falls is a contradiction (`reconcile check` reports it), not a trend.
        slopes = [slope for slope in slopes if slope >= 0]
    per_day = statistics.median(slopes) if slopes else 0.0
    gaps = []
    compared: set[int] = set()  # the figures of the pairs with a gap
    for i, (day_a, best_a, source_a) in enumerate(figures):
        for j, (day_b, best_b, source_b) in enumerate(figures[i + 1 :], start=i + 1):
            days = day_b - day_a
            if days > window:
                break  # oldest first: every later one is further apart
            if source_a == source_b:
                continue
            raised = max(best_a + per_day * days, 0.0)  # a stock's fall ends at none
            larger = max(raised, best_b)
            if larger > 0:
                gaps.append(abs(raised - best_b) / larger)
                compared.update((i, j))
    if not gaps:
        return None
    stated = [recent[k].interval for k in compared]
    sides = (any(v.low is not None for v in stated), any(v.high is not None for v in stated))
    return quantile(gaps, DISAGREEMENT_SHARE), per_day, sides


def _reaching(
    figures: Figures,
    spread: float,
    digits: int,
    floor: float | None,
    used: Sequence[UsedClaim],
    sides: tuple[bool, bool],
) -> Figures:
    """The figures with a range reaching at least `spread` of the best value either side, rounded to
    `digits` places (the low down, the high up); an open bound (no claim used closes that side) is
    closed there, as far as credible sources disagree, when some figure compared states that side
    (`sides`: a low, a high) and the reach goes beyond every claim used that is open on that side.
    The low reaches no lower than `floor`, the lowest floor of the claims used: below it every claim says the
    total is not, and the high no higher than MAX_FIGURE."""
    assert figures.best is not None
    scale = 10**digits
    reach_low = math.floor(round(figures.best * (1 - spread) * scale, 6)) / scale
    reach_high = math.ceil(round(figures.best * (1 + spread) * scale, 6)) / scale
    if floor is not None:
        reach_low = max(reach_low, floor)
    reach_high = min(reach_high, MAX_FIGURE)
    # An open bound is closed only beyond what every claim open on that side says: a high above each
    # "more than" figure, a low below each "up to" one. Short of that it stays open, as where the
    # sources do not disagree at all, or where no figure compared states that side.
    if figures.low is None:
        ceilings = [c.figures[1] for c in used if c.figures[0] is None]
        low = reach_low if sides[0] and spread > 0 and all(reach_low < v for v in ceilings) else None
    else:
        low = min(figures.low, reach_low)
    if figures.high is None:
        floors = [c.figures[1] for c in used if c.figures[2] is None]
        high = reach_high if sides[1] and spread > 0 and all(reach_high > v for v in floors) else None
    else:
        high = max(figures.high, reach_high)
    return replace(figures, low=low, high=high)


#: One function per method; each takes at least one used claim.
METHODS: dict[Method, Callable[[Sequence[UsedClaim]], Figures]] = {
    Method.envelope: envelope,
    Method.median: median,
    Method.conservative: conservative,
    Method.weighted: weighted,
}


def estimates(
    dataset: Dataset, name: str, filters: Filters, settings: Settings | None = None
) -> EstimateResult:
    """An estimate for each metric of a metric or group name and each subject with claims about it."""
    metrics = expand_metrics(dataset, name)
    out = []
    for metric in metrics:
        subjects = {c.subject for c in dataset.claims if c.metric == metric and filters.admit(c)}
        out += [
            estimate_for(dataset, metric, s, filters, settings) for s in dataset.subjects if s in subjects
        ]
    return EstimateResult(query=name, metrics=metrics, as_of=filters.as_of, estimates=out)


def estimate_for(
    dataset: Dataset,
    metric: str,
    subject: str,
    filters: Filters,
    settings: Settings | None = None,
    *,
    set_aside_for: Collection[Reason] | None = None,
    claims: Sequence[Claim] | None = None,
) -> Estimate:
    """The estimate of one metric for one subject from the claims the filters admit.

    `set_aside` lists the claims set aside for the reasons `set_aside_for` names; None, the default,
    is every reason. A caller that prints only some of them need not have tens of thousands built.
    `claims`, when given, are the dataset's claims of this metric and subject, taken once by a caller
    that makes many estimates of them.
    """
    settings = settings or Settings()
    if claims is None:
        claims = [c for c in dataset.claims if c.metric == metric and c.subject == subject]
    claims = [c for c in claims if filters.admit(c)]
    counts = [c for c in claims if c.scope.kind == "cumulative" and not c.projection]
    as_of = filters.as_of or max((c.date for c in counts), default=None)
    set_aside: list[SetAside] = []

    def aside(claim: Claim, reason: Reason, by: str | None = None) -> None:
        if set_aside_for is not None and reason not in set_aside_for:
            return
        # From the row's fields, not a Row dumped again: at 100,000 claims that doubled the work.
        set_aside.append(
            SetAside(
                **row_fields(dataset, claim),
                reason=reason,
                scope=scope_label(claim),
                age_days=None if as_of is None else (as_of - claim.date).days,
                by=by,
            )
        )

    candidates = []
    for claim in claims:
        if claim.scope.kind != "cumulative":
            aside(claim, Reason.out_of_scope)
        elif claim.projection:
            aside(claim, Reason.projection)
        elif settings.exclude_parties and dataset.sources[claim.source].party:
            aside(claim, Reason.party)
        else:
            candidates.append(claim)
    latest = {c.source: c for c in latest_per_source(candidates)}
    by_id = {c.id: c for c in latest.values()}
    for claim in candidates:
        kept = latest[claim.source]
        if claim is not kept:
            aside(claim, Reason.duplicate_relay if claim.date == kept.date else Reason.superseded, kept.id)
    # Stale is more than max_age older than the newest claim kept when claims are carried forward
    # (the latest figures, however old, are carried to the estimate's date), else than that date.
    newest = max((c.date for c in latest.values()), default=None)
    # Only a running total that never falls is carried: a stock (troops deployed) may have fallen.
    info = dataset.metrics[metric]
    carry, project = settings.carry and info.accumulates, settings.project and info.accumulates
    anchor = newest if carry else as_of
    growth: _GrowthOf | None = None
    used = []
    stale_ages = []
    carried_at_most = carry_limit(settings.max_age)
    for claim in latest.values():
        assert as_of is not None and anchor is not None  # there are candidates, so counts to date by
        age = (as_of - claim.date).days
        if (anchor - claim.date).days > settings.max_age or (carry and age > carried_at_most):
            aside(claim, Reason.stale)
            stale_ages.append(age)
            continue
        carried = None
        if age > 0 and (project or age > settings.max_age):
            growth = growth or _GrowthOf(candidates, dataset, settings)
            carried = growth.carry(claim, as_of, "max-age" if age > settings.max_age else "project")
        used.append(
            UsedClaim(
                **row_fields(dataset, claim),
                kind=dataset.sources[claim.source].kind,
                age_days=age,
                carried=carried,
            )
        )
    used.sort(key=lambda c: (c.figures[1], c.date, c.claim))
    rank = {reason: i for i, reason in enumerate(Reason)}
    set_aside.sort(key=lambda c: (rank[c.reason], c.date, c.claim))
    figures = METHODS[settings.method](used) if used else Figures(None, None, None)
    window = disagreement_days(settings.max_age, info.accumulates)
    measured = (
        disagreement(candidates, dataset, window, info.accumulates)
        if settings.method is Method.median
        else None
    )
    spread, growth_per_day, sides = measured or (None, None, (False, False))
    if spread is not None and figures.best is not None:
        # Rounded two places finer than the claims are stated to, as the weighted means are.
        lows = [c.figures[0] for c in used]
        floor = None if None in lows else min(v for v in lows if v is not None)
        digits = places(v for c in used for v in c.figures) + 2
        figures = _reaching(figures, spread, digits, floor, used, sides)
    for item in used:
        item.weight = figures.weights.get(item.claim)
    return Estimate(
        metric=metric,
        label=info.label,
        unit=info.unit,
        subject=subject,
        subject_name=dataset.subjects[subject].name,
        as_of=as_of,
        as_of_given=filters.as_of is not None,
        method=settings.method,
        max_age=settings.max_age,
        project=project,
        carry=carry,
        exclude_parties=settings.exclude_parties,
        low=figures.low,
        best=figures.best,
        high=figures.high,
        chosen=figures.chosen,
        credible=figures.credible,
        used=used,
        set_aside=set_aside,
        nearest_age_days=None if used else min(stale_ages, default=None),
        places=max((by_id[c.claim].places for c in used), default=0),
        disagreement=None if spread is None else round(spread, 6),
        disagreement_growth=None if growth_per_day is None else round(growth_per_day, 6),
        disagreement_days=None if spread is None else window,
    )


def _series(claims: Sequence[Claim]) -> dict[str, list[Claim]]:
    """Each originator's figures, oldest first, one a day: the one `latest_per_source` keeps of that day."""
    series: dict[str, list[Claim]] = {}
    for claim in sorted(claims, key=recency):
        days = series.setdefault(claim.source, [])
        if days and days[-1].date == claim.date:
            days[-1] = claim  # later in the order of `recency`, so preferred
        else:
            days.append(claim)
    return series


#: The slope between credible figures is taken over at most this many originators' latest figures,
#: the most recent: the pairs grow with the square of their number.
SLOPE_FIGURES = 100
#: ... and only between figures at least this many days apart.
SLOPE_MIN_DAYS = 7


class _GrowthOf:
    """The daily growth the candidate claims of one metric and subject show, for carrying them forward."""

    def __init__(self, candidates: Sequence[Claim], dataset: Dataset, settings: Settings) -> None:
        series = _series(candidates)
        # Credible: not a party to the conflict (as in `conservative`), or all when every one is.
        credible = {s: days for s, days in series.items() if not dataset.sources[s].party} or series
        self.series = series
        self.rises = {s: rise for s, days in series.items() if (rise := _last_rise(days)) is not None}
        others = [rise for s, rise in self.rises.items() if s in credible and rise[0] > 0]
        self.others = statistics.median(r[0] for r in others) if others else None
        self.others_from = [claim for _, pair in others for claim in pair]
        latest = sorted((days[-1] for days in credible.values()), key=recency)[-SLOPE_FIGURES:]
        # Figures of different originators days apart differ more by disagreement than by growth:
        # a slope is taken between figures at least SLOPE_MIN_DAYS apart.
        slopes = [
            (b.interval.best - a.interval.best) / (b.date - a.date).days
            for i, a in enumerate(latest)
            for b in latest[i + 1 :]
            if (b.date - a.date).days >= SLOPE_MIN_DAYS
        ]
        self.slope = statistics.median(slopes) if slopes else None
        self.slope_from = [c.id for c in latest]

    def carry(self, claim: Claim, as_of: date, because: str) -> Carry:
        """`claim` carried forward from its date to `as_of`."""
        days = (as_of - claim.date).days
        own = self.rises.get(claim.source)
        if own is not None and own[0] > 0 and self.series[claim.source][-1] is claim:
            per_day, growth, trend = own[0], Growth.own, list(own[1])
        elif self.others is not None:
            per_day, growth, trend = self.others, Growth.others, self.others_from
        elif self.slope is not None and self.slope > 0:
            per_day, growth, trend = self.slope, Growth.slope, self.slope_from
        else:
            per_day, growth, trend = None, Growth.none, []
        interval = claim.interval
        rise = None if per_day is None else per_day * days
        # Rounded two places finer than the claim is stated to: 2 for counts, 6 for 0.4533.
        digits = places(figures(interval)) + 2

        # No figure carried beyond the largest a dataset holds (a rise over two centuries could).
        def raised(value: float | None, by: float | None) -> float | None:
            return None if value is None or by is None else round(min(value + by, MAX_FIGURE), digits)

        return Carry(
            low=interval.low,
            best=round(min(interval.best + (rise or 0.0), MAX_FIGURE), digits),
            high=raised(interval.high, None if rise is None else 2 * rise),
            days=days,
            per_day=None if per_day is None else round(per_day, digits + 2),
            growth=growth,
            trend=trend,
            because=because,
        )


def _last_rise(days: Sequence[Claim]) -> tuple[float, tuple[str, str]] | None:
    """The daily rise between the best values of an originator's last two figures (oldest first, one
    a day), with their ids; None with fewer than two. A fall is returned too: the caller skips it, as
    a falling running total is a contradiction (`reconcile check` reports it), not a trend."""
    if len(days) < 2:
        return None
    earlier, later = days[-2], days[-1]
    per_day = (later.interval.best - earlier.interval.best) / (later.date - earlier.date).days
    return per_day, (earlier.id, later.id)


def carry_note(estimate: Estimate, claim: UsedClaim, text: Callable[[str], str]) -> str | None:
    """How a claim was carried forward, in words; `text` escapes the dataset's text for an output.
    None when the claim is used as stated. Figures are two places finer than the claims are stated
    to, so that the sums shown add up."""
    c = claim.carried
    if c is None:
        return None

    def n(value: float | None, finer: int = 2) -> str:
        return number(value, places=estimate.places + finer)

    low, best, high = claim.low, claim.best, claim.high
    days = f"{c.days} {'day' if c.days == 1 else 'days'}"
    why = (
        f"more than --max-age {estimate.max_age} days older than the estimate's date"
        if c.because == "max-age"
        else "--project"
    )
    head = f"Carried forward {days} to {estimate.as_of} ({why}): {text(claim.originator)}, {text(claim.date_text)}."
    floor = "the low stays open" if low is None else f"the low stays at its floor, {n(low)}"
    if c.per_day is None:
        return f"{head} No growth is shown: the best value stays {n(best)}, {floor} and the high is open."
    if c.growth is Growth.own:
        rows = {r.claim: r for r in [*estimate.used, *estimate.set_aside]}
        earlier = rows.get(c.trend[0])
        basis = "its own last rise" + (
            "" if earlier is None else f", from {n(earlier.best)} ({text(earlier.date_text)})"
        )
        basis += f" to {n(best)} ({text(claim.date_text)})"
    elif c.growth is Growth.others:
        basis = (
            "the median of the last rises of the credible originators with two or more figures "
            f"({len(c.trend) // 2})"
        )
    else:
        basis = (
            f"the median slope between the latest figures of {len(c.trend)} credible originators, "
            f"each pair at least {SLOPE_MIN_DAYS} days apart"
        )
    rise = c.best - best
    raised = (
        "the high stays open"
        if high is None or c.high is None
        else f"the high, twice as fast, {n(high)} + {n(c.high - high)} = {n(c.high)}"
    )
    return (
        f"{head} Growth {n(c.per_day, 4)} a day, {basis}: best {n(best)} + {n(rise)} ({days}) = "
        f"{n(c.best)}; {raised}; {floor}."
    )


def what_would_use(estimate: Estimate) -> str | None:
    """What to change when an estimate used no claim though a stale one is near, or though claims
    from parties were left out: plain words, no data text."""
    days = estimate.nearest_age_days
    if estimate.used:
        return None
    if days is None:
        parties = sum(1 for item in estimate.set_aside if item.reason is Reason.party)
        if not parties:
            return None
        return (
            f"every running total left is from a party to the conflict ({parties} "
            f"{'claim' if parties == 1 else 'claims'}); without --exclude-parties they would be used"
        )
    limit = (
        f"the {carry_limit(estimate.max_age)} days a claim is carried forward"
        if estimate.carry and days > carry_limit(estimate.max_age)
        else f"--max-age {estimate.max_age}"
    )
    return (
        f"the newest claim set aside is {days:,} {'day' if days == 1 else 'days'} older than the estimate's "
        f"date, more than {limit}; --max-age {days} would use it"
    )


def carry_limit(max_age: int) -> int:
    """The most days a claim is carried forward: MAX_CARRY_DAYS, or `max_age` when longer."""
    return max(MAX_CARRY_DAYS, max_age)


def unknown_parties(result: EstimateResult) -> list[str]:
    """The originators an estimate with `exclude_parties` still uses though it is not known whether
    they are parties to the conflict (their `party` is not given), in the order of first use."""
    return list(
        dict.fromkeys(
            claim.originator
            for estimate in result.estimates
            if estimate.exclude_parties
            for claim in estimate.used
            if claim.party is None
        )
    )


class Step(StrEnum):
    """How far apart the dates of an estimate series are."""

    day = "day"
    week = "week"
    month = "month"


@dataclass(kw_only=True)
class SeriesPoint:
    """The estimate at one date of a series; bounds that no claim closes are None."""

    date: date
    low: Number | None
    best: Number | None  # None when no claim could be used at this date
    high: Number | None
    used: int  # how many claims the estimate at this date stands on


@dataclass(kw_only=True)
class EstimateSeries:
    """The estimate of one metric for one subject at each date of a series."""

    metric: str
    label: str
    unit: str
    subject: str
    subject_name: str
    points: list[SeriesPoint]
    places: int = 0  # the decimal places its claims are stated to, which its figures are shown at


@dataclass(kw_only=True)
class SeriesResult:
    """What `reconcile estimate --every` reports: one series per metric and subject."""

    query: str
    metrics: list[str]
    every: Step
    method: Method
    max_age: int
    series: list[EstimateSeries]


#: The most dates one series may hold: each is a full estimate, and every day for 27 years is 10,000.
MAX_SERIES_DATES = 10_000


def series_length(first: date, last: date, every: Step) -> int:
    """How many dates `series_dates` gives, counted without making them."""
    if last < first:
        return 0
    if every is Step.day or every is Step.week:
        return (last - first).days // (1 if every is Step.day else 7) + 1
    months = (last.year - first.year) * 12 + last.month - first.month
    return months + (last.day >= first.day or last.day == calendar.monthrange(last.year, last.month)[1])


def series_dates(first: date, last: date, every: Step) -> list[date]:
    """The dates from `first` to `last`, both included when they fall on a step, `every` apart.

    A month steps to the same day of the next month, or that month's last day when it is shorter
    (31 January, 28 February, 31 March: the day of `first` is kept, not the clipped one).
    """
    if every is Step.day or every is Step.week:
        step = 1 if every is Step.day else 7
        return [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1, step)]
    out: list[date] = []
    months = 0
    while True:
        year, month = divmod(first.month - 1 + months, 12)
        year += first.year
        if year > date.max.year:
            return out
        day = min(first.day, calendar.monthrange(year, month + 1)[1])
        current = date(year, month + 1, day)
        if current > last:
            return out
        out.append(current)
        months += 1


def estimate_points(
    dataset: Dataset,
    metric: str,
    subject: str,
    filters: Filters,
    settings: Settings | None,
    dates: Sequence[date],
) -> list[SeriesPoint]:
    """The estimate of one metric for one subject as of each date: `estimate_for` at each."""
    claims = [c for c in dataset.claims if c.metric == metric and c.subject == subject]
    points = []
    for day in dates:
        at = replace(filters, as_of=day)
        item = estimate_for(dataset, metric, subject, at, settings, set_aside_for=(), claims=claims)
        points.append(
            SeriesPoint(date=day, low=item.low, best=item.best, high=item.high, used=len(item.used))
        )
    return points


def estimate_series(
    dataset: Dataset,
    name: str,
    filters: Filters,
    settings: Settings | None = None,
    *,
    every: Step,
    since: date | None = None,
    until: date | None = None,
) -> SeriesResult:
    """The estimate of each metric of a name for each subject at every `every` from `since` to `until`.

    Each point is `estimate_for` with the filters' as-of date set to the point's date, so a single
    `--as-of` estimate is the series at one date. `since` defaults to the earliest cumulative count
    and `until` to the filters' as-of date, else the latest cumulative count.
    """
    settings = settings or Settings()
    every = Step(every)
    metrics = expand_metrics(dataset, name)
    # Each series' span first, so that a series too long is refused before any estimate is made.
    spans: list[tuple[str, str, list[Claim], date | None, date | None]] = []
    for metric in metrics:
        admitted = [c for c in dataset.claims if c.metric == metric and filters.admit(c)]
        counts = [c for c in admitted if c.scope.kind == "cumulative" and not c.projection]
        for subject in dataset.subjects:
            if not any(c.subject == subject for c in admitted):
                continue
            own = [c for c in counts if c.subject == subject]
            first = since or min((c.date for c in own), default=None)
            last = until or filters.as_of or max((c.date for c in own), default=None)
            length = 0 if first is None or last is None else series_length(first, last, every)
            if length > MAX_SERIES_DATES:
                wider = "" if every is Step.month else ", or space it out with --every month"
                raise ReconcileError(
                    f"the estimate of {clip(metric)} about {clip(subject)} every {every.value} from {first} to {last} "
                    f"is {length:,} estimates, more than the {MAX_SERIES_DATES:,} a series may hold: narrow "
                    f"it with --since and --until{wider}"
                )
            spans.append((metric, subject, own, first, last))
    out: list[EstimateSeries] = []
    for metric, subject, own, first, last in spans:
        points = []
        if first is not None and last is not None:
            dates = series_dates(first, last, every)
            points = estimate_points(dataset, metric, subject, filters, settings, dates)
        info = dataset.metrics[metric]
        out.append(
            EstimateSeries(
                metric=metric,
                label=info.label,
                unit=info.unit,
                subject=subject,
                subject_name=dataset.subjects[subject].name,
                points=points,
                places=max((c.places for c in own), default=0),
            )
        )
    return SeriesResult(
        query=name, metrics=metrics, every=every, method=settings.method, max_age=settings.max_age, series=out
    )
