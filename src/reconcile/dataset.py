"""Loading a dataset: safe YAML, the schema, then every cross-reference and quote, all errors at once."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reconcile import wording
from reconcile.errors import DatasetError, Problem
from reconcile.models import Claim, Dataset, Interval
from reconcile.yamlsafe import Path_, Positions, parse, read_text

_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                              "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00a0": " "})
_GAP = re.compile(r"\s*(?:\.\.\.|\u2026)\s*")


def default_path() -> Path:
    """The shipped dataset: inside the installed package, or in the source tree."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "estimates.yaml"
    if packaged.is_file():
        return packaged
    return here.parent.parent / "data" / "estimates.yaml"


def resolve_path(path: Path | None) -> Path:
    """The dataset to use: an explicit path, else RECONCILE_DATA, else the shipped one."""
    if path is not None:
        return path
    env = os.environ.get("RECONCILE_DATA")
    return Path(env) if env else default_path()


def load(path: Path | None = None, *, today: date | None = None) -> Dataset:
    """Read, validate and resolve a dataset; raise DatasetError listing every problem."""
    file = resolve_path(path)
    text = read_text(file)
    data, positions = parse(text, file)
    if data is None:
        raise DatasetError([Problem(file, 1, 1, "", "the file is empty; a dataset needs version, metrics, subjects, sources and claims")])
    if not isinstance(data, dict):
        line, col = positions.values[()]
        raise DatasetError([Problem(file, line, col, "(top level)", f"must be a mapping of sections, not a {type(data).__name__}")])
    try:
        dataset = Dataset.model_validate(data)
    except ValidationError as exc:
        raise DatasetError(sorted(_schema_problems(exc, file, positions), key=_order)) from None
    problems = check(dataset, file, positions, today=today or date.today())
    if problems:
        raise DatasetError(sorted(problems, key=_order))
    return dataset


