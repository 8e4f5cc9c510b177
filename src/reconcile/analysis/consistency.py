"""Consistency checks: claims that contradict each other or themselves, as warnings naming the claims.

Figures are compared as intervals (see the wording table in docs/data-format.md), so that "approximately 1,000"
and "nearly 1,000" do not disagree: two figures disagree only when their intervals do not meet,
and an open bound meets everything on its side. Checks that follow one originator over time skip
the `unattributed` kind of source, which stands for many unnamed originators.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

from reconcile.analysis.claims import Row, comparison_key, recency, row_fields
from reconcile.model.dataset import Claim, Dataset
from reconcile.model.terms import Number, Precision, SourceKind, figures, meet

#: The metrics the sum check reads; it runs when the dataset declares all three.
KILLED, WOUNDED, KILLED_OR_WOUNDED = "killed", "wounded", "killed_or_wounded"
#: Equal figures of one originator this many days apart or less look like one figure recorded twice.
TWICE_WITHIN_DAYS = 7
#: A date of approximate precision may stand for any day this many days either side of it.
APPROXIMATE_DAYS = 7


class Check(StrEnum):
    """What a warning is about; the order of `CheckWarning.claims` for each is in its comment."""

    falling = "falling cumulative figure"  # [earlier, later]
    count_above_total = "count above cumulative figure"  # [period or incident count, cumulative figure]
    sum_mismatch = "killed + wounded disagree"  # [killed, wounded, killed or wounded]
    ratio_mismatch = "ratio disagrees"  # [ratio claim, direct figure, the claim the ratio is of]
    after_publication = "dated after publication"  # [claim]
    recorded_twice = "recorded twice"  # [first, second]
    party_unknown = "party status unknown"  # [the originator's latest running total, which an estimate uses]


@dataclass(kw_only=True)
class WarningClaim(Row):
    """A claim involved in a warning, with where it starts in the dataset file."""

    metric: str
    line: int | None


@dataclass(kw_only=True)
class Span:
    """An interval without a best value, e.g. the sum of two intervals; None is an open bound."""

    low: Number | None
    high: Number | None


@dataclass(kw_only=True)
class Publication:
    """A document that carries a claim, and when it was published."""

    document: str
    outlet: str
    published: date
    precision: Precision = Precision.day  # how exactly `published` is known


@dataclass(kw_only=True)
class CheckWarning:
    """One inconsistency between claims."""

    check: Check
    claims: list[WarningClaim]
    total: Span | None = None  # sum_mismatch: killed + wounded
    documents: list[Publication] = field(
        default_factory=list
    )  # after_publication: every document that carries the claim


@dataclass(kw_only=True)
class CheckReport:
    """What `reconcile check` reports."""

    file: str
    warnings: list[CheckWarning]


def check(dataset: Dataset, *, file: Path, lines: Mapping[str, int] | None = None) -> CheckReport:
    """Every warning about a loaded dataset, in the order of the checks, then by line."""
    finder = _Finder(dataset, lines or {})
    warnings = [
        *finder.falling(),
        *finder.counts_above_totals(),
        *finder.sums(),
        *finder.ratios(),
        *finder.after_publication(),
        *finder.recorded_twice(),
        *finder.party_unknown(),
    ]
    order = list(Check)
    warnings.sort(key=lambda w: (order.index(w.check), [c.line or 0 for c in w.claims]))
    return CheckReport(file=str(file), warnings=warnings)


def possible_days(day: date, precision: Precision) -> tuple[date, date]:
    """The earliest and the latest day a date known to this precision may stand for.

    A month is any of its days; an approximate date any day within APPROXIMATE_DAYS of it.
    """
    if precision == Precision.month:
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == Precision.approximate:
        return _shift(day, -APPROXIMATE_DAYS), _shift(day, APPROXIMATE_DAYS)
    return day, day


def _shift(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:  # near year 1 or 9999 the calendar ends first
        return date.min if days < 0 else date.max


class _Finder:
    def __init__(self, dataset: Dataset, lines: Mapping[str, int]) -> None:
        self.dataset, self.lines = dataset, lines
        self.by_id = {c.id: c for c in dataset.claims}

    def warning(
        self,
        kind: Check,
        claims: Sequence[Claim],
        *,
        total: Span | None = None,
        documents: Sequence[Publication] = (),
    ) -> CheckWarning:
        # From the row's fields, not a Row dumped again: data with many contradictions has tens of thousands.
        refs = [
            WarningClaim(**row_fields(self.dataset, c), metric=c.metric, line=self.lines.get(c.id))
            for c in claims
        ]
        return CheckWarning(check=kind, claims=refs, total=total, documents=list(documents))

    def attributed(self) -> list[Claim]:
        return [
            c for c in self.dataset.claims if self.dataset.sources[c.source].kind != SourceKind.unattributed
        ]

    def series(self) -> Iterator[list[Claim]]:
        """Each originator's cumulative counts of one metric and subject, oldest first."""
        groups: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
        for claim in self.attributed():
            if claim.scope.kind == "cumulative" and not claim.projection:
                groups[(claim.source, claim.metric, claim.subject)].append(claim)
        for claims in groups.values():
            yield sorted(claims, key=recency)

    def falling(self) -> Iterator[CheckWarning]:
        """A running total stated lower than an earlier one of the same originator: the later
        interval lies wholly below the earlier one. Each later claim is paired with the earlier
        claim whose floor is highest."""
        for series in self.series():
            # The earlier claim with the highest floor, among those of days before the current
            # one: if any earlier floor is above a claim's ceiling, that one is.
            highest: Claim | None = None
            pending: Claim | None = None  # the highest floor of the current day, counted from the next
            day: date | None = None
            for later in series:
                if later.date != day:
                    highest, pending, day = _higher_floor(highest, pending), None, later.date
                high = later.interval.high
                if high is not None and highest is not None and (highest.interval.low or 0.0) > high:
                    yield self.warning(Check.falling, [highest, later])
                pending = _higher_floor(pending, later)

    def counts_above_totals(self) -> Iterator[CheckWarning]:
        """A period or incident count wholly above a running total the same originator stated on
        the same day or later, which should include it. Each count is paired with the lowest total."""
        # Each originator's running totals oldest first, with, from each one on, the one of lowest
        # ceiling: the total a count is paired with, if any ceiling is below the count's floor.
        totals: dict[tuple[str, str, str], tuple[list[date], list[Claim | None]]] = {}
        for series in self.series():
            lowest: list[Claim | None] = [None] * (len(series) + 1)
            for i in range(len(series) - 1, -1, -1):
                lowest[i] = _lower_ceiling(lowest[i + 1], series[i])
            totals[(series[0].source, series[0].metric, series[0].subject)] = (
                [t.date for t in series],
                lowest,
            )
        for part in self.attributed():
            if part.scope.kind == "cumulative" or part.projection or part.interval.low is None:
                continue
            dates, lowest = totals.get((part.source, part.metric, part.subject), ([], [None]))
            total = lowest[bisect_left(dates, part.date)]
            if (
                total is not None
                and total.interval.high is not None
                and total.interval.high < part.interval.low
            ):
                yield self.warning(Check.count_above_total, [part, total])

    def sums(self) -> Iterator[CheckWarning]:
        """Killed plus wounded whose interval does not meet the killed-or-wounded figure of the same
        originator, subject, scope and day."""
        if not {KILLED, WOUNDED, KILLED_OR_WOUNDED} <= set(self.dataset.metrics):
            return
        days: dict[tuple[object, ...], dict[str, list[Claim]]] = defaultdict(lambda: defaultdict(list))
        for claim in self.attributed():
            if claim.metric in (KILLED, WOUNDED, KILLED_OR_WOUNDED):
                _, subject, scope, projection = comparison_key(claim)
                days[(claim.source, claim.date, subject, scope, projection)][claim.metric].append(claim)
        for by_metric in days.values():
            for killed in by_metric[KILLED]:
                for wounded in by_metric[WOUNDED]:
                    total = Span(
                        low=_add(killed.interval.low, wounded.interval.low),
                        high=_add(killed.interval.high, wounded.interval.high),
                    )
                    for both in by_metric[KILLED_OR_WOUNDED]:
                        if not meet(total, both.interval):
                            yield self.warning(Check.sum_mismatch, [killed, wounded, both], total=total)

    def ratios(self) -> Iterator[CheckWarning]:
        """A ratio claim ("nearly a third" of another figure) whose interval does not meet the same
        originator's direct figure of the same metric, subject, scope and day."""
        direct: dict[tuple[object, ...], list[Claim]] = defaultdict(list)
        ratios: list[tuple[Claim, Claim]] = []  # a ratio claim and the claim it is a fraction of
        for claim in self.dataset.claims:
            if claim.value.relative_to is None:
                direct[(claim.source, claim.date, *comparison_key(claim))].append(claim)
            else:
                ratios.append((claim, self.by_id[claim.value.relative_to]))
        for ratio, base in ratios:
            for figure in direct.get((ratio.source, ratio.date, *comparison_key(ratio)), []):
                if not meet(ratio.interval, figure.interval):
                    yield self.warning(Check.ratio_mismatch, [ratio, figure, base])

    def after_publication(self) -> Iterator[CheckWarning]:
        """A claim dated after every document that carries it was published, however imprecise the
        dates: its earliest possible day is after the latest possible publication day of each."""
        for claim in self.dataset.claims:
            documents = {c.document: self.dataset.documents[c.document] for c in claim.citations}
            earliest, _ = possible_days(claim.date, claim.precision)
            if all(
                earliest > possible_days(d.published, d.published_precision)[1] for d in documents.values()
            ):
                yield self.warning(
                    Check.after_publication,
                    [claim],
                    documents=[
                        Publication(
                            document=k,
                            outlet=d.outlet,
                            published=d.published,
                            precision=d.published_precision,
                        )
                        for k, d in documents.items()
                    ],
                )

    def recorded_twice(self) -> Iterator[CheckWarning]:
        """Two claims of one originator with the same metric, subject and scope and an equal interval,
        made at most TWICE_WITHIN_DAYS days apart."""
        groups: dict[tuple[object, ...], list[Claim]] = defaultdict(list)
        for claim in self.dataset.claims:
            groups[(claim.source, *comparison_key(claim))].append(claim)
        for claims in groups.values():
            ordered = sorted(claims, key=recency)
            # The claims with each interval, oldest first: only these can pair with one another.
            alike: dict[tuple[float | None, float, float | None], list[Claim]] = defaultdict(list)
            place: dict[str, int] = {}
            for claim in ordered:
                same = alike[figures(claim.interval)]
                place[claim.id] = len(same)
                same.append(claim)
            for first in ordered:
                same = alike[figures(first.interval)]
                for second in same[place[first.id] + 1 :]:
                    if (second.date - first.date).days > TWICE_WITHIN_DAYS:
                        break  # oldest first: the rest are further apart still
                    yield self.warning(Check.recorded_twice, [first, second])

    def party_unknown(self) -> Iterator[CheckWarning]:
        """An originator not known to be a party to the conflict or not, whose running total an
        estimate uses (its latest cumulative count of a metric and subject): `--exclude-parties`
        keeps it, which is wrong if it is one."""
        unknown = {key for key, source in self.dataset.sources.items() if source.party is None}
        if not unknown:
            return
        latest: dict[tuple[str, str, str], Claim] = {}
        for claim in self.dataset.claims:
            if claim.source in unknown and claim.scope.kind == "cumulative" and not claim.projection:
                key = (claim.source, claim.metric, claim.subject)
                held = latest.get(key)
                if held is None or recency(claim) > recency(held):
                    latest[key] = claim
        for claim in latest.values():
            yield self.warning(Check.party_unknown, [claim])


def _higher_floor(a: Claim | None, b: Claim | None) -> Claim | None:
    """Of two claims, the one of higher floor, the later on a tie; a claim without a floor is left out."""
    candidates = [c for c in (a, b) if c is not None and c.interval.low is not None]
    return max(candidates, key=lambda c: (c.interval.low or 0.0, recency(c)), default=None)


def _lower_ceiling(a: Claim | None, b: Claim | None) -> Claim | None:
    """Of two claims, the one of lower ceiling, the earlier on a tie; a claim without a ceiling is left out."""
    candidates = [c for c in (a, b) if c is not None and c.interval.high is not None]
    return min(candidates, key=lambda c: (c.interval.high or 0.0, recency(c)), default=None)


def _add(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b
