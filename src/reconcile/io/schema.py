"""The schema of a dataset file, as strict pydantic models: what a file must hold, with positions for
what it gets wrong, and the JSON Schema. What passes becomes reconcile.model.dataset."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from reconcile.errors import clip
from reconcile.model.terms import MAX_FIGURE, Number, Precision, SourceKind

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ID = r"^[a-z0-9][a-z0-9_.-]*$"

#: The dates a dataset may hold: every output (a chart's axis, a timeline's spans) can draw them.
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)
#: The largest explicit bound, the same as the largest figure a wording may state (a whole number,
#: so the JSON Schema says 1000000000000000).
LARGEST = int(MAX_FIGURE)


def _iso_date(value: Any) -> Any:
    if not isinstance(value, date):
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise ValueError(f"must be a date written YYYY-MM-DD, not {clip(repr(value))}")
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{clip(repr(value))} is not a real calendar date") from None
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"must be between {EARLIEST} and {LATEST}, not {value.isoformat()}")
    return value


def _format_version(value: Any) -> Any:
    # Literal[1] alone takes `true` and `1.0` too, since Python counts them equal to 1.
    if isinstance(value, (bool, float)):
        raise ValueError(f"must be 1, not {str(value).lower() if isinstance(value, bool) else value}")  # noqa: TRY004 - pydantic reports only ValueError as a validation error
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Identifier = Annotated[str, Field(pattern=_ID, min_length=1, max_length=120)]


class Strict(BaseModel):
    """Base for every model of the format: unknown fields are errors and nothing is coerced."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=False)


class Metric(Strict):
    """A quantity claims are made about, with its unit."""

    label: str = Field(description="Human-readable name, e.g. 'Killed'.")
    unit: str = Field(description="Unit of the value, e.g. 'soldiers' or 'km2'.")
    description: str = Field(default="", description="What exactly is counted.")
    accumulates: bool = Field(
        default=False,
        description="True when its cumulative counts are running totals that never fall (killed, "
        "wounded, captured), not stocks that rise and fall (troops deployed, territory held): an "
        "estimate carries its old figures forward by the growth the claims show.",
    )


class Subject(Strict):
    """Whose troops or losses a claim is about."""

    name: str = Field(description="E.g. 'North Korean forces in Russia'.")


class Source(Strict):
    """An originator of figures: the body or person who first stated them."""

    name: str = Field(description="Full name, e.g. 'National Intelligence Service (South Korea)'.")
    short: str = Field(default="", max_length=24, description="Short name for tables, e.g. 'NIS'.")
    kind: SourceKind = Field(strict=False, description="What sort of originator this is.")
    country: str | None = Field(
        default=None, description="ISO 3166 alpha-2 code(s), e.g. 'KR' or 'US/UA/KR'."
    )
    party: bool | None = Field(
        default=None,
        description="Whether the originator is a party to the conflict; absent or null when it is not known.",
    )
    aliases: list[str] = Field(default_factory=list, description="Other names used for it.")
    notes: str = Field(default="", description="Anything a reader should know about it.")

    @property
    def label(self) -> str:
        return self.short or self.name


class Document(Strict):
    """An archived document that carries claims."""

    file: str | None = Field(
        default=None,
        description=(
            "Path of the archived text, relative to the dataset file. Omitted for a document that is not archived "
            "(e.g. one known from an imported spreadsheet): its quotes cannot be checked."
        ),
    )
    outlet: str = Field(description="Who published it.")
    title: str = Field(description="Its headline, or a description when it has none.")
    published: IsoDate = Field(description="Publication date, YYYY-MM-DD.")
    published_precision: Precision = Field(
        default=Precision.day, strict=False, description="How exactly `published` is known."
    )
    url: str | None = Field(default=None, description="Where it was published, if known.")
    notes: str = Field(default="", description="How the date or outlet were established.")


class Wording(Strict):
    """Tunable rules for reading stated wordings into intervals."""

    approximate: float = Field(
        default=0.10, gt=0, lt=1, description="Half-width of 'approximately N' as a fraction of N."
    )
    vague: dict[
        str, Annotated[list[Annotated[float, Field(ge=0, le=LARGEST)]], Field(min_length=3, max_length=3)]
    ] = Field(
        default_factory=dict,
        description="Vague word -> [low, best, high], added to or replacing the defaults.",
    )


