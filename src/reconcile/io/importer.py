"""Turning a spreadsheet of estimates (CSV), as analysts and newsrooms keep them, into a claims dataset.

Each readable row becomes a claim, or a second citation of a claim when the same originator gave
the same figure on the same day through another outlet. A row that cannot be read is listed with
the reason and never dropped silently. A spreadsheet row has no archived document behind it, so
every cited URL becomes a document without a file (its quotes are not checked) and the quote is the
row itself.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, ValidationError

from reconcile.errors import DatasetError, Problem, SpreadsheetError, clip
from reconcile.io import yamlwrite
from reconcile.io.load import build, collector_paused
from reconcile.io.originators import (
    Merge,
    SourceCell,
    as_acronym,
    guess_kind,
    likely_duplicates,
    normalise_name,
    read_source,
)
from reconcile.io.read import read_text
from reconcile.io.schema import Strict
from reconcile.io.yamlsafe import parse
from reconcile.model import wording
from reconcile.model.dataset import Dataset
from reconcile.model.terms import MAX_FIGURE, SourceKind, compact, number

#: Column -> the header names it is recognised by (compared lower-case, spaces and dashes as `_`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "claim_date", "date_claimed", "reported", "date_reported"),
    "low": ("estimate_low", "low", "min", "minimum", "lower", "low_estimate"),
    "high": ("estimate_high", "high", "max", "maximum", "upper", "high_estimate"),
    "best": ("estimate", "best", "estimate_best", "value", "figure"),
    "type": ("type", "metric", "category"),
    "source": ("source", "originator", "claimed_by"),
    "url": ("source_url", "url", "link"),
    "subject": ("subject", "country", "whose", "side"),
    "party": ("party", "party_to_conflict", "is_party", "belligerent", "party_flag", "warring_party"),
    "place": ("place", "region", "location"),
    "notes": ("notes", "note", "comment", "comments"),
}

#: The metrics of an imported dataset: id -> (label, description).
METRICS: dict[str, tuple[str, str]] = {
    "killed": ("Killed", "Deaths."),
    "wounded": ("Wounded", "Wounded or injured."),
    "killed_or_wounded": ("Killed or wounded", "Casualties stated as one total of killed and wounded."),
    "captured": ("Captured", "Taken prisoner."),
    "deserted": ("Deserted", ""),
    "missing": ("Missing", "Missing in action."),
    "deployed": ("Deployed", "Troops sent to or stationed in the place."),
    "in_combat": ("In combat", "Troops taking part in combat operations."),
    "reserve": ("In reserve", "Troops deployed but held back from combat."),
}
GROUPS: dict[str, list[str]] = {
    "casualties": ["killed", "wounded", "killed_or_wounded", "captured", "deserted", "missing"],
    "strength": ["deployed", "in_combat", "reserve"],
}
#: What the `type` column says -> metric; `--map` adds to and overrides it.
TYPES: dict[str, str] = {
    "casualties": "killed_or_wounded",
    "losses": "killed_or_wounded",
    "killed_or_wounded": "killed_or_wounded",
    "deaths": "killed",
    "dead": "killed",
    "killed": "killed",
    "fatalities": "killed",
    "wounded": "wounded",
    "injured": "wounded",
    "captured": "captured",
    "prisoners": "captured",
    "pows": "captured",
    "deserted": "deserted",
    "desertions": "deserted",
    "deserters": "deserted",
    "missing": "missing",
    "deployed": "deployed",
    "deployment": "deployed",
}
UNIT = "people"

_EMPTY = {"", "-", "\u2013", "\u2014", "n/a", "na", "?"}
_TRUE = {"yes", "y", "true", "1", "x", "party", "\u2713", "\u2714", "\u2612"}
_FALSE = {"no", "n", "false", "0", "not a party"}
_UNKNOWN = {*_EMPTY, "unknown", "unclear", "not known"}
#: Words in a header that say its column is a low or a high bound: `Killed or wounded (low)`.
_BOUND_WORDS = {
    "low": {"low", "lower", "min", "minimum", "floor"},
    "high": {"high", "upper", "max", "maximum", "ceiling"},
}
#: Words in a header that say its column flags the warring parties.
_PARTY_WORDS = {"party", "parties", "warring", "belligerent", "belligerents", "combatant", "combatants"}
_NUMBER = re.compile(r"\d{1,3}(?:([,\u00a0\u202f' ])\d{3})(?:\1\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?")
#: How many skipped rows the error of an import with none readable names.
_SHOWN = 5
#: The most decimals a figure may have: written out in a wording, each must read back exactly.
_DECIMALS = 6
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


class AliasEntry(Strict):
    """An originator's canonical name in the alias table: its other spellings and what is known of it."""

    aliases: list[str] = Field(default_factory=list, description="Other spellings that mean this originator.")
    kind: SourceKind | None = Field(default=None, strict=False, description="What sort of originator it is.")
    country: str | None = Field(default=None, description="ISO 3166 alpha-2 code(s).")
    party: bool | None = Field(default=None, description="Whether it is a party to the conflict.")
    short: str = Field(default="", max_length=24, description="Short name for tables.")


