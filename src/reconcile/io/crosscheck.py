"""Cross-checks of a dataset that passed the schema: references, quotes against their documents, and
the interval each claim's value reads as."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reconcile.errors import DatasetError, Problem, clip
from reconcile.io.read import read_text
from reconcile.io.schema import Claim, Dataset
from reconcile.io.where import ROOT_SETTING, document_root, documents_outside_allowed
from reconcile.io.yamlsafe import Path_, Positions, display
from reconcile.model import wording
from reconcile.model.dataset import Interval
from reconcile.model.terms import raw

_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00a0": " ",
    }
)
_GAP = re.compile(r"\s*(?:\.\.\.|\u2026)\s*")


def _normalise_text(text: str) -> str:
    return " ".join(text.translate(_TYPOGRAPHIC).split())


def _found_in(quote: str, haystack: str) -> bool:
    """Whether `quote` appears in a document's text normalised by `_normalise_text`, ignoring
    whitespace and typographic quotes.

    "..." or "…" in the quote skips any text, so long passages can be abridged.
    """
    position = 0
    for piece in _GAP.split(_normalise_text(quote)):
        if not piece:
            continue
        found = haystack.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def number_in_quote(number: str, quote: str) -> bool:
    """Whether the number, as written, stands in the quote on its own (300 is not in 3,000)."""
    # The same test as the pattern (?<![\d.,])NUMBER(?!\d|[.,]\d), without compiling one per number.
    start = quote.find(number)
    while start >= 0:
        before = quote[start - 1 : start]
        after = quote[start + len(number) : start + len(number) + 2]
        if not (before.isdecimal() or before in (".", ",")) and not (
            after[:1].isdecimal() or (after[:1] in (".", ",") and after[1:].isdecimal())
        ):
            return True
        start = quote.find(number, start + 1)
    return False


class _Checker:
    def __init__(
        self,
        dataset: Dataset,
        file: Path,
        positions: Positions,
        today: date,
        claim_index: Sequence[int] | None,
        unchecked_ids: frozenset[str],
    ) -> None:
        self.dataset, self.file, self.positions, self.today = dataset, file, positions, today
        self.problems: list[Problem] = []
        self.texts: dict[str, str | None] = {}
        # Work shared by many claims: normalised document texts, and the reading of each wording.
        self.haystacks: dict[str, str] = {}
        self.readings: dict[str, wording.Reading | None] = {}
        self.unreadable: dict[str, str] = {}  # why a wording read as None could not be read
        self.numbers: dict[str, list[str]] = {}
        # The interval of each absolute value read without a problem, by its wording, bounds and unit.
        self.intervals: dict[tuple[str, float | None, float | None, float | None, str], Interval] = {}
        self.vague = dict(wording.DEFAULT_VAGUE)
        self.vague.update({k: (v[0], v[1], v[2]) for k, v in dataset.wording.vague.items()})
        # Where each claim stands in the file: claims that failed the schema are left out of `dataset`.
        self.index = list(range(len(dataset.claims))) if claim_index is None else list(claim_index)
        self.unchecked_ids = unchecked_ids
        # The interval each claim reads as, by the claim's place in `dataset.claims`.
        self.read_as: dict[int, Interval] = {}

    def add(self, path: Path_, message: str, *, key: bool = False) -> None:
        where = self.positions.locate(path, key=key)
        line, col = where if where else (None, None)
        self.problems.append(Problem(self.file, line, col, display(path), message))

    def known(self, path: Path_, name: str, kind: str, names: Collection[str]) -> bool:
        if name in names:
            return True
        self.add(path, f"unknown {kind} {clip(repr(name))}; known: {clip(', '.join(sorted(names)), 200)}")
        return False

    def run(self) -> Checked:
        ds = self.dataset
        for word, bounds in ds.wording.vague.items():
            if min(bounds) < 0 or not bounds[0] <= bounds[1] <= bounds[2]:
                self.add(
                    ("wording", "vague", word),
                    f"must be [low, best, high] with 0 <= low <= best <= high, not [{', '.join(raw(b) for b in bounds)}]",
                )
        for group, members in ds.groups.items():
            if group in ds.metrics:
                self.add(
                    ("groups", group),
                    f"group {clip(repr(group))} has the name of a metric; rename one",
                    key=True,
                )
            for i, member in enumerate(members):
                self.known(("groups", group, i), member, "metric", ds.metrics)
        folder = document_root(self.file)
        for doc_id, document in ds.documents.items():
            path = None if document.file is None else self.file.parent / document.file
            if path is None:
                # Not archived (e.g. imported from a spreadsheet): no text to check its quotes against.
                self.texts[doc_id] = None
            elif not documents_outside_allowed() and not path.resolve().is_relative_to(folder):
                # Whether a quote is found would tell whoever reads the result what any file holds.
                self.add(
                    ("documents", doc_id, "file"),
                    f"{path} is outside {folder}, the folder documents may be read from; move it there, "
                    f"name a wider folder in {ROOT_SETTING}, or pass --allow-outside to read it",
                )
                self.texts[doc_id] = None
            elif not path.is_file():
                self.add(("documents", doc_id, "file"), f"no such file: {clip(str(path), 200)}")
                self.texts[doc_id] = None
            else:
                self.texts[doc_id] = self._document_text(("documents", doc_id, "file"), path)
            if document.published > self.today:
                self.add(
                    ("documents", doc_id, "published"),
                    f"{document.published} is in the future (today is {self.today})",
                )
        self._claims()
        return Checked(self.problems, self.read_as)

    def _document_text(self, field: Path_, path: Path) -> str | None:
        """The text of an archived document, read with the same limits as the dataset itself."""
        try:
            return read_text(path)
        except DatasetError as exc:
            for problem in exc.problems:
                where = "" if problem.line is None else f" (line {problem.line}, column {problem.column})"
                self.add(field, f"{clip(str(path), 200)} {problem.message}{where}")
            return None

    def _claims(self) -> None:
        ds = self.dataset
        metrics, subjects, sources = ds.metrics, ds.subjects, ds.sources
        seen: dict[str, int] = {}
        by_id: dict[str, int] = {}  # a claim's place in ds.claims, by its id
        # Paths to fields are built only for a problem: at 100,000 claims, building them for every
        # field checked took a noticeable share of the time.
        for n, (i, claim) in enumerate(zip(self.index, ds.claims)):
            if claim.id in seen:
                first = self.positions.locate(("claims", seen[claim.id], "id"))
                self.add(
                    ("claims", i, "id"),
                    f"duplicate id {clip(repr(claim.id))} (first at line {first[0] if first else '?'}); "
                    "each claim needs an id of its own",
                )
            else:
                seen[claim.id] = i
                by_id[claim.id] = n
            if claim.metric not in metrics:
                self.known(("claims", i, "metric"), claim.metric, "metric", metrics)
            if claim.subject not in subjects:
                self.known(("claims", i, "subject"), claim.subject, "subject", subjects)
            if claim.source not in sources:
                self.known(("claims", i, "source"), claim.source, "source", sources)
            if claim.date > self.today:
                self.add(("claims", i, "date"), f"{claim.date} is in the future (today is {self.today})")
            self._citations(i, claim)
        placed = list(enumerate(zip(self.index, ds.claims)))
        absolute = [(n, i, c) for n, (i, c) in placed if c.value.relative_to is None]
        relative = [(n, i, c) for n, (i, c) in placed if c.value.relative_to is not None]
        for n, i, claim in absolute + relative:
            self._interval(("claims", i), n, claim, by_id)

    def _citations(self, i: int, claim: Claim) -> None:
        documents = self.dataset.documents
        for j, citation in enumerate(claim.citations):
            if citation.document not in documents:
                self.known(
                    ("claims", i, "citations", j, "document"), citation.document, "document", documents
                )
                continue
            text = self.texts.get(citation.document)
            if text is None:
                continue
            haystack = self.haystacks.get(citation.document)
            if haystack is None:
                haystack = self.haystacks[citation.document] = _normalise_text(text)
            # A quote that stands in the normalised text as it is needs no normalising: that is most.
            if citation.quote not in haystack and not _found_in(citation.quote, haystack):
                self.add(
                    ("claims", i, "citations", j, "quote"),
                    f"not found verbatim in {clip(str(documents[citation.document].file), 200)}; "
                    "copy the words exactly, with '...' where text is left out",
                )
                continue
            stated = claim.value.stated
            numbers = self.numbers.get(stated)
            if numbers is None:
                numbers = self.numbers[stated] = wording.digit_numbers(stated)
            for number in numbers:
                if not number_in_quote(number, citation.quote):
                    self.add(
                        ("claims", i, "citations", j, "quote"),
                        f"does not contain {clip(number)} as written in value.stated",
                    )

    def _interval(self, base: Path_, n: int, claim: Claim, by_id: dict[str, int]) -> None:
        ds, value = self.dataset, claim.value
        unit = ds.metrics[claim.metric].unit if claim.metric in ds.metrics else ""
        # Claims that state the same figure the same way read the same; the interval is shared (it is
        # frozen). A bound of 0 is left out, since -0.0 is equal to it but prints differently.
        key = None
        if value.relative_to is None and 0 not in (value.low, value.best, value.high):
            key = (value.stated, value.low, value.best, value.high, unit)
            known = self.intervals.get(key)
            if known is not None:
                self.read_as[n] = known
                return
        if value.stated in self.readings:
            reading = self.readings[value.stated]
        else:
            try:
                reading = wording.read(value.stated, self.vague, ds.wording.approximate)
            except wording.WordingError as exc:
                reading = None
                self.unreadable[value.stated] = str(exc)
            self.readings[value.stated] = reading
        if reading is None and value.best is None:
            self.add(
                base + ("value", "stated"),
                f"cannot read {clip(repr(value.stated))}: {self.unreadable[value.stated]}; "
                "use a wording from the table in docs/data-format.md or give value.best (and low/high)",
            )
            return
        low, best, high, rule = (
            (None, 0.0, None, "explicit")
            if reading is None
            else (reading.low, reading.best, reading.high, reading.rule)
        )
        if reading is not None and reading.relative:
            if value.relative_to is None and unit != "share":
                self.add(
                    base + ("value", "stated"),
                    f"{clip(repr(value.stated))} is a fraction; set value.relative_to to the claim it is a fraction of",
                )
                return
            if value.relative_to is not None:
                place = by_id.get(value.relative_to)
                if place is None and value.relative_to in self.unchecked_ids:
                    return  # the claim it refers to has problems of its own, reported already
                ref = None if place is None else self.read_as.get(place)
                if ref is None or self.dataset.claims[place].value.relative_to is not None:  # type: ignore[index]
                    self.add(
                        base + ("value", "relative_to"),
                        f"must name a claim with an absolute figure, not {clip(repr(value.relative_to))}",
                    )
                    return
                low = None if low is None or ref.low is None else round(low * ref.low, 6)
                high = None if high is None or ref.high is None else round(high * ref.high, 6)
                best = round(best * ref.best, 6)
                rule = "fraction"
        elif value.relative_to is not None:
            self.add(
                base + ("value", "relative_to"), f"is set but {clip(repr(value.stated))} is not a fraction"
            )
            return
        if value.explicit:
            low = value.low if value.low is not None else (low if reading is not None else None)
            high = value.high if value.high is not None else (high if reading is not None else None)
            best = value.best if value.best is not None else best
            rule = "explicit"
        checks = (("low", low, "high", high), ("low", low, "best", best), ("best", best, "high", high))
        for name, bound, upper, other in checks:
            if bound is not None and other is not None and bound > other:
                if getattr(value, name) is not None:
                    self.add(
                        base + ("value", name),
                        f"must not exceed {upper} ({raw(bound)} > {raw(other)})",
                    )
                elif getattr(value, upper) is not None:
                    self.add(
                        base + ("value", upper),
                        f"must not be below {name} ({raw(other)} < {raw(bound)})",
                    )
                else:
                    self.add(
                        base + ("value", "stated"),
                        f"{clip(repr(value.stated))} reads as {name} {raw(bound)} above "
                        f"{upper} {raw(other)}; write the smaller figure first",
                    )
                return
        interval = Interval(low=low, best=best, high=high, rule=rule)
        self.read_as[n] = interval
        if key is not None:
            self.intervals[key] = interval


@dataclass(frozen=True)
class Checked:
    """What the cross-checks found: every problem, and the interval of each claim that reads as one."""

    problems: list[Problem]
    intervals: dict[int, Interval]  # by the claim's place in the dataset's claims


def cross_check(
    dataset: Dataset,
    file: Path,
    positions: Positions,
    *,
    today: date,
    claim_index: Sequence[int] | None = None,
    unchecked_ids: frozenset[str] = frozenset(),
) -> Checked:
    """Every cross-reference, quote and interval problem of a schema-valid dataset, and each claim's interval.

    `claim_index` gives each claim's index in the file when claims that failed the schema were left
    out; `unchecked_ids` are their ids, so that references to them are not reported twice.
    """
    return _Checker(dataset, file, positions, today, claim_index, unchecked_ids).run()