class Value(Strict):
    """A figure as it was stated, with optional explicit bounds."""

    stated: str = Field(
        min_length=1, description="The wording, e.g. 'more than 300' or 'between 11,000 and 12,000'."
    )
    low: Number | None = Field(
        default=None,
        ge=0,
        le=LARGEST,
        description="Explicit low bound, when the wording cannot be read.",
    )
    best: Number | None = Field(default=None, ge=0, le=LARGEST, description="Explicit best value.")
    high: Number | None = Field(default=None, ge=0, le=LARGEST, description="Explicit high bound.")
    relative_to: str | None = Field(
        default=None, description="Claim id this figure is a fraction of ('nearly a third')."
    )

    @property
    def explicit(self) -> bool:
        return self.low is not None or self.best is not None or self.high is not None


class Cumulative(Strict):
    """A running total since a start."""

    kind: Literal["cumulative"] = Field(description="Always 'cumulative' for this scope.")
    since: str = Field(default="", description="Since when, in words, e.g. 'deployment in October 2024'.")


class Period(Strict):
    """A count over a bounded period."""

    kind: Literal["period"] = Field(description="Always 'period' for this scope.")
    start: IsoDate | None = Field(default=None, description="First day, YYYY-MM-DD.")
    end: IsoDate | None = Field(default=None, description="Last day, YYYY-MM-DD.")
    description: str = Field(
        default="", description="The period in words, e.g. 'three days in December 2024'."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self


class Incident(Strict):
    """A single event."""

    kind: Literal["incident"] = Field(description="Always 'incident' for this scope.")
    on: IsoDate | None = Field(default=None, description="The day of the incident, YYYY-MM-DD.")
    description: str = Field(default="", description="The incident in words.")


Scope = Annotated[Cumulative | Period | Incident, Field(discriminator="kind")]


class Citation(Strict):
    """Where a claim was carried: a document and a verbatim quote from it."""

    document: str = Field(description="Id of a document in `documents`.")
    quote: str = Field(min_length=1, description="Verbatim text of the document supporting the figure.")


class Claim(Strict):
    """One figure stated by one originator."""

    id: Identifier = Field(description="Stable identifier.")
    metric: str = Field(description="Id of a metric in `metrics`.")
    subject: str = Field(description="Id of a subject in `subjects`.")
    place: str = Field(default="", description="Where, e.g. 'Kursk region'.")
    value: Value = Field(description="The figure as stated and any explicit bounds.")
    scope: Scope = Field(description="What the figure counts: cumulative, a period or an incident.")
    date: IsoDate = Field(description="When the claim was made, YYYY-MM-DD.")
    precision: Precision = Field(
        default=Precision.day, strict=False, description="How exactly `date` is known."
    )
    projection: bool = Field(default=False, description="A forecast or speculation rather than a count.")
    source: str = Field(description="Id of the originator in `sources`.")
    relay: list[str] = Field(
        default_factory=list, description="Who passed the figure on, e.g. lawmakers briefed by it."
    )
    citations: list[Citation] = Field(
        min_length=1, description="Documents that carried it, each with a quote."
    )
    notes: str = Field(default="", description="Reasoning behind dates, attribution or bounds.")


class Dataset(Strict):
    """A whole claims file."""

    version: Annotated[Literal[1], BeforeValidator(_format_version)] = Field(description="Format version; 1.")
    wording: Wording = Field(
        default_factory=Wording, description="Rules for reading stated wordings into intervals."
    )
    metrics: dict[Identifier, Metric] = Field(
        min_length=1, description="Metric id -> the quantity and its unit."
    )
    groups: dict[Identifier, list[str]] = Field(default_factory=dict, description="Group id -> metric ids.")
    subjects: dict[Identifier, Subject] = Field(
        min_length=1, description="Subject id -> whose troops or losses."
    )
    sources: dict[Identifier, Source] = Field(
        min_length=1, description="Source id -> an originator of figures."
    )
    documents: dict[Identifier, Document] = Field(
        default_factory=dict, description="Document id -> a document that carries claims."
    )
    claims: list[Claim] = Field(
        default_factory=list, description="Every figure, one per originator's statement."
    )
