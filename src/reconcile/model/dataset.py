"""The domain: a dataset of claims, each read as an interval, as frozen structs that every command shares.

The YAML file is validated by the schema of reconcile.io.schema, with positions for every problem;
what passes becomes these structs. They hold no reference cycles and are never changed, so the
garbage collector does not track them, and the cache writes and reads them back as JSON.
"""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar, Literal

import msgspec

from reconcile.model.terms import MAX_PLACES, Precision, SourceKind, metrics_of, places

#: The decimals of a figure written in a wording, unless a scale word follows ("1.5 million").
_DIGIT = re.compile(r"\d")
_DECIMALS = re.compile(r"\d\.(\d+)(?!\d|\s*(?:hundred|thousand|million|billion|bn\b|m\b|k\b))", re.IGNORECASE)


class _Struct(msgspec.Struct, frozen=True, gc=False, forbid_unknown_fields=True, kw_only=True):
    """Base of every struct of the domain: immutable, untracked, strict about fields."""


class Metric(_Struct, frozen=True, kw_only=True):
    """A quantity claims are made about, with its unit."""

    label: str
    unit: str
    description: str = ""
    accumulates: bool = False  # its running totals never fall (killed), unlike a stock (deployed)


class Subject(_Struct, frozen=True, kw_only=True):
    """Whose troops or losses a claim is about."""

    name: str


class Source(_Struct, frozen=True, kw_only=True):
    """An originator of figures: the body or person who first stated them."""

    name: str
    short: str = ""
    kind: SourceKind
    country: str | None = None
    party: bool | None = None  # None: not known whether it is a party to the conflict
    aliases: tuple[str, ...] = ()
    notes: str = ""

    @property
    def label(self) -> str:
        return self.short or self.name


class Document(_Struct, frozen=True, kw_only=True):
    """An archived document that carries claims."""

    file: str | None = None
    outlet: str
    title: str
    published: date
    published_precision: Precision = Precision.day
    url: str | None = None
    notes: str = ""


class Wording(_Struct, frozen=True, kw_only=True):
    """Tunable rules for reading stated wordings into intervals."""

    approximate: float = 0.10
    vague: dict[str, tuple[float, float, float]] = msgspec.field(default_factory=dict)


class Value(_Struct, frozen=True, kw_only=True):
    """A figure as it was stated, with optional explicit bounds."""

    stated: str
    low: float | None = None
    best: float | None = None
    high: float | None = None
    relative_to: str | None = None

    @property
    def explicit(self) -> bool:
        return self.low is not None or self.best is not None or self.high is not None


class Interval(_Struct, frozen=True, kw_only=True):
    """The interval a claim stands for; an open bound is None."""

    low: float | None
    best: float
    high: float | None
    rule: str = "explicit"

    def __post_init__(self) -> None:
        low, best, high = self.low, self.best, self.high
        if (low is not None and low > best) or (high is not None and best > high) or best < 0:
            raise ValueError(f"not an interval: low {low}, best {best}, high {high}")


class Cumulative(_Struct, frozen=True, kw_only=True, tag="cumulative", tag_field="kind"):
    """A running total since a start."""

    kind: ClassVar[Literal["cumulative"]] = "cumulative"
    since: str = ""


class Period(_Struct, frozen=True, kw_only=True, tag="period", tag_field="kind"):
    """A count over a bounded period."""

    kind: ClassVar[Literal["period"]] = "period"
    start: date | None = None
    end: date | None = None
    description: str = ""


class Incident(_Struct, frozen=True, kw_only=True, tag="incident", tag_field="kind"):
    """A single event."""

    kind: ClassVar[Literal["incident"]] = "incident"
    on: date | None = None
    description: str = ""


Scope = Cumulative | Period | Incident


class Citation(_Struct, frozen=True, kw_only=True):
    """Where a claim was carried: a document and a verbatim quote from it."""

    document: str
    quote: str


class Claim(_Struct, frozen=True, kw_only=True):
    """One figure stated by one originator, with the interval its value reads as."""

    id: str
    metric: str
    subject: str
    place: str = ""
    value: Value
    scope: Scope
    date: date
    precision: Precision = Precision.day
    projection: bool = False
    source: str
    relay: tuple[str, ...] = ()
    citations: tuple[Citation, ...]
    notes: str = ""
    interval: Interval

    @property
    def places(self) -> int:
        """The decimal places the figure is stated to, at most MAX_PLACES: those written in the
        wording (0.45; not those of "1.5 million") and in explicit bounds; for a wording without
        digits, 0 when it is a share of another figure ("nearly a third" of 12,000, a count), else
        those of the interval it reads as ("roughly half" of a share, 0.45 to 0.55)."""
        value = self.value
        written = [len(digits) for digits in _DECIMALS.findall(value.stated)]
        given = places((value.low, value.best, value.high))
        if not _DIGIT.search(value.stated):
            interval = self.interval
            written.append(0 if value.relative_to else places((interval.low, interval.best, interval.high)))
        return min(max([*written, given]), MAX_PLACES)


class Dataset(_Struct, frozen=True, kw_only=True):
    """A whole claims file, validated, every claim's interval read."""

    version: Literal[1] = 1
    wording: Wording = msgspec.field(default_factory=Wording)
    metrics: dict[str, Metric]
    groups: dict[str, tuple[str, ...]] = msgspec.field(default_factory=dict)
    subjects: dict[str, Subject]
    sources: dict[str, Source]
    documents: dict[str, Document] = msgspec.field(default_factory=dict)
    claims: tuple[Claim, ...] = ()

    def metrics_of(self, name: str) -> list[str] | None:
        """The metrics a metric or group name stands for; None for a name that is neither."""
        return metrics_of(name, self.metrics, self.groups)

    def claim(self, claim_id: str) -> Claim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise KeyError(claim_id)
