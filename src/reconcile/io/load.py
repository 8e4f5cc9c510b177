"""Loading a dataset: safe YAML, the schema, then every cross-reference and quote, all errors at once."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reconcile.errors import DatasetError, Problem
from reconcile.io import cache
from reconcile.io.problems import schema_problems
from reconcile.io.where import resolve_path
from reconcile.io.yamlsafe import Path_, Positions, parse, read_text, shown
from reconcile.model import wording
from reconcile.model.dataset import Claim, Dataset, Interval
from reconcile.model.terms import metrics_named

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


def load(
    path: Path | None = None, *, today: date | None = None, only: Sequence[str] | None = None
) -> Dataset:
    """Read, validate and resolve a dataset; raise DatasetError listing every problem.

    An unchanged dataset that was valid before comes back from the cache (see reconcile.io.cache).
    `only` names the metrics or groups a command is about: a dataset from the cache then holds
    only their claims. (Read from the file it holds every claim, since every one was checked.)
    """
    file = resolve_path(path)
    day = today or date.today()

    def needed(dataset: Dataset) -> set[str] | None:
        # An unknown name means every claim, and the command reports the name as usual.
        return None if only is None else metrics_named(only, dataset.metrics, dataset.groups)

    return cache.load(file, day, lambda text: _load_text(text, file, day), needed)


def _load_text(text: str, file: Path, today: date) -> Dataset:
    # Plainly written files go through the fast reader; anything it leaves, and every problem, is
    # read again by the strict one, so that problems are reported with their exact positions.
    # (Imported here: a dataset that comes from the cache never needs it.)
    from reconcile.io.fastload import parse_plain

    plain = parse_plain(text)
    if plain is not None:
        try:
            return _validated(plain, file, Positions(), today)
        except DatasetError:
            pass
    data, positions = parse(text, file)
    sections = "version, metrics, subjects, sources and claims"
    if () not in positions.values:
        emptiness = "is empty" if not text.strip() else "holds only comments"
        raise DatasetError([Problem(file, 1, 1, "", f"the file {emptiness}; a dataset needs {sections}")])
    if not isinstance(data, dict):
        line, col = positions.values[()]
        raise DatasetError(
            [Problem(file, line, col, "(top level)", f"must be a mapping of {sections}, not {shown(data)}")]
        )
    return _validated(data, file, positions, today)


def _validated(data: dict[str, Any], file: Path, positions: Positions, today: date) -> Dataset:
    try:
        dataset = Dataset.model_validate(data)
    except ValidationError as exc:
        problems = schema_problems(exc, file, positions)
        # When only some claims are malformed, still check the rest, so that one run reports everything.
        partial = _without_bad_claims(data, exc)
        if partial is not None:
            valid, kept, dropped = partial
            problems += check(
                valid, file, positions, today=today or date.today(), claim_index=kept, unchecked_ids=dropped
            )
        raise DatasetError(sorted(problems, key=_order)) from None
    problems = check(dataset, file, positions, today=today or date.today())
    if problems:
        raise DatasetError(sorted(problems, key=_order))
    return dataset


def load_with_lines(path: Path | None = None, *, today: date | None = None) -> tuple[Dataset, dict[str, int]]:
    """`load`, and the line on which each claim starts, by claim id, for messages that point at claims.

    The file is read a second time for the lines: by the fast reader when it can, else the strict one.
    """
    from reconcile.io.fastload import claim_lines as plain_claim_lines

    dataset = load(path, today=today)
    file = resolve_path(path)
    text = read_text(file)
    starts = plain_claim_lines(text)
    if starts is None or len(starts) != len(dataset.claims):
        return dataset, claim_lines(dataset, parse(text, file)[1])
    return dataset, {claim.id: line for claim, line in zip(dataset.claims, starts)}


def claim_lines(dataset: Dataset, positions: Positions) -> dict[str, int]:
    """The line on which each claim of a loaded dataset starts, by claim id."""
    lines = {}
    for i, claim in enumerate(dataset.claims):
        where = positions.values.get(("claims", i))
        if where is not None:
            lines[claim.id] = where[0]
    return lines


def _order(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


def _display(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _without_bad_claims(
    data: dict[str, Any], exc: ValidationError
) -> tuple[Dataset, list[int], frozenset[str]] | None:
    """The dataset less the claims that failed validation, their indices kept, and their ids; None if
    anything outside a claim failed."""
    bad = set()
    for error in exc.errors():
        loc = error["loc"]
        if len(loc) < 2 or loc[0] != "claims" or not isinstance(loc[1], int):
            return None
        bad.add(loc[1])
    claims = data["claims"]
    kept = [i for i in range(len(claims)) if i not in bad]
    try:
        valid = Dataset.model_validate({**data, "claims": [claims[i] for i in kept]})
    except ValidationError:
        return None
    dropped = frozenset(
        claims[i]["id"] for i in bad if isinstance(claims[i], dict) and isinstance(claims[i].get("id"), str)
    )
    return valid, kept, dropped


def _normalise_text(text: str) -> str:
    return " ".join(text.translate(_TYPOGRAPHIC).split())


def quote_found(quote: str, document_text: str) -> bool:
    """Whether `quote` appears in the text, ignoring whitespace and typographic quotes.

    "..." or "…" in the quote skips any text, so long passages can be abridged.
    """
    return _found_in(quote, _normalise_text(document_text))


def _found_in(quote: str, haystack: str) -> bool:
    """`quote_found` for a document text already normalised."""
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
        self.numbers: dict[str, list[str]] = {}
        # The interval of each absolute value read without a problem, by its wording, bounds and unit.
        self.intervals: dict[tuple[str, float | None, float | None, float | None, str], Interval] = {}
        self.vague = dict(wording.DEFAULT_VAGUE)
        self.vague.update({k: (v[0], v[1], v[2]) for k, v in dataset.wording.vague.items()})
        # Where each claim stands in the file: claims that failed the schema are left out of `dataset`.
        self.index = list(range(len(dataset.claims))) if claim_index is None else list(claim_index)
        self.unchecked_ids = unchecked_ids

    def add(self, path: Path_, message: str, *, key: bool = False) -> None:
        where = self.positions.locate(path, key=key)
        line, col = where if where else (None, None)
        self.problems.append(Problem(self.file, line, col, _display(path), message))

    def known(self, path: Path_, name: str, kind: str, names: Collection[str]) -> bool:
        if name in names:
            return True
        self.add(path, f"unknown {kind} {name!r}; known: {', '.join(sorted(names))}")
        return False

    def run(self) -> list[Problem]:
        ds = self.dataset
        for word, bounds in ds.wording.vague.items():
            if min(bounds) < 0 or not bounds[0] <= bounds[1] <= bounds[2]:
                self.add(
                    ("wording", "vague", word),
                    f"must be [low, best, high] with 0 <= low <= best <= high, not [{', '.join(_plain(b) for b in bounds)}]",
                )
        for group, members in ds.groups.items():
            if group in ds.metrics:
                self.add(("groups", group), f"group {group!r} has the name of a metric; rename one", key=True)
            for i, member in enumerate(members):
                self.known(("groups", group, i), member, "metric", ds.metrics)
        for doc_id, document in ds.documents.items():
            path = None if document.file is None else self.file.parent / document.file
            if path is None:
                # Not archived (e.g. imported from a spreadsheet): no text to check its quotes against.
                self.texts[doc_id] = None
            elif not path.is_file():
                self.add(("documents", doc_id, "file"), f"no such file: {path}")
                self.texts[doc_id] = None
            else:
                self.texts[doc_id] = self._document_text(("documents", doc_id, "file"), path)
            if document.published > self.today:
                self.add(
                    ("documents", doc_id, "published"),
                    f"{document.published} is in the future (today is {self.today})",
                )
        self._claims()
        return self.problems

    def _document_text(self, field: Path_, path: Path) -> str | None:
        """The text of an archived document, read with the same limits as the dataset itself."""
        try:
            return read_text(path)
        except DatasetError as exc:
            for problem in exc.problems:
                where = "" if problem.line is None else f" (line {problem.line}, column {problem.column})"
                self.add(field, f"{path} {problem.message}{where}")
            return None

    def _claims(self) -> None:
        ds = self.dataset
        metrics, subjects, sources = ds.metrics, ds.subjects, ds.sources
        seen: dict[str, int] = {}
        by_id = {}
        # Paths to fields are built only for a problem: at 100,000 claims, building them for every
        # field checked took a noticeable share of the time.
        for i, claim in zip(self.index, ds.claims):
            if claim.id in seen:
                first = self.positions.locate(("claims", seen[claim.id], "id"))
                self.add(
                    ("claims", i, "id"),
                    f"duplicate id {claim.id!r} (first at line {first[0] if first else '?'}); "
                    "each claim needs an id of its own",
                )
            else:
                seen[claim.id] = i
                by_id[claim.id] = claim
            if claim.metric not in metrics:
                self.known(("claims", i, "metric"), claim.metric, "metric", metrics)
            if claim.subject not in subjects:
                self.known(("claims", i, "subject"), claim.subject, "subject", subjects)
            if claim.source not in sources:
                self.known(("claims", i, "source"), claim.source, "source", sources)
            if claim.date > self.today:
                self.add(("claims", i, "date"), f"{claim.date} is in the future (today is {self.today})")
            self._citations(i, claim)
        absolute = [(i, c) for i, c in zip(self.index, ds.claims) if c.value.relative_to is None]
        relative = [(i, c) for i, c in zip(self.index, ds.claims) if c.value.relative_to is not None]
        for i, claim in absolute + relative:
            self._interval(("claims", i), claim, by_id)

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
                    f"not found verbatim in {documents[citation.document].file}; "
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
                        f"does not contain {number} as written in value.stated",
                    )

    def _interval(self, base: Path_, claim: Claim, by_id: dict[str, Claim]) -> None:
        ds, value = self.dataset, claim.value
        unit = ds.metrics[claim.metric].unit if claim.metric in ds.metrics else ""
        # Claims that state the same figure the same way read the same; the interval is shared (it is
        # frozen). A bound of 0 is left out, since -0.0 is equal to it but prints differently.
        key = None
        if value.relative_to is None and 0 not in (value.low, value.best, value.high):
            key = (value.stated, value.low, value.best, value.high, unit)
            known = self.intervals.get(key)
            if known is not None:
                claim.resolve(known)
                return
        if value.stated in self.readings:
            reading = self.readings[value.stated]
        else:
            try:
                reading = wording.read(value.stated, self.vague, ds.wording.approximate)
            except wording.WordingError:
                reading = None
            self.readings[value.stated] = reading
        if reading is None and value.best is None:
            self.add(
                base + ("value", "stated"),
                f"cannot read {value.stated!r}; use a wording from the README's table or give value.best (and low/high)",
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
                    f"{value.stated!r} is a fraction; set value.relative_to to the claim it is a fraction of",
                )
                return
            if value.relative_to is not None:
                ref = by_id.get(value.relative_to)
                if ref is None and value.relative_to in self.unchecked_ids:
                    return  # the claim it refers to has problems of its own, reported already
                if ref is None or not ref.resolved or ref.value.relative_to is not None:
                    self.add(
                        base + ("value", "relative_to"),
                        f"must name a claim with an absolute figure, not {value.relative_to!r}",
                    )
                    return
                low = None if low is None or ref.interval.low is None else round(low * ref.interval.low, 6)
                high = (
                    None if high is None or ref.interval.high is None else round(high * ref.interval.high, 6)
                )
                best = round(best * ref.interval.best, 6)
                rule = "fraction"
        elif value.relative_to is not None:
            self.add(base + ("value", "relative_to"), f"is set but {value.stated!r} is not a fraction")
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
                        base + ("value", name), f"must not exceed {upper} ({_plain(bound)} > {_plain(other)})"
                    )
                elif getattr(value, upper) is not None:
                    self.add(
                        base + ("value", upper),
                        f"must not be below {name} ({_plain(other)} < {_plain(bound)})",
                    )
                else:
                    self.add(
                        base + ("value", "stated"),
                        f"{value.stated!r} reads as {name} {_plain(bound)} above "
                        f"{upper} {_plain(other)}; write the smaller figure first",
                    )
                return
        interval = Interval(low=low, best=best, high=high, rule=rule)
        claim.resolve(interval)
        if key is not None:
            self.intervals[key] = interval


def _plain(value: float) -> str:
    return f"{value:g}" if not float(value).is_integer() else str(int(value))


def check(
    dataset: Dataset,
    file: Path,
    positions: Positions,
    *,
    today: date,
    claim_index: Sequence[int] | None = None,
    unchecked_ids: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every cross-reference, quote and interval problem of a schema-valid dataset.

    `claim_index` gives each claim's index in the file when claims that failed the schema were left
    out; `unchecked_ids` are their ids, so that references to them are not reported twice.
    """
    return _Checker(dataset, file, positions, today, claim_index, unchecked_ids).run()
