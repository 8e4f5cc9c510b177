"""Exporting claims or their spread as a table for a report: CSV, Markdown, LaTeX, HTML or JSON.

A view (`claims`: one row per claim; `summary`: one row per comparison, as `show` makes them) is
built once as an `ExportTable`; one renderer per `Format`, all with the same signature, turns it into
text. Numbers are formatted for people (3,800) in Markdown, LaTeX and HTML and kept raw in CSV and
JSON. The JSON of the claims view is every field of each claim plus the interval read from it, so
it loads back into `models.Claim`.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reconcile.analysis.claims import Filters, expand_metrics, recency, scope_label, to_row
from reconcile.analysis.compare import compare
from reconcile.io import atomic
from reconcile.model.dataset import Claim, Dataset
from reconcile.model.terms import Number, compact, number
from reconcile.output import escape
from reconcile.output.formats import Format, View
from reconcile.output.json import dumps, plain

Cell = str | float | None


@dataclass(frozen=True)
class Column:
    """A column of an export: its key (CSV header), its title (for people) and how to lay it out."""

    key: str
    title: str
    numeric: bool = False
    wide: bool = False  # long text, wrapped in a fixed-width column in LaTeX


@dataclass(frozen=True)
class ExportTable:
    """A view ready to render: a table for people and the records JSON writes, one per row."""

    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]]
    records: list[dict[str, Any]]


CLAIM_COLUMNS = (
    Column("metric", "Metric"),
    Column("subject", "Subject"),
    Column("stated", "As stated"),
    Column("low", "Low", numeric=True),
    Column("best", "Best", numeric=True),
    Column("high", "High", numeric=True),
    Column("scope", "Scope"),
    Column("date", "Date"),
    Column("originator", "Originator"),
    Column("relay", "Relay"),
    Column("outlets", "Outlet(s)"),
    Column("document", "Document", wide=True),
    Column("quote", "Quote", wide=True),
)

SUMMARY_COLUMNS = (
    Column("metric", "Metric"),
    Column("subject", "Subject"),
    Column("scope", "Scope"),
    Column("unit", "Unit"),
    Column("low", "Lowest low", numeric=True),
    Column("high", "Highest high", numeric=True),
    Column("median", "Median", numeric=True),
    Column("ratio", "Max/min", numeric=True),
    Column("originators", "Originators", numeric=True),
    Column("first", "From"),
    Column("last", "To"),
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
    originators: int
    claims: int
    first: date
    last: date


def export(dataset: Dataset, view: View, filters: Filters, *, metric: str | None = None) -> ExportTable:
    """The claims or the summary of a metric or group (every metric without one), as a table."""
    metrics = expand_metrics(dataset, metric) if metric else list(dataset.metrics)
    what = metric or "all metrics"
    if view is View.claims:
        return _claims_table(dataset, metrics, filters, f"Claims: {what}")
    return _summary_table(dataset, metrics, filters, f"Summary: {what}")


def _claims_table(dataset: Dataset, metrics: Sequence[str], filters: Filters, title: str) -> ExportTable:
    order = {m: i for i, m in enumerate(metrics)}
    claims = sorted(
        (c for c in dataset.claims if c.metric in order and filters.admit(c)),
        key=lambda c: (order[c.metric], recency(c)),
    )
    rows = [_claim_cells(dataset, claim) for claim in claims]
    return ExportTable(title, CLAIM_COLUMNS, rows, [plain(claim) for claim in claims])


def _claim_cells(dataset: Dataset, claim: Claim) -> tuple[Cell, ...]:
    row = to_row(dataset, claim)
    documents = [dataset.documents[d] for d in dict.fromkeys(c.document for c in claim.citations)]
    scope = scope_label(claim) + (", projection" if claim.projection else "")
    return (
        dataset.metrics[claim.metric].label,
        dataset.subjects[claim.subject].name,
        row.stated,
        row.low,
        row.best,
        row.high,
        scope,
        row.date_text,
        row.originator,
        "; ".join(row.relay),
        "; ".join(row.outlets),
        "; ".join(f"{d.title} ({d.published})" for d in documents),
        " / ".join(c.quote for c in claim.citations),
    )


def _summary_table(dataset: Dataset, metrics: Sequence[str], filters: Filters, title: str) -> ExportTable:
    summaries = []
    for comparison in compare(dataset, metrics, filters):
        s = comparison.spread
        dates = [r.date for r in comparison.rows]
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
                originators=s.originators,
                claims=s.claims,
                first=min(dates),
                last=max(dates),
            )
        )
    rows: list[tuple[Cell, ...]] = [
        (
            s.label,
            s.subject_name,
            s.scope + (", projection" if s.projection else ""),
            s.unit,
            s.low,
            s.high,
            s.median,
            s.ratio,
            s.originators,
            s.first.isoformat(),
            s.last.isoformat(),
        )
        for s in summaries
    ]
    return ExportTable(title, SUMMARY_COLUMNS, rows, [plain(s) for s in summaries])


# --- renderers: one per format, each (ExportTable) -> str -----------------------------------------


def _people(cell: Cell, column: Column) -> str:
    if column.numeric:
        return number(cell if isinstance(cell, (int, float)) else None)
    return "" if cell is None else str(cell)


def render_csv(table: ExportTable) -> str:
    """RFC 4180: comma-separated, quoted where needed, CRLF line ends, a header of column keys."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(c.key for c in table.columns)
    for row in table.rows:
        writer.writerow(
            (f"{compact(v)}" if isinstance(v, (int, float)) else "")
            if c.numeric
            else escape.csv_cell(str(v or ""))
            for c, v in zip(table.columns, row)
        )
    return out.getvalue()