#: Built-in alias table; a user's table (`--aliases FILE`) extends and overrides it.
DEFAULT_ALIASES: dict[str, AliasEntry] = {
    "UK Ministry of Defence": AliasEntry(
        aliases=[
            "UK MoD",
            "UK MOD",
            "British Ministry of Defence",
            "British MoD",
            "Ministry of Defence (UK)",
            "UK Ministry of Defense",
            "UK Defence Ministry",
        ],
        kind=SourceKind.government,
        country="GB",
        party=False,
        short="UK MoD",
    ),
    "US Department of Defense": AliasEntry(
        aliases=["Pentagon", "US DoD", "DoD", "US Defense Department", "Department of Defense"],
        kind=SourceKind.government,
        country="US",
        party=False,
        short="US DoD",
    ),
    "Russian Ministry of Defence": AliasEntry(
        aliases=[
            "Russian MoD",
            "Russia MoD",
            "Russian Defence Ministry",
            "Russian Ministry of Defense",
            "Russia's Defence Ministry",
        ],
        kind=SourceKind.government,
        country="RU",
        party=True,
        short="RU MoD",
    ),
    "General Staff of the Armed Forces of Ukraine": AliasEntry(
        aliases=[
            "Ukrainian General Staff",
            "UA General Staff",
            "General Staff of Ukraine",
            "Ukraine General Staff",
        ],
        kind=SourceKind.military,
        country="UA",
        party=True,
        short="UA General Staff",
    ),
    "National Intelligence Service (South Korea)": AliasEntry(
        aliases=[
            "NIS",
            "South Korean NIS",
            "South Korea's National Intelligence Service",
            "South Korean intelligence",
        ],
        kind=SourceKind.intelligence,
        country="KR",
        party=False,
        short="NIS",
    ),
    "Volodymyr Zelensky, President of Ukraine": AliasEntry(
        aliases=[
            "Zelensky",
            "Zelenskyy",
            "Volodymyr Zelensky",
            "Volodymyr Zelenskyy",
            "President Zelensky",
            "Ukrainian President",
        ],
        kind=SourceKind.government,
        country="UA",
        party=True,
        short="Zelensky",
    ),
    "Institute for the Study of War": AliasEntry(
        aliases=["ISW"], kind=SourceKind.analyst, country="US", party=False, short="ISW"
    ),
    "Mediazona and BBC News Russian": AliasEntry(
        aliases=["Mediazona", "Mediazona/BBC", "BBC Russian", "BBC News Russian", "Mediazona and BBC"],
        kind=SourceKind.media,
        party=False,
        short="Mediazona/BBC",
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class SkippedRow:
    """A row that could not be imported, and why."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportReport:
    """What an import made of a spreadsheet."""

    file: str
    rows: int  # rows with any content
    claims: int
    merged: int  # rows that became a second citation of a claim from another row
    skipped: list[SkippedRow]
    sources: int
    documents: int
    notes: list[str]
    source_merges: list[Merge] = field(default_factory=list)  # spellings taken as one originator


@dataclass(frozen=True)
class ImportResult:
    """The imported dataset, its YAML text and the report."""

    dataset: Dataset
    yaml: str
    report: ImportReport


def normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def slug(text: str, *, fallback: str = "x") -> str:
    """An identifier from a name: 'UK Ministry of Defence' -> 'uk-ministry-of-defence'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return out or fallback


def parse_number(text: str) -> float | None:
    """A figure from a cell: '140,000' -> 140000; an empty cell (or '-', 'n/a') -> None."""
    cell = text.strip()
    if cell.casefold() in _EMPTY:
        return None
    if not _NUMBER.fullmatch(cell):
        raise ValueError(
            f"{clip(cell)!r} is not a number (write digits, with or without thousands separators)"
        )
    digits = re.sub(r"[,\u00a0\u202f' ]", "", cell)
    value = float(digits)
    if not value <= MAX_FIGURE:  # also a number too long to be finite
        raise ValueError(
            f"{clip(cell)!r} is larger than {MAX_FIGURE:,.0f}, the largest figure a dataset holds"
        )
    if "." in digits and len(digits.partition(".")[2].rstrip("0")) > _DECIMALS:
        raise ValueError(f"{clip(cell)!r} has more than {_DECIMALS} decimals")
    return value


def parse_date(text: str, *, today: date) -> date:
    """A date written dd/mm/yyyy, d/m/yyyy or YYYY-MM-DD (a date with slashes is always day first)."""
    cell = text.strip()
    if _ISO.fullmatch(cell):
        year, month, day_of_month = (int(part) for part in cell.split("-"))
    elif match := _DAY_MONTH_YEAR.fullmatch(cell):
        year, month, day_of_month = int(match[3]), int(match[2]), int(match[1])
    else:
        raise ValueError(f"date {cell!r} is not dd/mm/yyyy, d/m/yyyy or YYYY-MM-DD")
    try:
        day = date(year, month, day_of_month)
    except ValueError:
        raise ValueError(f"date {cell!r} is not a real calendar date") from None
    if day > today:
        raise ValueError(f"date {cell!r} is in the future")
    return day


def parse_flag(text: str) -> bool | None:
    """A party flag: yes / y / true / 1 / x, no / n / false / 0; empty (or `unknown`, `?`) is not known."""
    cell = text.strip().casefold()
    if cell in _TRUE:
        return True
    if cell in _FALSE:
        return False
    if cell in _UNKNOWN:
        return None
    raise ValueError(
        f"party flag {clip(text.strip())!r} is not yes or no "
        "(accepted: yes, y, true, 1, x; no, n, false, 0; empty or unknown when not known)"
    )


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """`--map` options, 'type=metric', checked against the metrics an import can produce."""
    out: dict[str, str] = {}
    for pair in pairs:
        type_name, sep, metric = pair.partition("=")
        if not sep or not type_name.strip() or not metric.strip():
            raise SpreadsheetError(
                f"--map {pair!r} must be written TYPE=METRIC, e.g. --map 'killed in action=killed'"
            )
        if metric.strip() not in METRICS:
            raise SpreadsheetError(
                f"--map {pair!r}: unknown metric {metric.strip()!r}; known: {', '.join(METRICS)}"
            )
        out[normalise_header(type_name)] = metric.strip()
    return out


@dataclass
class AliasTable:
    """Canonical originator names, each with the other spellings that mean it."""

    entries: dict[str, AliasEntry] = field(default_factory=lambda: dict(DEFAULT_ALIASES))

    def __post_init__(self) -> None:
        self._index: dict[str, str] = {}
        for canonical, entry in self.entries.items():
            for spelling in (canonical, *entry.aliases):
                self._index[normalise_name(spelling)] = canonical

    def extended(self, more: Mapping[str, AliasEntry]) -> AliasTable:
        """This table with `more` added; an entry of `more` replaces one of the same name."""
        entries = {k: v for k, v in self.entries.items() if k not in more}
        # A spelling claimed by a new entry no longer means the old one.
        claimed = {normalise_name(s) for name, entry in more.items() for s in (name, *entry.aliases)}
        for name, entry in entries.items():
            entries[name] = entry.model_copy(
                update={"aliases": [a for a in entry.aliases if normalise_name(a) not in claimed]}
            )
        return AliasTable({**entries, **more})

    def canonical(self, name: str) -> str | None:
        """The canonical name that `name` is a spelling of, if the table knows it."""
        return self._index.get(normalise_name(name))


def load_aliases(path: Path) -> dict[str, AliasEntry]:
    """A user's alias table: YAML mapping each canonical name to its aliases (a list) or to an entry.

    UK Ministry of Defence: [UK MoD, British MoD]
    Oryx: {aliases: [Oryx blog], kind: analyst, party: false}
    """
    try:
        data, positions = parse(read_text(path), path)
    except DatasetError as exc:
        raise exc.about("the alias table") from None
    if not isinstance(data, dict):
        raise DatasetError(
            [Problem(path, 1, 1, "", "must be a mapping of canonical names to lists of aliases")],
            what="the alias table",
        )
    entries: dict[str, AliasEntry] = {}
    problems: list[Problem] = []
    for name, value in data.items():
        where = positions.locate((name,)) or (None, None)
        try:
            entry = AliasEntry(aliases=value) if isinstance(value, list) else AliasEntry.model_validate(value)
        except ValidationError as exc:
            for error in exc.errors():
                field_path = ".".join([str(name), *(str(p) for p in error["loc"])])
                problems.append(Problem(path, where[0], where[1], field_path, error["msg"]))
            continue
        entries[str(name)] = entry
    if problems:
        raise DatasetError(problems, what="the alias table")
    return entries


@dataclass
class _Figure:
    """One readable row."""

    line: int
    day: date
    metric: str
    subject: str
    origin: str  # the originator as written (after the relay is split off)
    relay: str | None
    url: str | None
    low: float | None
    best: float | None
    high: float | None
    party: bool | None
    place: str
    notes: str
    quote: str
    stated: str | None = None  # a worded cell of a wide table, written as it is


@dataclass(frozen=True, slots=True, kw_only=True)
class WideTable:
    """How to read a wide table: one originator, one subject, and the column of each metric."""

    source: str
    subject: str
    metrics: Mapping[str, str]  # metric -> column header
    party: bool | None = None


def parse_metric_columns(pairs: Iterable[str]) -> dict[str, str]:
    """`--metric` options, 'metric=column', checked against the metrics an import can produce."""
    out: dict[str, str] = {}
    for pair in pairs:
        metric, sep, column = (part.strip() for part in pair.partition("="))
        if not sep or not metric or not column:
            raise SpreadsheetError(
                f"--metric {clip(pair)!r} must be written METRIC=COLUMN, e.g. --metric 'killed=Killed (total)'"
            )
        if metric not in METRICS:
            raise SpreadsheetError(
                f"--metric {clip(pair)!r}: unknown metric {clip(metric)!r}; known: {', '.join(METRICS)}"
            )
        if metric in out:
            raise SpreadsheetError(f"--metric {clip(metric)!r} is given twice")
        out[metric] = column
    return out


def wide_table(
    metric_columns: Sequence[str], source: str | None, subject: str | None, party: bool | None
) -> WideTable | None:
    """The wide table the options describe, or None when they describe none (no --metric, --source
    or party status); an incomplete description is an error naming what is missing."""
    if not metric_columns and source is None and party is None:
        return None
    missing = [
        option
        for option, given in (
            ("--metric METRIC=COLUMN", metric_columns),
            ("--source NAME", source),
            ("--subject NAME", subject),
        )
        if not given
    ]
    if missing:
        raise SpreadsheetError(
            f"a wide table (--metric, --source, --party or --not-party) needs {' and '.join(missing)}"
        )
    assert source is not None and subject is not None
    return WideTable(
        source=source, subject=subject, metrics=parse_metric_columns(metric_columns), party=party
    )


@dataclass
class _Claim:
    figure: _Figure
    citations: list[tuple[str, str]] = field(default_factory=list)  # (document id, quote)
    relay: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _rows(text: str) -> Iterator[tuple[int, list[str] | str]]:
    """(first line number, cells) of each row, in a comma, semicolon or tab separated text; in place
    of the cells, why a row cannot be read (a cell over the csv module's limit, a stray quote)."""
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    line = 1
    while True:
        try:
            cells: list[str] | str = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader goes on at the next line; the row is reported, not the module's words alone.
            cells = _unreadable(str(exc))
        yield line, cells
        line = reader.line_num + 1


def _unreadable(reason: str) -> str:
    if "field larger than field limit" in reason:
        return f"a cell holds more than {csv.field_size_limit():,} characters, the most a cell may hold"
    return f"the row cannot be read as CSV ({clip(reason)})"


def _columns(
    header: Sequence[str], file: Path, party_column: str | None = None
) -> tuple[dict[str, int], list[str]]:
    """Which cell holds which column, and the header names that were not recognised."""
    found: dict[str, int] = {}
    ignored = []
    if party_column is not None:
        wanted = normalise_header(party_column)
        index = next((i for i, raw in enumerate(header) if normalise_header(raw) == wanted), None)
        if index is None:
            raise SpreadsheetError(
                f"{file}: --party-column {clip(party_column)!r} is not in the header; "
                f"the header has: {clip(', '.join(h.strip() for h in header))}"
            )
        found["party"] = index
    for index, raw in enumerate(header):
        name = normalise_header(raw)
        column = next((c for c, names in COLUMNS.items() if name in names), None)
        words = set(re.split(r"[^a-z0-9]+", name))
        if column is None and _PARTY_WORDS & words:
            column = "party"
        elif column is None and words & _BOUND_WORDS["low"] and "low" not in found:
            column = "low"
        elif column is None and words & _BOUND_WORDS["high"] and "high" not in found:
            column = "high"
        if party_column is not None and (column == "party" or index == found["party"]):
            if index != found["party"]:
                ignored.append(raw.strip())
            continue  # --party-column names the one party column
        if column is None:
            if name:
                ignored.append(raw.strip())
        elif column not in found:
            found[column] = index
    missing = [c for c in ("date", "type", "source") if c not in found]
    if not {"low", "high", "best"} & found.keys():
        missing.append("estimate_low, estimate_high or estimate")
    if missing:
        raise SpreadsheetError(
            f"{file}: no column for {', '.join(missing)}; the header has: {', '.join(h.strip() for h in header)}"
        )
    return found, ignored


def stated_wording(low: float | None, best: float | None, high: float | None) -> tuple[str, float | None]:
    """The wording for a row's figures, and the best value to give explicitly when the wording implies another."""
    # Every decimal (places=None): the wording must read back as the figure itself.
    if low is not None and high is not None:
        text = (
            number(low, places=None)
            if low == high
            else f"between {number(low, places=None)} and {number(high, places=None)}"
        )
    elif low is not None:
        text = f"at least {number(low, places=None)}"
    elif high is not None:
        text = f"up to {number(high, places=None)}"
    else:
        assert best is not None
        return number(best, places=None), None
    implied = wording.read(text, dict(wording.DEFAULT_VAGUE), wording.DEFAULT_APPROXIMATE)
    return text, (best if best is not None and implied is not None and best != implied.best else None)


class _Importer:
    def __init__(
        self,
        file: Path,
        *,
        mapping: Mapping[str, str],
        aliases: AliasTable,
        default_subject: str | None,
        today: date,
        party_column: str | None = None,
    ) -> None:
        self.file, self.aliases, self.default_subject, self.today = file, aliases, default_subject, today
        self.party_column = party_column
        self.types = {**TYPES, **{m: m for m in METRICS}, **mapping}
        self.skipped: list[SkippedRow] = []
        self.notes: list[str] = []
        self.figures: list[_Figure] = []
        self.rows = 0
        self.merged = 0
        self.source_merges: list[Merge] = []

    def read(self, text: str) -> None:
        rows = _rows(text)
        header_row = next(rows, None)
        if header_row is None:
            raise SpreadsheetError(
                f"{self.file}: the file is empty; it needs a header row and rows of estimates"
            )
        header = header_row[1]
        if isinstance(header, str):
            raise SpreadsheetError(f"{self.file}:1: the header row: {header}")
        columns, ignored = _columns(header, self.file, self.party_column)
        if "subject" not in columns and self.default_subject is None:
            raise SpreadsheetError(
                f"{self.file}: no subject or country column says whose losses or troops the figures are; "
                "add one or give --subject NAME"
            )
        if ignored:
            self.notes.append(f"ignored columns: {', '.join(ignored)}")
        self._each_row(rows, lambda line, cells: [self._figure(line, header, columns, cells)])
        flags = {f.party for f in self.figures}
        if "party" in columns and flags == {True, None}:
            self.notes.append(
                f"the party column {clip(header[columns['party']].strip())!r} holds only yes and empty cells: "
                "an empty cell is taken as not known, not as no; say which sources are not parties "
                "with `party: false` in an --aliases file"
            )

    def _each_row(
        self, rows: Iterable[tuple[int, list[str] | str]], read: Callable[[int, list[str]], list[_Figure]]
    ) -> None:
        """Every row after the header read into figures, or skipped with the reason; blank rows counted."""
        blank = 0
        for line, cells in rows:
            if isinstance(cells, str):
                self.rows += 1
                self.skipped.append(SkippedRow(line=line, reason=cells))
                continue
            if not any(c.strip() for c in cells):
                blank += 1
                continue
            self.rows += 1
            try:
                self.figures += read(line, cells)
            except ValueError as exc:
                self.skipped.append(SkippedRow(line=line, reason=str(exc)))
        if blank:
            self.notes.append(f"{blank} blank row{'s' if blank != 1 else ''} ignored")

    def read_wide(self, text: str, table: WideTable) -> None:
        """Read a wide table: a date column and one column per metric, every row from one originator;
        a cell holds digits or a wording (`about 2,800`, `more than 4,500`)."""
        rows = _rows(text)
        header_row = next(rows, None)
        if header_row is None or isinstance(header_row[1], str):
            problem = "the file is empty" if header_row is None else str(header_row[1])
            raise SpreadsheetError(
                f"{self.file}: {problem}; a wide table needs a header row with a date column"
            )
        header = [h.strip() for h in header_row[1]]
        wanted = {normalise_header(h): i for i, h in reversed(list(enumerate(header)))}
        day_index = next((wanted[n] for n in COLUMNS["date"] if n in wanted), None)
        missing = [c for c in table.metrics.values() if normalise_header(c) not in wanted]
        if day_index is None or missing:
            what = [*(["a date column (date, reported, ...)"] if day_index is None else []), *missing]
            raise SpreadsheetError(
                f"{self.file}: no column for {clip(', '.join(what), 200)}; "
                f"the header has: {clip(', '.join(header), 200)}"
            )
        columns = [(metric, wanted[normalise_header(c)]) for metric, c in table.metrics.items()]
        used = {day_index, *(i for _, i in columns)}
        ignored = [h for i, h in enumerate(header) if i not in used and h]
        if ignored:
            self.notes.append(f"ignored columns: {clip(', '.join(ignored), 200)}")
        origin = read_source(table.source)
        self._each_row(
            rows, lambda line, cells: self._wide_row(line, header, day_index, columns, cells, table, origin)
        )

    def _wide_row(
        self,
        line: int,
        header: Sequence[str],
        day_index: int,
        columns: Sequence[tuple[str, int]],
        cells: list[str],
        table: WideTable,
        origin: SourceCell,
    ) -> list[_Figure]:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise ValueError(f"{len(cells)} cells but the header has {len(header)} columns")

        def cell(index: int) -> str:
            return cells[index].strip() if index < len(cells) else ""

        reasons: list[str] = []
        day: date | None = None
        try:
            day = parse_date(cell(day_index), today=self.today) if cell(day_index) else _missing("date")
        except ValueError as exc:
            reasons.append(str(exc))
        readings = []
        for metric, index in columns:
            stated = cell(index)
            if stated.casefold() in _EMPTY:
                continue
            try:
                readings.append((metric, index, stated, _worded_figure(stated)))
            except ValueError as exc:
                reasons.append(f"column {clip(header[index])!r}: {exc}")
        if not reasons and not readings:
            reasons.append(f"no figure in {clip(', '.join(header[i] for _, i in columns), 200)}")
        if reasons or day is None:
            raise ValueError("; ".join(reasons))
        date_cell = f"{header[day_index]}={cell(day_index)}"
        return [
            _Figure(
                line=line,
                day=day,
                metric=metric,
                subject=table.subject,
                origin=origin.origin,
                relay=origin.relay,
                url=None,
                low=reading.low,
                best=reading.best,
                high=reading.high,
                party=table.party,
                place="",
                notes=origin.note,
                quote=f"{self.file.name} line {line}: {date_cell}; {header[index]}={stated}",
                stated=stated,
            )
            for metric, index, stated, reading in readings
        ]

    def _figure(self, line: int, header: Sequence[str], columns: dict[str, int], cells: list[str]) -> _Figure:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise ValueError(f"{len(cells)} cells but the header has {len(header)} columns")

        def cell(column: str) -> str:
            index = columns.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        reasons: list[str] = []

        def attempt(column: str, read: Any) -> Any:
            try:
                return read(cell(column))
            except ValueError as exc:
                reasons.append(str(exc))
                return None

        day = attempt("date", lambda c: parse_date(c, today=self.today) if c else _missing("date"))
        low, best, high = (attempt(c, parse_number) for c in ("low", "best", "high"))
        party = attempt("party", parse_flag)
        type_name = cell("type")
        metric = self.types.get(normalise_header(type_name))
        if not type_name:
            reasons.append("no type")
        elif metric is None:
            reasons.append(
                f"type {type_name!r} has no metric; add --map '{type_name}=METRIC' "
                f"(metrics: {', '.join(METRICS)})"
            )
        source = cell("source")
        if not source:
            reasons.append("no source")
        subject = cell("subject") or self.default_subject or ""
        if not subject:
            reasons.append("no subject or country")
        if not reasons:
            reasons += _order_problems(low, best, high)
        if reasons:
            raise ValueError("; ".join(reasons))
        named = read_source(source)
        notes = " ".join(n for n in (named.note, cell("notes")) if n)
        quote = f"{self.file.name} line {line}: " + "; ".join(
            f"{name.strip()}={value.strip()}" for name, value in zip(header, cells) if value.strip()
        )
        return _Figure(
            line=line,
            day=day,
            metric=metric or "",
            subject=subject,
            origin=named.origin,
            relay=named.relay,
            url=cell("url") or None,
            low=low,
            best=best,
            high=high,
            party=party,
            place=cell("place"),
            notes=notes,
            quote=quote,
        )

    def build(self) -> dict[str, Any]:
        """The dataset as plain data, in the order of the format's sections."""
        subjects = _Names()
        for figure in self.figures:
            subjects.add(normalise_name(figure.subject), figure.subject)
        origins = _Names()
        rows: dict[str, list[_Figure]] = {}  # each originator's rows, under its normalised name
        keys: list[str] = []  # each figure's originator, in the order of `self.figures`
        in_table = {f.origin: self.aliases.canonical(f.origin) or f.origin for f in self.figures}
        counts: dict[str, int] = {}
        for figure in self.figures:
            counts[in_table[figure.origin]] = counts.get(in_table[figure.origin], 0) + 1
        found = likely_duplicates(in_table.values(), counts, known=self.aliases.entries)
        self.source_merges = found.merges
        for acronym, expansions in found.ambiguous:
            self.notes.append(
                f"{clip(acronym)} may abbreviate {' or '.join(clip(e) for e in expansions[:3])}: not merged; "
                "say which in an --aliases file"
            )
        for figure in self.figures:
            canonical = found.canonical[in_table[figure.origin]]
            key = normalise_name(canonical)
            origins.add(key, canonical, self.aliases.entries.get(canonical, AliasEntry()).short)
            rows.setdefault(key, []).append(figure)
            keys.append(key)
        documents = _Documents(self.file)
        claims: dict[tuple[Any, ...], _Claim] = {}
        for figure, key in zip(self.figures, keys, strict=True):
            same = (
                origins.id(key),
                figure.metric,
                subjects.id(normalise_name(figure.subject)),
                figure.day,
                figure.low,
                figure.best,
                figure.high,
                figure.place,
            )
            claim = claims.setdefault(same, _Claim(figure))
            claim.citations.append((documents.key_of(figure), figure.quote))
            if figure.relay and figure.relay not in claim.relay:
                claim.relay.append(figure.relay)
            if figure.notes and figure.notes not in claim.notes:
                claim.notes.append(figure.notes)
        self.merged = len(self.figures) - len(claims)
        sources = {origins.id(key): self._source(name, rows[key]) for key, name in origins.names.items()}
        unknown = [s["name"] for s in sources.values() if "party" not in s]
        if unknown:
            self.notes.append(
                f"{len(unknown)} source{'s' if len(unknown) != 1 else ''} of unknown party status (the sheet "
                f"does not say whether {'it is a party' if len(unknown) == 1 else 'they are parties'}): "
                f"{clip(', '.join(clip(n) for n in unknown), 200)}; `reconcile check` names the ones an estimate uses"
            )
        return {
            "version": 1,
            "metrics": {k: _metric(k, label, description) for k, (label, description) in METRICS.items()},
            "groups": GROUPS,
            "subjects": {subjects.id(key): {"name": name} for key, name in subjects.names.items()},
            "sources": sources,
            "documents": documents.entries(self.figures),
            "claims": _claim_entries(claims, origins, subjects),
        }

    def _source(self, name: str, rows: Sequence[_Figure]) -> dict[str, Any]:
        entry = self.aliases.entries.get(name, AliasEntry())
        flags = {f.party for f in rows if f.party is not None}
        notes = []
        if len(flags) > 1:
            lines = ", ".join(str(f.line) for f in rows if f.party is not None)
            notes.append(
                f"The party flag disagrees between its rows (lines {clip(lines, 200)}); counted as a party."
            )
            self.notes.append(f"{name}: the party flag disagrees between rows; counted as a party")
        party = (True in flags) if flags else entry.party
        if party is None:
            notes.append("Not stated in the spreadsheet whether it is a party to the conflict.")
        kind = entry.kind or guess_kind(name)
        if kind is None:
            kind = SourceKind.unattributed
            notes.append("Its kind could not be told from its name; set it.")
        elif entry.kind is None:
            notes.append(f"Kind {kind.value!r} guessed from its name.")
        aliases = sorted({f.origin for f in rows} - {name})
        short = entry.short or (name if len(name) <= 24 else next((a for a in aliases if as_acronym(a)), ""))
        out: dict[str, Any] = {"name": name}
        if short and short != name:
            out["short"] = short
        out["kind"] = kind.value
        if entry.country:
            out["country"] = entry.country
        if party is not None:
            out["party"] = party
        if aliases:
            out["aliases"] = aliases
        if notes:
            out["notes"] = " ".join(notes)
        return out


class _Names:
    """Display names under a normalised key, each with a unique identifier."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self._ids: dict[str, str] = {}
        self._taken: set[str] = set()

    def add(self, key: str, name: str, short: str = "") -> None:
        if key in self.names:
            return
        self.names[key] = name
        base = slug(short or name, fallback=f"n{len(self.names)}")
        candidate, n = base, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{base}-{n}"
        self._ids[key] = candidate
        self._taken.add(candidate)

    def id(self, key: str) -> str:
        return self._ids[key]


class _Documents:
    """Documents without a file: one per cited URL; for rows without one, one per relay (the outlet that
    carried the figure), and one for the rows that name neither."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def key_of(self, figure: _Figure) -> str:
        if figure.url is not None:
            host = (urlsplit(figure.url).hostname or "link").removeprefix("www.")
            return f"{slug(host, fallback='link')}-{hashlib.sha1(figure.url.encode()).hexdigest()[:6]}"
        if figure.relay is not None:
            return f"{slug(figure.relay, fallback='relay')}-in-{slug(self.file.stem, fallback='spreadsheet')}"
        return slug(self.file.stem, fallback="spreadsheet")

    def entries(self, figures: Sequence[_Figure]) -> dict[str, dict[str, Any]]:
        latest: dict[str, date] = {}
        for figure in figures:
            key = self.key_of(figure)
            latest[key] = max(latest.get(key, figure.day), figure.day)
        name = self.file.name
        undated = (
            "The publication date is not in the spreadsheet; this is the date of the latest claim it carries."
        )
        out: dict[str, dict[str, Any]] = {}
        for figure in sorted(figures, key=lambda f: f.line):
            key = self.key_of(figure)
            if key in out:
                continue
            entry: dict[str, Any]
            if figure.url is not None:
                host = (urlsplit(figure.url).hostname or figure.url).removeprefix("www.")
                entry = {
                    "outlet": host,
                    "title": figure.url,
                    "url": figure.url,
                    "notes": f"Cited by {name}. Not archived: the quotes are the spreadsheet's rows. {undated}",
                }
            elif figure.relay is not None:
                entry = {
                    "outlet": figure.relay,
                    "title": f"Figures {name} gives as carried by {figure.relay}",
                    "notes": f"{name} names the outlet but no URL. Not archived: the quotes are the "
                    f"spreadsheet's rows. {undated}",
                }
            else:
                entry = {
                    "outlet": name,
                    "title": f"Spreadsheet {name}",
                    "notes": f"The rows of {name} that name no URL or outlet. Not archived: the quotes are "
                    f"the rows themselves. {undated}",
                }
            out[key] = {
                "outlet": entry.pop("outlet"),
                "title": entry.pop("title"),
                "published": latest[key],
                "published_precision": "approximate",
                **entry,
            }
        return out


def _worded_figure(stated: str) -> wording.Reading:
    """A cell of a wide table read by the dataset's wording rules, as `validate` will read it."""
    try:
        reading = wording.read(stated, dict(wording.DEFAULT_VAGUE), wording.DEFAULT_APPROXIMATE)
    except wording.WordingError as exc:
        raise ValueError(
            f"{clip(stated)!r} {exc}; write digits (2,800) or a wording such as 'about 2,800', "
            "'more than 4,500' or 'between 2,000 and 3,000'"
        ) from None
    if reading.relative:
        raise ValueError(f"{clip(stated)!r} is a fraction of another figure; write the figure itself")
    return reading


def _missing(column: str) -> Any:
    raise ValueError(f"no {column}")


def _order_problems(low: float | None, best: float | None, high: float | None) -> list[str]:
    if low is None and best is None and high is None:
        return ["no figure in estimate_low, estimate or estimate_high"]
    pairs = (
        ("estimate_low", low, "estimate_high", high),
        ("estimate_low", low, "estimate", best),
        ("estimate", best, "estimate_high", high),
    )
    return [
        f"{a} {number(x, places=None)} exceeds {b} {number(y, places=None)}"
        for a, x, b, y in pairs
        if x is not None and y is not None and x > y
    ][:1]


#: The imported metrics whose running totals never fall; troops deployed and the missing (who may be
#: found) rise and fall.
ACCUMULATES = frozenset({"killed", "wounded", "killed_or_wounded", "captured", "deserted"})


def _metric(metric: str, label: str, description: str) -> dict[str, str | bool]:
    out: dict[str, str | bool] = {"label": label, "unit": UNIT}
    if description:
        out["description"] = description
    if metric in ACCUMULATES:
        out["accumulates"] = True
    return out


def _claim_entries(
    claims: Mapping[tuple[Any, ...], _Claim], origins: _Names, subjects: _Names
) -> list[dict[str, Any]]:
    out = []
    used: set[str] = set()
    ordered = sorted(claims.items(), key=lambda item: (item[1].figure.day, item[1].figure.line))
    for key, claim in ordered:
        figure = claim.figure
        source, metric, subject = key[0], key[1], key[2]
        base = f"{source}-{metric}-{figure.day.isoformat()}"
        claim_id, n = base, 1
        while claim_id in used:
            n += 1
            claim_id = f"{base}-{n}"
        used.add(claim_id)
        stated, best = (
            stated_wording(figure.low, figure.best, figure.high)
            if figure.stated is None
            else (figure.stated, None)
        )
        value: dict[str, Any] = {"stated": stated}
        if best is not None:
            value["best"] = compact(best)
        entry: dict[str, Any] = {"id": claim_id, "metric": metric, "subject": subject}
        if figure.place:
            entry["place"] = figure.place
        entry |= {"value": value, "scope": {"kind": "cumulative"}, "date": figure.day, "source": source}
        if claim.relay:
            entry["relay"] = claim.relay
        entry["citations"] = [{"document": d, "quote": q} for d, q in claim.citations]
        if claim.notes:
            entry["notes"] = " ".join(claim.notes)
        out.append(entry)
    return out


HEADER = """\
# Imported from {name} by `reconcile import`: {rows} rows -> {claims} claims.
# Documents without a `file` are not archived: each quote is the spreadsheet row it came from, and
# `reconcile validate` cannot check it. Every figure is taken as a cumulative total.
"""


def to_yaml(data: Mapping[str, Any]) -> str:
    return yamlwrite.dumps(dict(data))


def import_csv(
    file: Path,
    *,
    output_name: str = "imported.yaml",
    mapping: Mapping[str, str] | None = None,
    aliases: AliasTable | None = None,
    default_subject: str | None = None,
    party_column: str | None = None,
    wide: WideTable | None = None,
    today: date | None = None,
) -> ImportResult:
    """Read a CSV of estimates into a dataset that validates, with a report of every row's fate.

    With `wide`, the CSV is a wide table: a date column and one column per metric, every row from
    one originator about one subject.
    """
    with collector_paused():
        return _import_csv(
            file,
            output_name=output_name,
            mapping=mapping,
            aliases=aliases,
            default_subject=default_subject,
            party_column=party_column,
            wide=wide,
            today=today,
        )


def _import_csv(
    file: Path,
    *,
    output_name: str,
    mapping: Mapping[str, str] | None,
    aliases: AliasTable | None,
    default_subject: str | None,
    party_column: str | None,
    wide: WideTable | None,
    today: date | None,
) -> ImportResult:
    try:
        text = read_text(file)
    except DatasetError as exc:
        raise exc.about("the spreadsheet") from None
    importer = _Importer(
        file,
        mapping=mapping or {},
        aliases=aliases or AliasTable(),
        default_subject=default_subject,
        today=today or date.today(),
        party_column=party_column,
    )
    if wide is None:
        importer.read(text)
    else:
        importer.read_wide(text, wide)
    if not importer.figures:
        # One line, at most the first few rows: a message is read on a terminal.
        shown = "; ".join(f"line {s.line}: {clip(s.reason, 200)}" for s in importer.skipped[:_SHOWN])
        more = len(importer.skipped) - _SHOWN
        raise SpreadsheetError(
            f"{file}: none of the {importer.rows:,} rows could be imported"
            + (f" ({shown}" + (f"; and {more:,} more" if more > 0 else "") + ")" if shown else "")
        )
    data = importer.build()
    body = to_yaml(data)
    report = ImportReport(
        file=str(file),
        rows=importer.rows,
        claims=len(data["claims"]),
        merged=importer.merged,
        skipped=importer.skipped,
        sources=len(data["sources"]),
        documents=len(data["documents"]),
        notes=importer.notes,
        source_merges=importer.source_merges,
    )
    # What was read is written: free it before the text is read back, which makes it all again.
    del data, importer
    text_out = (
        HEADER.format(name=file.name, rows=report.rows - len(report.skipped), claims=report.claims) + body
    )
    # The result must load like any dataset; a failure here is a bug in the importer, so it is not caught.
    # It is read from the text, named as the output file will be: no temporary file is ever named.
    dataset = build(text_out, Path(output_name), today or date.today())
    return ImportResult(dataset=dataset, yaml=text_out, report=report)
