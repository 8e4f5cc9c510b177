"""What changed between two versions of a dataset: claims added, removed and revised, and how each
estimate moved, for a weekly update note."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from reconcile.analysis.claims import Filters, format_date, scope_label
from reconcile.analysis.estimate import Estimate, estimates
from reconcile.model.terms import Number, number

if TYPE_CHECKING:
    from reconcile.model.dataset import Claim, Dataset


@dataclass(frozen=True)
class ClaimBrief:
    """A claim as a change list names it."""

    id: str
    metric: str
    subject: str
    date: date
    stated: str
    source: str  # the originator's name


@dataclass(frozen=True)
class FieldChange:
    """One aspect of a claim that differs between the two versions, each side as written."""

    field: str  # figure, date, attribution, quote, scope, metric, subject, projection
    old: str
    new: str


@dataclass(frozen=True)
class Revision:
    """A claim present in both versions, with what changed in it."""

    claim: ClaimBrief  # as it is in the new version
    changes: list[FieldChange]


@dataclass(frozen=True)
class Move:
    """How one estimate moved: its figures in each version; None on a side that had no estimate."""

    metric: str
    label: str
    subject: str
    subject_name: str
    old_low: Number | None
    old_best: Number | None
    old_high: Number | None
    old_as_of: date | None
    new_low: Number | None
    new_best: Number | None
    new_high: Number | None
    new_as_of: date | None
    method: str

    @property
    def moved(self) -> bool:
        before = (self.old_low, self.old_best, self.old_high, self.old_as_of)
        return before != (self.new_low, self.new_best, self.new_high, self.new_as_of)


@dataclass(frozen=True)
class Changes:
    """Everything that differs between an old and a new dataset."""

    old: str  # the two sides as the user named them
    new: str
    added: list[ClaimBrief]
    removed: list[ClaimBrief]
    revised: list[Revision]
    estimates: list[Move] = field(default_factory=list)  # only those that moved

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.revised or self.estimates)


def brief(dataset: Dataset, claim: Claim) -> ClaimBrief:
    source = dataset.sources.get(claim.source)
    name = source.name if source is not None else claim.source
    return ClaimBrief(claim.id, claim.metric, claim.subject, claim.date, claim.value.stated, name)


def _figure(claim: Claim) -> str:
    interval = claim.interval
    bounds = ", ".join(number(x, places=None) for x in (interval.low, interval.best, interval.high))
    return f"{claim.value.stated} [{bounds}]"


def _attribution(dataset: Dataset, claim: Claim) -> str:
    source = dataset.sources.get(claim.source)
    name = source.name if source is not None else claim.source
    return " via ".join([name, *claim.relay])


def _scope(claim: Claim) -> str:
    scope = claim.scope
    label = scope_label(claim)
    if scope.kind == "period" and scope.start and scope.end and scope.description:
        label += f": {scope.description}"
    return label


def _aspects(dataset: Dataset, claim: Claim) -> dict[str, str]:
    """The aspects of a claim a reader of an update cares about, each as it is shown."""
    return {
        "metric": claim.metric,
        "subject": claim.subject,
        "figure": _figure(claim),
        "date": format_date(claim.date, claim.precision),
        "attribution": _attribution(dataset, claim),
        "quote": " | ".join(f"{c.document}: {c.quote}" for c in claim.citations),
        "scope": _scope(claim),
        "projection": "yes" if claim.projection else "no",
    }


def revisions(old: Dataset, new: Dataset, before: Claim, after: Claim) -> list[FieldChange]:
    """What differs in one claim between the two versions."""
    was, now = _aspects(old, before), _aspects(new, after)
    return [FieldChange(aspect, was[aspect], now[aspect]) for aspect in was if was[aspect] != now[aspect]]


def _estimates(dataset: Dataset) -> dict[tuple[str, str], Estimate]:
    found: dict[tuple[str, str], Estimate] = {}
    for metric in dataset.metrics:
        if any(claim.metric == metric for claim in dataset.claims):
            for each in estimates(dataset, metric, Filters()).estimates:
                found[(each.metric, each.subject)] = each
    return found


def _moves(old: Dataset, new: Dataset) -> list[Move]:
    before, after = _estimates(old), _estimates(new)
    out = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        some = now or was
        assert some is not None
        move = Move(
            metric=key[0],
            label=some.label,
            subject=key[1],
            subject_name=some.subject_name,
            old_low=was.low if was else None,
            old_best=was.best if was else None,
            old_high=was.high if was else None,
            old_as_of=was.as_of if was else None,
            new_low=now.low if now else None,
            new_best=now.best if now else None,
            new_high=now.high if now else None,
            new_as_of=now.as_of if now else None,
            method=str(some.method),
        )
        if move.moved:
            out.append(move)
    return out


def changes(old: Dataset, new: Dataset, *, old_name: str = "old", new_name: str = "new") -> Changes:
    """The claims added, removed and revised from `old` to `new` (matched by id), and the estimates
    that moved (each metric and subject, with the default method and settings)."""
    was = {claim.id: claim for claim in old.claims}
    now = {claim.id: claim for claim in new.claims}
    added = [brief(new, claim) for claim in new.claims if claim.id not in was]
    removed = [brief(old, claim) for claim in old.claims if claim.id not in now]
    revised = []
    for claim in new.claims:
        if claim.id in was:
            found = revisions(old, new, was[claim.id], claim)
            if found:
                revised.append(Revision(brief(new, claim), found))
    return Changes(old_name, new_name, added, removed, revised, _moves(old, new))
