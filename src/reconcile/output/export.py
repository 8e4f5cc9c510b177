"""Exporting claims or their spread as a table for a report: CSV, Markdown, LaTeX, HTML or JSON.

A view (`claims`: one row per claim; `summary`: one row per comparison, as `show` makes them) is
built once as an `ExportTable`; one renderer per `Format`, all with the same signature, turns it into
text. CSV and JSON are for programs and spreadsheets: raw numbers, ISO dates with their precision
beside them, ids, and on every row the date of the data and the version that wrote it. Markdown,
LaTeX and HTML are for people: numbers formatted (3,800), a caption naming the metric, the date of
the data and the version, rows under a heading per metric and subject, and in Markdown and LaTeX
the citation of each row as a footnote, so that the table fits a page (LaTeX, A4) or 100 columns of
source (Markdown). The JSON of the claims view is every field of each claim plus the interval read
from it and the fields the CSV adds, so that its claim fields load back into `models.Claim`.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR
from enum import Enum
from itertools import groupby
from pathlib import Path
from typing import Any

from reconcile import __version__
from reconcile.analysis.claims import Filters, expand_metrics, format_date, recency, scope_label, to_row
from reconcile.analysis.compare import attach, compare
from reconcile.analysis.estimate import Settings, Step, estimate_series
from reconcile.io import atomic
from reconcile.model.dataset import Claim, Dataset
from reconcile.model.terms import Number, Precision, compact, figure, number, raw
from reconcile.output import escape
from reconcile.output.formats import Format, View
from reconcile.output.json import dumps, plain

Cell = str | float | bool | None


class Place(Enum):
    """Where a column goes: in every format, or only in the data formats or only in those for people.

    For people (Markdown, LaTeX) a `group` column becomes a heading over the rows that share it and
    a `note` column part of the row's footnote; HTML, with no page to fit, shows both as columns.
    """

    table = "table"
    group = "group"
    note = "note"
    data = "data"  # CSV and JSON only
    people = "people"  # Markdown, LaTeX and HTML only


@dataclass(frozen=True)
class Column:
    """A column of an export: its key (CSV header), its title (for people) and how to lay it out."""

    key: str
    title: str
    numeric: bool = False
    whole: bool = False  # never wrapped: a number or a date (a numeric column is whole)
    place: Place = Place.table
    gives_way: int = 0  # where a line is too narrow, the text column with the highest number is cut first
    unknown: str = ""  # what people read for a value the data does not give (CSV and JSON leave it empty)


@dataclass(frozen=True)
class ExportTable:
    """A view ready to render: a caption, columns, the rows and the records JSON writes, one per row."""

    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]]
    records: list[dict[str, Any]]
    as_of: date | None = None  # the date of the data: `--as-of`, or the newest claim's date
    legend: str = ""  # how to read the table, printed with the caption
    version: str = field(default=__version__)


#: How exactly a date is known, as the data formats write it: its precision and whether it is approximate.
DATE_PRECISION: dict[Precision, tuple[str, bool]] = {
    Precision.day: ("day", False),
    Precision.month: ("month", False),
    Precision.approximate: ("day", True),
}

_DATA_AS_OF = Column("data_as_of", "Data as of", place=Place.data)
_VERSION = Column("reconcile_version", "reconcile version", place=Place.data)

CLAIM_COLUMNS = (
    Column("claim_id", "Claim", place=Place.note),
    Column("metric", "Metric", place=Place.group),
    Column("subject", "Subject", place=Place.group),
    Column("unit", "Unit", place=Place.group),
    Column("date_text", "Date", whole=True, place=Place.people),
    Column("date", "Date", place=Place.data),
    Column("date_precision", "Date precision", place=Place.data),
    Column("date_approximate", "Date approximate", place=Place.data),
    Column("source_id", "Source", place=Place.data),
    Column("originator", "Originator", gives_way=1),
    Column("party", "Party to the conflict", place=Place.note, unknown="not known"),
    Column("stated", "As stated"),
    Column("low", "Low", numeric=True),
    Column("best", "Best", numeric=True),
    Column("high", "High", numeric=True),
    Column("scope", "Scope", gives_way=2),
    Column("relay", "Relayed by", place=Place.note),
    Column("outlets", "Outlet(s)", place=Place.note),
    Column("document", "Document", place=Place.note),
    Column("url", "URL", place=Place.note),
    Column("quote", "Quote", place=Place.note),
    _DATA_AS_OF,
    _VERSION,
)

#: The columns that name what a row of the summary or the estimate is about.
_ABOUT = (
    Column("metric_id", "Metric id", place=Place.data),
    Column("metric", "Metric", place=Place.group),
    Column("subject_id", "Subject id", place=Place.data),
    Column("subject", "Subject", place=Place.group),
    Column("unit", "Unit", place=Place.group),
)

SUMMARY_COLUMNS = (
    *_ABOUT,
    Column("scope", "Scope", gives_way=2),
    Column("low", "Low", numeric=True),
    Column("high", "High", numeric=True),
    Column("median", "Median", numeric=True),
    Column("ratio", "Ratio", numeric=True),
    Column("estimate_low", "Estimate low", numeric=True, place=Place.data),
    Column("estimate_best", "Estimate best", numeric=True, place=Place.data),
    Column("estimate_high", "Estimate high", numeric=True, place=Place.data),
    Column("estimate_text", "Estimate", place=Place.people),
    Column("estimate_method", "Estimate method", place=Place.data),
    Column("estimate_as_of", "Estimate as of", place=Place.data),
    Column("originators", "Originators", numeric=True),
    Column("claims", "Claims", numeric=True, place=Place.data),
    Column("first", "From", place=Place.data),
    Column("first_precision", "From precision", place=Place.data),
    Column("first_approximate", "From approximate", place=Place.data),
    Column("last_text", "Newest", whole=True, place=Place.people),
    Column("last", "To", place=Place.data),
    Column("last_precision", "To precision", place=Place.data),
    Column("last_approximate", "To approximate", place=Place.data),
    _DATA_AS_OF,
    _VERSION,
)


CLAIMS_LEGEND = "A date with ~ is approximate; an open bound is written open."
SUMMARY_LEGEND = (
    "Of each originator's latest claim: Low is the lowest low, High the highest high, Median the"
    " median of the best values, Ratio the highest best over the lowest. Estimate is the reconciled"
    " best (low to high) of a running total by the default method (median) as of the date of the data,"
    " old figures carried forward (docs/methods.md). Newest is the date of the newest claim. An open"
    " bound is written open."
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryRow:
    """One comparison of the summary view: its envelope, median, max/min ratio, originators and dates."""

    metric: str
    label: str
    subject: str
    subject_name: str
    scope: str
    projection: bool
    unit: str
    low: Number | None  # lowest low; None when some claim has no floor
    high: Number | None  # highest high; None when some claim has no ceiling
    median: Number
    ratio: Number | None
    estimate_low: Number | None  # the estimate of a running total; all None with none
    estimate_best: Number | None
    estimate_high: Number | None
    estimate_method: str | None
    estimate_as_of: date | None
    estimate_places: int  # the decimal places of the estimate's claims, which people are shown
    originators: int
    claims: int
    first: date
    last: date
    first_precision: Precision
    last_precision: Precision


def export(
    dataset: Dataset, view: View, filters: Filters, *, metric: str | None = None, every: Step = Step.month
) -> ExportTable:
    """The claims, the summary or the estimate series (a point `every` apart) of a metric or group
    (every metric without one), as a table."""
    metrics = expand_metrics(dataset, metric) if metric else list(dataset.metrics)
    if view is View.claims:
        return _claims_table(dataset, metrics, filters, metric)
    if view is View.estimate:
        return _estimate_table(dataset, metrics, filters, metric, every)
    return _summary_table(dataset, metrics, filters, metric)


def caption(dataset: Dataset, metrics: Sequence[str], name: str | None, subjects: set[str], what: str) -> str:
    """What a table shows in words: the metric's label (a group's labels), the subject if only one, `what`."""
    labels = [dataset.metrics[m].label for m in metrics]
    if name is None:
        named = "All metrics"
    elif name in dataset.metrics:
        named = labels[0]
    else:
        named = f"{name.replace('_', ' ').capitalize()} ({', '.join(labels)})"
    if len(subjects) == 1:
        named += f", {dataset.subjects[next(iter(subjects))].name}"
    return f"{named}: {what}"


def _stamp(title: str, as_of: date | None, version: str) -> str:
    dated = f" as of {as_of.isoformat()}" if as_of else ""
    return f"{title}{dated}. Made with reconcile {version}."


def _as_of(filters: Filters, dates: Sequence[date]) -> date | None:
    return filters.as_of if filters.as_of is not None else max(dates, default=None)


def _claims_table(
    dataset: Dataset, metrics: Sequence[str], filters: Filters, name: str | None
) -> ExportTable:
    order = {m: i for i, m in enumerate(metrics)}
    subjects = {s: i for i, s in enumerate(dataset.subjects)}
    claims = sorted(
        (c for c in dataset.claims if c.metric in order and filters.admit(c)),
        key=lambda c: (order[c.metric], subjects[c.subject], recency(c)),
    )
    as_of = _as_of(filters, [c.date for c in claims])
    what = f"{len(claims)} claim{'' if len(claims) == 1 else 's'}"
    title = _stamp(caption(dataset, metrics, name, {c.subject for c in claims}, what), as_of, __version__)
    rows, records = [], []
    for claim in claims:
        cells = _claim_cells(dataset, claim, as_of)
        rows.append(tuple(cells.values()))
        records.append({**plain(claim), **_claim_extras(cells)})
    return ExportTable(title, CLAIM_COLUMNS, rows, records, as_of, legend=CLAIMS_LEGEND)


def _claim_cells(dataset: Dataset, claim: Claim, as_of: date | None) -> dict[str, Cell]:
    row = to_row(dataset, claim)
    documents = [dataset.documents[d] for d in dict.fromkeys(c.document for c in claim.citations)]
    precision, approximate = DATE_PRECISION[claim.precision]
    metric = dataset.metrics[claim.metric]
    cells: dict[str, Cell] = {
        "claim_id": claim.id,
        "metric": metric.label,
        "subject": dataset.subjects[claim.subject].name,
        "unit": metric.unit,
        "date_text": row.date_text,
        "date": claim.date.isoformat(),
        "date_precision": precision,
        "date_approximate": approximate,
        "source_id": claim.source,
        "originator": row.originator,
        "party": row.party,
        "stated": row.stated,
        "low": row.low,
        "best": row.best,
        "high": row.high,
        "scope": scope_label(claim) + (", projection" if claim.projection else ""),
        "relay": "; ".join(row.relay),
        "outlets": "; ".join(row.outlets),
        "document": "; ".join(f"{d.title} ({d.published})" for d in documents),
        "url": " ".join(d.url for d in documents if d.url),
        "quote": " / ".join(c.quote for c in claim.citations),
        "data_as_of": as_of.isoformat() if as_of else None,
        "reconcile_version": __version__,
    }
    assert list(cells) == [c.key for c in CLAIM_COLUMNS]
    return cells


def _claim_extras(cells: dict[str, Cell]) -> dict[str, Any]:
    """What the JSON of a claim adds to the claim's own fields: names, the party flag, URLs, the date's precision."""
    return {
        "metric_label": cells["metric"],
        "subject_name": cells["subject"],
        "unit": cells["unit"],
        "originator": cells["originator"],
        "party": cells["party"],
        "date_precision": cells["date_precision"],
        "date_approximate": cells["date_approximate"],
        "outlets": str(cells["outlets"]).split("; ") if cells["outlets"] else [],
        "urls": str(cells["url"]).split() if cells["url"] else [],
        "data_as_of": cells["data_as_of"],
        "reconcile_version": cells["reconcile_version"],
    }


def _summary_table(
    dataset: Dataset, metrics: Sequence[str], filters: Filters, name: str | None
) -> ExportTable:
    summaries = []
    comparisons = compare(dataset, metrics, filters)
    attach(dataset, comparisons, filters, set_aside_for=())
    for comparison in comparisons:
        s = comparison.spread
        e = comparison.estimate
        first = min(comparison.rows, key=lambda r: r.date)
        last = max(comparison.rows, key=lambda r: r.date)
        summaries.append(
            SummaryRow(
                metric=comparison.metric,
                label=comparison.label,
                subject=comparison.subject,
                subject_name=comparison.subject_name,
                scope=comparison.scope,
                projection=comparison.projection,
                unit=comparison.unit,
                low=s.low,
                high=s.high,
                median=s.median,
                ratio=s.ratio,
                estimate_low=None if e is None else e.low,
                estimate_best=None if e is None else e.best,
                estimate_high=None if e is None else e.high,
                estimate_method=None if e is None or e.best is None else e.method.value,
                estimate_as_of=None if e is None or e.best is None else e.as_of,
                estimate_places=0 if e is None else e.places,
                originators=s.originators,
                claims=s.claims,
                first=first.date,
                last=last.date,
                first_precision=first.precision,
                last_precision=last.precision,
            )
        )
    as_of = _as_of(filters, [s.last for s in summaries])
    title = _stamp(
        caption(dataset, metrics, name, {s.subject for s in summaries}, "the spread of the claims"),
        as_of,
        __version__,
    )
    stamp = {"data_as_of": as_of.isoformat() if as_of else None, "reconcile_version": __version__}
    rows: list[tuple[Cell, ...]] = [
        (
            s.metric,
            s.label,
            s.subject,
            s.subject_name,
            s.unit,
            s.scope + (", projection" if s.projection else ""),
            s.low,
            s.high,
            s.median,
            s.ratio,
            compact(s.estimate_low),
            compact(s.estimate_best),
            compact(s.estimate_high),
            _estimate_text(s),
            s.estimate_method,
            s.estimate_as_of.isoformat() if s.estimate_as_of else None,
            s.originators,
            s.claims,
            s.first.isoformat(),
            *DATE_PRECISION[s.first_precision],
            format_date(s.last, s.last_precision),
            s.last.isoformat(),
            *DATE_PRECISION[s.last_precision],
            *stamp.values(),
        )
        for s in summaries
    ]
    records = [
        {
            **{k: v for k, v in plain(s).items() if k != "estimate_places"},  # for people only
            # The precision as the CSV writes it: an approximate date is a day, flagged approximate.
            "first_precision": DATE_PRECISION[s.first_precision][0],
            "last_precision": DATE_PRECISION[s.last_precision][0],
            "first_approximate": DATE_PRECISION[s.first_precision][1],
            "last_approximate": DATE_PRECISION[s.last_precision][1],
            **stamp,
        }
        for s in summaries
    ]
    return ExportTable(title, SUMMARY_COLUMNS, rows, records, as_of, legend=SUMMARY_LEGEND)


def _estimate_text(row: SummaryRow) -> str:
    """ "3,000 (900 to 5,400)" at the claims' precision, as the estimate's line prints it; empty
    without one."""
    if row.estimate_best is None:
        return ""
    p = row.estimate_places
    low, high = figure(row.estimate_low, p, ROUND_FLOOR), figure(row.estimate_high, p, ROUND_CEILING)
    return f"{figure(row.estimate_best, p)} ({low} to {high})"


# --- renderers: one per format, each (ExportTable) -> str -----------------------------------------


def _people(cell: Cell, column: Column) -> str:
    """A cell as people read it: numbers formatted (an open bound as 'open'), yes or no."""
    if column.numeric:
        return number(cell if isinstance(cell, (int, float)) and not isinstance(cell, bool) else None)
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    return column.unknown if cell is None else str(cell)


def _raw(cell: Cell, column: Column) -> str:
    """A cell as a spreadsheet reads it: numbers raw, true or false, text safe from formulas."""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if column.numeric:
        return raw(cell) if isinstance(cell, (int, float)) else ""
    return escape.csv_cell("" if cell is None else str(cell))


def render_csv(table: ExportTable) -> str:
    """RFC 4180: comma-separated, quoted where needed, CRLF line ends, a header of column keys."""
    out = io.StringIO()
    writer = csv.writer(out)
    columns = [i for i, c in enumerate(table.columns) if c.place is not Place.people]
    writer.writerow(table.columns[i].key for i in columns)
    for row in table.rows:
        writer.writerow(_raw(row[i], table.columns[i]) for i in columns)
    return out.getvalue()


@dataclass(frozen=True)
class _Block:
    """Rows for people under one heading (a metric, subject and unit), each with its footnote."""

    heading: str
    rows: list[list[str]]
    notes: list[list[tuple[str, str]]]  # (title, text) of each non-empty note column, per row


def _for_people(table: ExportTable) -> tuple[list[Column], Iterator[_Block]]:
    """The columns of the table proper, and the rows grouped under their headings, with their notes."""
    shown = [i for i, c in enumerate(table.columns) if c.place in (Place.table, Place.people)]
    grouped = [i for i, c in enumerate(table.columns) if c.place is Place.group]
    noted = [i for i, c in enumerate(table.columns) if c.place is Place.note]

    def blocks() -> Iterator[_Block]:
        for heading, rows in groupby(table.rows, key=lambda row: tuple(str(row[i]) for i in grouped)):
            kept = list(rows)
            yield _Block(
                heading=_heading(heading),
                rows=[[_people(row[i], table.columns[i]) for i in shown] for row in kept],
                notes=[
                    [
                        (table.columns[i].title, _people(row[i], table.columns[i]))
                        for i in noted
                        if _people(row[i], table.columns[i])
                    ]
                    for row in kept
                ],
            )

    return [table.columns[i] for i in shown], blocks()


def _heading(parts: Sequence[str]) -> str:
    # metric, subject, unit: "Killed: North Korean forces sent to Russia (soldiers)"
    *names, unit = parts
    return ": ".join(names) + (f" ({unit})" if unit else "")


#: Markdown source stays within this many columns, so it reads in a terminal or a diff.
MARKDOWN_WIDTH = 100


def render_markdown(table: ExportTable) -> str:
    """A caption, then a GitHub pipe table per metric and subject, each row's citation a footnote.

    Every line of a table fits MARKDOWN_WIDTH columns: text columns give way in turn (see `_fit`),
    and the footnote gives whole whatever was shortened or moved. Figures, dates and ids are never
    shortened.
    """
    columns, blocks = _for_people(table)
    lines = textwrap.wrap(escape.markdown(f"{table.title} {table.legend}".strip()), MARKDOWN_WIDTH)
    footnotes: list[str] = []
    count = 0
    for block in blocks:
        lines += ["", f"**{escape.markdown(block.heading)}**", ""]
        kept, cells, shortened = _fit(columns, block.rows, count + len(block.rows))
        refs = []
        for notes, cut in zip(block.notes, shortened):
            whole = [(columns[i].title, text) for i, text in cut] + notes
            if not whole:
                refs.append("")
                continue
            count += 1
            refs.append(f"[^{count}]")
            body = "; ".join(f"{title}: {escape.markdown(text)}" for title, text in whole)
            footnotes += textwrap.wrap(
                f"{refs[-1]}: {body}",
                MARKDOWN_WIDTH,
                subsequent_indent="    ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        shown = [columns[i] for i in kept]
        if any(refs):
            lines += _pipe_table([*shown, _NOTE], [[*row, ref] for row, ref in zip(cells, refs)])
        else:
            lines += _pipe_table(shown, cells)
    return "\n".join(lines + ([""] if footnotes else []) + footnotes) + "\n"


_NOTE = Column("note", "Note", whole=True)
#: A text cell is shortened to no fewer characters than this before its column moves to the notes.
_SHORTEST = 12


def _fit(
    columns: Sequence[Column], rows: list[list[str]], last_mark: int
) -> tuple[list[int], list[list[str]], list[list[tuple[int, str]]]]:
    """The columns kept, their cells fitting MARKDOWN_WIDTH, and per row the cells shortened or moved.

    Text columns give way in turn (the scope, then the originator, then the wording): each is
    shortened down to _SHORTEST characters; the first, if that is not enough, moves to the notes.
    """
    kept = list(range(len(columns)))
    cut = sorted(
        (i for i, c in enumerate(columns) if not (c.numeric or c.whole)), key=lambda i: -columns[i].gives_way
    )
    caps = {i: max(len(row[i]) for row in rows) for i in cut}
    note = max(len(_NOTE.title), len(f"[^{last_mark}]"))

    def width(i: int) -> int:
        cells = (row[i] if i not in caps else _shorten(row[i], caps[i]) for row in rows)
        return max([len(escape.markdown(columns[i].title)), 3, *(len(escape.markdown(t)) for t in cells)])

    def line() -> int:  # "| a | b | note |"
        return sum(width(i) for i in kept) + note + 3 * (len(kept) + 1) + 1

    for i in cut:
        if line() <= MARKDOWN_WIDTH:
            break
        caps[i] = max(_SHORTEST, width(i) - (line() - MARKDOWN_WIDTH))
        while line() > MARKDOWN_WIDTH and caps[i] > _SHORTEST:  # escapes make some cells wider
            caps[i] -= 1
        if line() > MARKDOWN_WIDTH and i == cut[0]:
            kept.remove(i)
            del caps[i]
    cells = [[_shorten(row[i], caps[i]) if i in caps else row[i] for i in kept] for row in rows]
    shortened = [
        [
            (i, row[i])
            for i in cut
            if (i not in kept and row[i]) or (i in kept and cells[n][kept.index(i)] != row[i])
        ]
        for n, row in enumerate(rows)
    ]
    return kept, cells, shortened


def _shorten(text: str, width: int) -> str:
    """The text in `width` characters, cut between words with "…"; the first word stays whole."""
    if len(text) <= width:
        return text
    words = text.split()
    kept = words[:1]
    for word in words[1:]:
        if len(" ".join([*kept, word])) + 1 > width:
            break
        kept.append(word)
    return " ".join(kept) + "…"


def _pipe_table(columns: Sequence[Column], rows: list[list[str]]) -> list[str]:
    titles = [escape.markdown(c.title) for c in columns]
    body = [[text if c is _NOTE else escape.markdown(text) for c, text in zip(columns, row)] for row in rows]
    widths = [max([len(t), 3, *(len(row[i]) for row in body)]) for i, t in enumerate(titles)]

    def line(cells: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(
                text.rjust(w) if c.numeric else text.ljust(w) for c, text, w in zip(columns, cells, widths)
            )
            + " |"
        )

    rule = (
        "|"
        + "|".join(("-" * (w + 1) + ":") if c.numeric else "-" * (w + 2) for c, w in zip(columns, widths))
        + "|"
    )
    return [line(titles), rule, *(line(row) for row in body)]


def latex_escape(text: str) -> str:
    """Text that LaTeX prints as it reads."""
    return escape.latex(text)


_BREAK_AFTER = re.compile(r"(?<=[/.?&=_-])")


def _latex_breakable(text: str) -> str:
    """A URL or an id, escaped, that may break after a slash, dot, dash or the like."""
    return r"\allowbreak{}".join(escape.latex(part) for part in _BREAK_AFTER.split(text) if part)


#: The packages the LaTeX export needs, all in a standard TeX installation.
LATEX_PACKAGES = "booktabs,longtable,array"


def render_latex(table: ExportTable) -> str:
    """A `longtable` that fits the text width of any page: page breaks allowed, text wrapped, the
    figures and dates in columns as wide as they need, each row's citation a footnote.

    Needs \\usepackage{booktabs,longtable,array}.
    """
    columns, blocks = _for_people(table)
    rows_of = list(blocks)
    n = len(columns)
    texts = [[row[i] for block in rows_of for row in block.rows] for i in range(n)]
    # Figures and dates get the width they need; each text column its longest word (at most 8em)
    # and a share of what is left, by how long its texts are.
    least = {
        i: max([_em(t) for t in texts[i]] + [_em(w) for w in c.title.split()])
        if c.numeric or c.whole
        else min(8.0, max([_em(w) for t in [c.title, *texts[i]] for w in t.split()], default=1.0))
        for i, c in enumerate(columns)
    }
    weights = {
        i: min(40, max([len(c.title), *(len(t) for t in texts[i])])) + 8
        for i, c in enumerate(columns)
        if not (c.numeric or c.whole)
    }
    rest = rf"\linewidth-{sum(least.values()):.2f}em-{2 * (n - 1)}\tabcolsep"
    total = sum(weights.values()) or 1
    spec = []
    for i, c in enumerate(columns):
        if i not in weights:
            align = r"\raggedleft" if c.numeric else r"\raggedright"
            spec.append(rf">{{{align}\arraybackslash}}p{{{least[i]:.2f}em}}")
        else:
            share = weights[i] * 1000 // total
            width = rf"\dimexpr{least[i]:.2f}em+({rest})*{share}/1000\relax"
            spec.append(rf">{{\raggedright\arraybackslash\hspace{{0pt}}}}p{{{width}}}")
    head = " & ".join(latex_escape(c.title) for c in columns) + r" \\"
    lines = [
        f"% Needs \\usepackage{{{LATEX_PACKAGES}}} in the preamble.",
        r"\begingroup",
        r"\footnotesize",
        r"\setlength{\tabcolsep}{3pt}",
        r"\setlength{\LTcapwidth}{\linewidth}",
        r"\begin{longtable}{@{}" + "".join(spec) + "@{}}",
        rf"\caption{{{latex_escape(f'{table.title} {table.legend}'.strip())}}}\\",
        r"\toprule",
        head,
        r"\midrule",
        r"\endfirsthead",
        rf"\multicolumn{{{n}}}{{@{{}}l}}{{\emph{{(continued)}}}}\\",
        r"\toprule",
        head,
        r"\midrule",
        r"\endhead",
        r"\bottomrule",
        r"\endfoot",
    ]
    for number_, block in enumerate(rows_of):
        if number_:
            lines.append(r"\addlinespace")
        lines.append(
            rf"\multicolumn{{{n}}}{{@{{}}p{{\linewidth}}@{{}}}}{{\raggedright\bfseries "
            rf"{latex_escape(block.heading)}}}\\*"
        )
        for row, notes in zip(block.rows, block.notes):
            cells = [latex_escape(text) for text in row]
            if notes and cells:
                cells[-1] += r"\footnote{" + _latex_note(notes) + "}"
            lines.append(" & ".join(cells) + r" \\")
    lines += [r"\end{longtable}", r"\endgroup"]
    return "\n".join(lines) + "\n"


def _latex_note(notes: list[tuple[str, str]]) -> str:
    parts = []
    for title, text in notes:
        shown = _latex_breakable(text) if title in ("URL", "Claim") else latex_escape(text)
        parts.append(f"{latex_escape(title)}: {shown}")
    return ". ".join(parts) + "."


def _em(text: str) -> float:
    """About how wide text is in Latin Modern, in ems: digits are half an em, capitals wider."""
    return round(
        sum(
            0.5 if c.isdigit() or c == "~" else 0.3 if c in ",.-:;()'" else 0.75 if c.isupper() else 0.5
            for c in text
        )
        + 0.4,
        2,
    )


def render_html(table: ExportTable) -> str:
    """A semantic <table> with <caption>, <thead> and <tbody>; all text escaped."""

    def cell(tag: str, text: str, numeric: bool, scope: str = "") -> str:
        attributes = (f' scope="{scope}"' if scope else "") + (' class="number"' if numeric else "")
        return f"<{tag}{attributes}>{escape.html(text)}</{tag}>"

    shown = [i for i, c in enumerate(table.columns) if c.place is not Place.data]
    lines = [
        "<table>",
        f"  <caption>{escape.html(f'{table.title} {table.legend}'.strip())}</caption>",
        "  <thead>",
        "    <tr>"
        + "".join(cell("th", table.columns[i].title, table.columns[i].numeric, "col") for i in shown)
        + "</tr>",
        "  </thead>",
        "  <tbody>",
    ]
    lines += [
        "    <tr>"
        + "".join(cell("td", _people(row[i], table.columns[i]), table.columns[i].numeric) for i in shown)
        + "</tr>"
        for row in table.rows
    ]
    lines += ["  </tbody>", "</table>"]
    return "\n".join(lines) + "\n"


def render_json(table: ExportTable) -> str:
    """A list of objects, one per row, with every field and raw numbers."""
    return dumps(table.records)


Renderer = Callable[[ExportTable], str]

RENDERERS: dict[Format, Renderer] = {
    Format.csv: render_csv,
    Format.markdown: render_markdown,
    Format.latex: render_latex,
    Format.html: render_html,
    Format.json: render_json,
}


def render(table: ExportTable, fmt: Format) -> str:
    return RENDERERS[fmt](table)


def write(text: str, output: Path | None) -> None:
    """Write to a file atomically, or to stdout (the CLI deals with a closed pipe or a full disk there)."""
    if output is not None:
        atomic.write_text(output, text)
    else:
        sys.stdout.write(text)


ESTIMATE_COLUMNS = (
    *_ABOUT,
    Column("date", "Date", whole=True),
    Column("low", "Low", numeric=True),
    Column("best", "Best", numeric=True),
    Column("high", "High", numeric=True),
    Column("used", "Claims used", numeric=True),
    Column("method", "Method", place=Place.data),
    _DATA_AS_OF,
    _VERSION,
)
#: How to read the estimate series, by how far apart its dates are.
ESTIMATE_LEGEND = {
    Step.day: "every day",
    Step.week: "every seventh day",
    Step.month: "on the same day of each month",
}


def estimate_legend(every: Step) -> str:
    return (
        f"The estimate (median, default settings) {ESTIMATE_LEGEND[every]} from the earliest count to"
        f" --as-of or the latest: as `reconcile estimate --every {every.value}`. An open bound is written open."
    )


def _estimate_table(
    dataset: Dataset, metrics: Sequence[str], filters: Filters, name: str | None, every: Step
) -> ExportTable:
    # --since and --until bound the series' dates; a claim made before --since still counts.
    claims_filter = replace(filters, since=None, until=None)
    rows: list[tuple[Cell, ...]] = []
    records: list[dict[str, Any]] = []
    subjects: set[str] = set()
    dates: list[date] = []
    for metric in metrics:
        result = estimate_series(
            dataset,
            metric,
            claims_filter,
            Settings(),
            every=every,
            since=filters.since,
            until=filters.until,
        )
        for series in result.series:
            subjects.add(series.subject)
            for point in series.points:
                dates.append(point.date)
                cells: dict[str, Cell] = {
                    "metric_id": series.metric,
                    "metric": series.label,
                    "subject_id": series.subject,
                    "subject": series.subject_name,
                    "unit": series.unit,
                    "date": point.date.isoformat(),
                    "low": compact(point.low),
                    "best": compact(point.best),
                    "high": compact(point.high),
                    "used": point.used,
                    "method": str(result.method),
                }
                rows.append(tuple(cells.values()))
                records.append(cells)
    as_of = _as_of(filters, dates)
    stamp = {"data_as_of": as_of.isoformat() if as_of else None, "reconcile_version": __version__}
    rows = [(*row, *stamp.values()) for row in rows]
    records = [{**record, **stamp} for record in records]
    title = _stamp(
        caption(dataset, metrics, name, subjects, f"the estimate {every.value} by {every.value}"),
        as_of,
        __version__,
    )
    return ExportTable(title, ESTIMATE_COLUMNS, rows, records, as_of, legend=estimate_legend(every))