def _order(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


def _display(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_ACCEPTED = {
    "string_type": "text (quote it if YAML reads it as something else)",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
}


def _schema_problems(exc: ValidationError, file: Path, positions: Positions) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc: Path_ = tuple(error["loc"])
        # Discriminated unions add the tag to the location; keep only parts that are real keys.
        real: list[str | int] = []
        for part in loc:
            if tuple(real) + (part,) in positions.values or tuple(real) + (part,) in positions.keys:
                real.append(part)
            elif not (isinstance(part, str) and part in ("cumulative", "period", "incident")) and "[" not in str(part):
                real.append(part)
        path = tuple(real)
        kind = error["type"]
        where = positions.locate(path, key=kind == "extra_forbidden")
        line, col = where if where else (None, None)
        if kind == "extra_forbidden":
            message = f"unknown field {path[-1]!r}; see the data format in the README"
        elif kind == "missing":
            message = "is required"
        elif kind == "literal_error":
            message = f"{error['msg'][0].lower()}{error['msg'][1:]}, not {error.get('input')!r}"
        elif kind == "union_tag_invalid":
            message = f"kind must be 'cumulative', 'period' or 'incident', not {error.get('input', {}).get('kind')!r}" if isinstance(error.get("input"), dict) else error["msg"]
        elif kind in _ACCEPTED:
            message = f"must be {_ACCEPTED[kind]}, not {error.get('input')!r}"
        else:
            message = error["msg"].removeprefix("Value error, ")
            if "input" in error and kind not in ("value_error",) and not isinstance(error["input"], (dict, list)):
                message += f" (got {error['input']!r})"
        problems.append(Problem(file, line, col, _display(path), message))
    return problems


def _normalise_text(text: str) -> str:
    return " ".join(text.translate(_TYPOGRAPHIC).split())


def quote_found(quote: str, document_text: str) -> bool:
    """Whether `quote` appears in the text, ignoring whitespace and typographic quotes.

    "..." or "…" in the quote skips any text, so long passages can be abridged.
    """
    haystack = _normalise_text(document_text)
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
    pattern = rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)"
    return re.search(pattern, quote) is not None


class _Checker:
    def __init__(self, dataset: Dataset, file: Path, positions: Positions, today: date) -> None:
        self.dataset, self.file, self.positions, self.today = dataset, file, positions, today
        self.problems: list[Problem] = []
        self.texts: dict[str, str | None] = {}

    def add(self, path: Path_, message: str, *, key: bool = False) -> None:
        where = self.positions.locate(path, key=key)
        line, col = where if where else (None, None)
        self.problems.append(Problem(self.file, line, col, _display(path), message))

    def known(self, path: Path_, name: str, kind: str, names: Iterable[str]) -> bool:
        names = list(names)
        if name in names:
            return True
        self.add(path, f"unknown {kind} {name!r}; known: {', '.join(sorted(names))}")
        return False

    def run(self) -> list[Problem]:
        ds = self.dataset
        for group, members in ds.groups.items():
            if group in ds.metrics:
                self.add(("groups", group), f"group {group!r} has the name of a metric; rename one", key=True)
            for i, member in enumerate(members):
                self.known(("groups", group, i), member, "metric", ds.metrics)
        for doc_id, document in ds.documents.items():
            path = (self.file.parent / document.file)
            if not path.is_file():
                self.add(("documents", doc_id, "file"), f"no such file: {path}")
                self.texts[doc_id] = None
            else:
                self.texts[doc_id] = path.read_text(encoding="utf-8")
            if document.published > self.today:
                self.add(("documents", doc_id, "published"), f"{document.published} is in the future")
        self._claims()
        return self.problems

    def _claims(self) -> None:
        ds = self.dataset
        seen: dict[str, int] = {}
        by_id = {}
        for i, claim in enumerate(ds.claims):
            base: Path_ = ("claims", i)
            if claim.id in seen:
                first = self.positions.locate(("claims", seen[claim.id], "id"))
                self.add(base + ("id",), f"duplicate id {claim.id!r} (first at line {first[0] if first else '?'})")
            else:
                seen[claim.id] = i
                by_id[claim.id] = claim
            self.known(base + ("metric",), claim.metric, "metric", ds.metrics)
            self.known(base + ("subject",), claim.subject, "subject", ds.subjects)
            self.known(base + ("source",), claim.source, "source", ds.sources)
            if claim.date > self.today:
                self.add(base + ("date",), f"{claim.date} is in the future")
            self._citations(base, claim)
        absolute = [(i, c) for i, c in enumerate(ds.claims) if c.value.relative_to is None]
        relative = [(i, c) for i, c in enumerate(ds.claims) if c.value.relative_to is not None]
        for i, claim in absolute + relative:
            self._interval(("claims", i), claim, by_id)

    def _citations(self, base: Path_, claim: Claim) -> None:
        numbers = wording.digit_numbers(claim.value.stated)
        for j, citation in enumerate(claim.citations):
            path = base + ("citations", j)
            if not self.known(path + ("document",), citation.document, "document", self.dataset.documents):
                continue
            text = self.texts.get(citation.document)
            if text is None:
                continue
            if not quote_found(citation.quote, text):
                file = self.dataset.documents[citation.document].file
                self.add(path + ("quote",), f"not found verbatim in {file}")
                continue
            for number in numbers:
                if not number_in_quote(number, citation.quote):
                    self.add(path + ("quote",), f"does not contain {number} as written in value.stated")

    def _interval(self, base: Path_, claim: Claim, by_id: dict[str, Claim]) -> None:
        ds, value = self.dataset, claim.value
        vague = dict(wording.DEFAULT_VAGUE)
        vague.update({k: (v[0], v[1], v[2]) for k, v in ds.wording.vague.items()})
        try:
            reading: wording.Reading | None = wording.read(value.stated, vague, ds.wording.approximate)
        except wording.WordingError:
            reading = None
        if reading is None and value.best is None:
            self.add(base + ("value", "stated"),
                     f"cannot read {value.stated!r}; use a wording from the README's table or give value.best (and low/high)")
            return
        low, best, high, rule = (None, 0.0, None, "explicit") if reading is None else (reading.low, reading.best, reading.high, reading.rule)
        if reading is not None and reading.relative:
            unit = ds.metrics[claim.metric].unit if claim.metric in ds.metrics else ""
            if value.relative_to is None and unit != "share":
                self.add(base + ("value", "stated"), f"{value.stated!r} is a fraction; set value.relative_to to the claim it is a fraction of")
                return
            if value.relative_to is not None:
                ref = by_id.get(value.relative_to)
                if ref is None or ref._interval is None or ref.value.relative_to is not None:
                    self.add(base + ("value", "relative_to"), f"must name a claim with an absolute figure, not {value.relative_to!r}")
                    return
                low = None if low is None or ref.interval.low is None else round(low * ref.interval.low, 6)
                high = None if high is None or ref.interval.high is None else round(high * ref.interval.high, 6)
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
                self.add(base + ("value", name), f"must not exceed {upper} ({_plain(bound)} > {_plain(other)})")
                return
        claim._interval = Interval(low=low, best=best, high=high, rule=rule)


def _plain(value: float) -> str:
    return f"{value:g}" if not float(value).is_integer() else str(int(value))


def check(dataset: Dataset, file: Path, positions: Positions, *, today: date) -> list[Problem]:
    """Every cross-reference, quote and interval problem of a schema-valid dataset."""
    return _Checker(dataset, file, positions, today).run()