def render_markdown(table: ExportTable) -> str:
    """A GitHub pipe table; numbers right-aligned, cells escaped (escape.markdown)."""
    lines = [
        "| " + " | ".join(escape.markdown(c.title) for c in table.columns) + " |",
        "|" + "|".join("---:" if c.numeric else "---" for c in table.columns) + "|",
    ]
    for row in table.rows:
        lines.append(
            "| " + " | ".join(escape.markdown(_people(v, c)) for c, v in zip(table.columns, row)) + " |"
        )
    return "\n".join(lines) + "\n"


def latex_escape(text: str) -> str:
    """Text that LaTeX prints as it reads."""
    return escape.latex(text)


def render_latex(table: ExportTable) -> str:
    """A booktabs table in a float with a caption; needs \\usepackage{booktabs}."""
    spec = "".join("r" if c.numeric else "p{4cm}" if c.wide else "l" for c in table.columns)
    lines = [
        "% Needs \\usepackage{booktabs} in the preamble.",
        "\\begin{table}",
        "\\centering",
        f"\\caption{{{latex_escape(table.title)}}}",
        f"\\begin{{tabular}}{{{spec}}}",
        "\\toprule",
        " & ".join(latex_escape(c.title) for c in table.columns) + " \\\\",
        "\\midrule",
    ]
    lines += [
        " & ".join(latex_escape(_people(v, c)) for c, v in zip(table.columns, row)) + " \\\\"
        for row in table.rows
    ]
    lines += ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
    return "\n".join(lines) + "\n"


def render_html(table: ExportTable) -> str:
    """A semantic <table> with <caption>, <thead> and <tbody>; all text escaped."""

    def cell(tag: str, text: str, numeric: bool, scope: str = "") -> str:
        attributes = (f' scope="{scope}"' if scope else "") + (' class="number"' if numeric else "")
        return f"<{tag}{attributes}>{escape.html(text)}</{tag}>"

    lines = [
        "<table>",
        f"  <caption>{escape.html(table.title)}</caption>",
        "  <thead>",
        "    <tr>" + "".join(cell("th", c.title, c.numeric, "col") for c in table.columns) + "</tr>",
        "  </thead>",
        "  <tbody>",
    ]
    lines += [
        "    <tr>"
        + "".join(cell("td", _people(v, c), c.numeric) for c, v in zip(table.columns, row))
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
