"""Selecting claims: filters, names resolved, the latest of each originator, and claims as rows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from reconcile.errors import AmbiguousNameError, UnknownNameError
from reconcile.model.terms import Number, Precision

if TYPE_CHECKING:
    from reconcile.model.dataset import Claim, Dataset


@dataclass(frozen=True)
class Filters:
    """Which claims a command looks at."""

    subject: str | None = None
    sources: tuple[str, ...] = ()
    as_of: date | None = None
    since: date | None = None
    until: date | None = None

    def admit(self, claim: Claim) -> bool:
        if self.subject is not None and claim.subject != self.subject:
            return False
        if self.sources and claim.source not in self.sources:
            return False
        if self.as_of is not None and claim.date > self.as_of:
            return False
        if self.since is not None and claim.date < self.since:
            return False
        return self.until is None or claim.date <= self.until


def expand_metrics(dataset: Dataset, name: str) -> list[str]:
    """The metrics a metric or group name stands for."""
    metrics = dataset.metrics_of(name)
    if metrics is not None:
        return metrics
    raise UnknownNameError("metric or group", name, sorted(dataset.metrics) + sorted(dataset.groups))


def resolve_subject(dataset: Dataset, name: str | None) -> str | None:
    """A subject id from an id or a case-insensitive fragment of its name."""
    if name is None:
        return None
    return _resolve("subject", name, {k: [v.name] for k, v in dataset.subjects.items()})


def resolve_source(dataset: Dataset, name: str) -> str:
    """A source id from an id, or a case-insensitive fragment of its name or aliases."""
    return _resolve("source", name, {k: [v.name, v.short, *v.aliases] for k, v in dataset.sources.items()})


def named_filters(
    dataset: Dataset,
    subject: str | None,
    sources: Iterable[str],
    as_of: date | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Filters:
    """Filters from what a user gives: a subject and sources by id or part of a name, and dates."""
    return Filters(
        subject=resolve_subject(dataset, subject),
        sources=tuple(resolve_source(dataset, s) for s in sources),
        as_of=as_of,
        since=since,
        until=until,
    )


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _by_word(needle: list[str], text: str) -> bool:
    """Whether the words of `needle` stand in `text` as whole words, one after another; the last may
    be the start of a word ("ukrain" for "Ukraine's"), so a short name never matches inside a word."""
    words = _words(text)
    n = len(needle)
    return n > 0 and any(
        words[i : i + n - 1] == needle[:-1] and words[i + n - 1].startswith(needle[-1])
        for i in range(len(words) - n + 1)
    )


def _resolve(kind: str, name: str, names: dict[str, list[str]]) -> str:
    if name in names:
        return name
    needle = name.casefold()
    # A whole name or alias ("NIS") wins over parts of longer names ("Stanislav", "Ministry").
    exact = [
        key
        for key, texts in names.items()
        if needle == key.casefold() or any(needle == t.casefold() for t in texts)
    ]
    if len(exact) == 1:
        return exact[0]
    prefixed = [key for key in names if key.casefold().startswith(needle)]
    if len(prefixed) == 1:
        return prefixed[0]
    # Then by word: "us" is a word of "US officials", not of "Russia".
    sought = _words(name)
    matches = [key for key, texts in names.items() if any(_by_word(sought, t) for t in (key, *texts) if t)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise AmbiguousNameError(kind, name, [f"{m} ({names[m][0]})" for m in sorted(matches)])
    spelled = {text: key for key, texts in names.items() for text in (key, *texts) if text}
    raise UnknownNameError(kind, name, sorted(names), spelled)


def latest_per_source(claims: Iterable[Claim]) -> list[Claim]:
    """Each originator's most recent claim.

    On the same day a figure stated outright beats one derived from a fraction of another, then
    the id decides, so the choice is stable.
    """
    latest: dict[str, Claim] = {}
    for claim in claims:
        held = latest.get(claim.source)
        if held is None or recency(claim) > recency(held):
            latest[claim.source] = claim
    return list(latest.values())


def recency(claim: Claim) -> tuple[date, bool, str]:
    """Sort key from older to newer claims, with the same-day order of `latest_per_source`."""
    return (claim.date, claim.value.relative_to is None, claim.id)


def scope_label(claim: Claim) -> str:
    """The scope in words, e.g. 'cumulative' or 'period 2024-12-14 to 2024-12-15'."""
    scope = claim.scope
    if scope.kind == "period":
        if scope.start and scope.end:
            span = str(scope.start) if scope.start == scope.end else f"{scope.start} to {scope.end}"
            return f"period {span}"
        return f"period: {scope.description}" if scope.description else "period"
    if scope.kind == "incident":
        parts = [str(scope.on)] if scope.on else []
        if scope.description:
            parts.append(scope.description)
        return "incident: " + ", ".join(parts) if parts else "incident"
    return "cumulative" + (f" since {scope.since}" if scope.since else "")


def comparison_key(claim: Claim) -> tuple[str, str, str, bool]:
    """Claims are compared only with the same metric, subject, scope and kind (count or projection)."""
    scope = claim.scope
    scope_key = "cumulative" if scope.kind == "cumulative" else scope_label(claim)
    return (claim.metric, claim.subject, scope_key, claim.projection)


def format_date(day: date, precision: Precision) -> str:
    """A claim's date as precisely as it is known: 2025-01-13, 2024-12 or ~2024-12-17."""
    if precision == Precision.month:
        return day.strftime("%Y-%m")
    if precision == Precision.approximate:
        return f"~{day.isoformat()}"
    return day.isoformat()


@dataclass(kw_only=True)
class Row:
    """One claim as a row of a comparison."""

    claim: str
    source: str
    originator: str
    party: bool | None
    stated: str
    low: Number | None
    best: Number
    high: Number | None
    rule: str
    date: date
    precision: Precision
    date_text: str
    place: str
    outlets: list[str]
    relay: list[str]


def row_fields(dataset: Dataset, claim: Claim) -> dict[str, Any]:
    """The fields of a claim's row, for a `Row` or a model that extends it."""
    source = dataset.sources[claim.source]
    interval = claim.interval
    citations, documents = claim.citations, dataset.documents
    if len(citations) == 1:  # the commonest case, and at 100,000 claims a noticeable share of the time
        outlets = [documents[citations[0].document].outlet]
    else:
        outlets = list(dict.fromkeys(documents[c.document].outlet for c in citations))
    return {
        "claim": claim.id,
        "source": claim.source,
        "originator": source.label,
        "party": source.party,
        "stated": claim.value.stated,
        "low": interval.low,
        "best": interval.best,
        "high": interval.high,
        "rule": interval.rule,
        "date": claim.date,
        "precision": claim.precision,
        "date_text": format_date(claim.date, claim.precision),
        "place": claim.place,
        "outlets": outlets,
        "relay": list(claim.relay),
    }


def to_row(dataset: Dataset, claim: Claim) -> Row:
    return Row(**row_fields(dataset, claim))


def outer_bounds(
    lows: Iterable[float | None], highs: Iterable[float | None]
) -> tuple[float | None, float | None]:
    """The lowest low and the highest high; a bound that any figure leaves open (None) stays open."""
    floors, ceilings = list(lows), list(highs)
    return (
        None if None in floors else min(v for v in floors if v is not None),
        None if None in ceilings else max(v for v in ceilings if v is not None),
    )
