"""Rendering results for the terminal with rich; plain text when piped or NO_COLOR is set."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from reconcile.analysis import Comparison, MetricInfo, ShowResult, SourceInfo
from reconcile.importer import ImportReport

BAR_WIDTH = 12


def number(value: float | None, *, open_text: str = "open") -> str:
    """A value for people: 3,800, 0.45, or `open_text` for an open bound."""
    if value is None:
        return open_text
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def range_bar(low: float | None, best: float, high: float | None, scale: float, width: int = BAR_WIDTH) -> str:
    """A one-line bar of [low, high] on [0, scale], best marked ●, open ends drawn as arrows."""
    if scale <= 0:
        scale = 1.0

    def at(value: float) -> int:
        return max(0, min(width - 1, round(value / scale * (width - 1))))

    start = 0 if low is None else at(low)
    end = width - 1 if high is None else at(high)
    cells = [" "] * width
    for i in range(start, end + 1):
        cells[i] = "─"
    if low is None:
        cells[0] = "◂"
    if high is None:
        cells[width - 1] = "▸"
    cells[at(best)] = "●"
    return "".join(cells)


def bar_scale(comparison: Comparison) -> float:
    """The largest finite value among the rows, shared by their bars.

    With an open ceiling among the rows the scale gets a quarter more room, so that the arrow of
    the open end does not land on the best value.
    """
    values = [r.best for r in comparison.rows] + [r.high for r in comparison.rows if r.high is not None]
    headroom = 1.25 if any(r.high is None for r in comparison.rows) else 1.0
    return max(values) * headroom


def comparison_title(comparison: Comparison) -> str:
    kind = "projection" if comparison.projection else comparison.scope
    return f"{comparison.label} ({comparison.unit}) · {comparison.subject_name} · {kind}"


def spread_line(comparison: Comparison) -> Text:
    s = comparison.spread
    ratio = "n/a" if s.ratio is None else f"{s.ratio:.2f}x"
    text = Text("Spread: ", style="bold")
    text.append(
        f"envelope {number(s.low, open_text='no floor')} to {number(s.high, open_text='no ceiling')} · "
        f"median {number(s.median)} · max/min {ratio} · "
        f"{s.originators} originator{'s' if s.originators != 1 else ''}"
    )
    return text


def comparison_table(comparison: Comparison) -> Table:
    """The rows of a comparison; fits 80 columns, wider names wrap."""
    table = Table(title=comparison_title(comparison), title_justify="left", box=box.SIMPLE_HEAD,
                  pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("As stated", overflow="fold", min_width=12, max_width=18)
    for name in ("Low", "Best", "High"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Range", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Originator / outlet", overflow="fold", min_width=14)
    scale = bar_scale(comparison)
    for row in comparison.rows:
        who = Text(row.originator)
        who.append("\n" + ", ".join(row.outlets), style="dim")
        table.add_row(
            row.stated, number(row.low), number(row.best), number(row.high),
            Text(range_bar(row.low, row.best, row.high, scale), style="cyan"),
            row.date_text, who,
        )
    return table


def show(result: ShowResult) -> RenderableType:
    if not result.comparisons:
        return Text(f"No claims about {result.query} match these filters.")
    parts: list[RenderableType] = []
    for comparison in result.comparisons:
        parts += [comparison_table(comparison), spread_line(comparison), Text("")]
    return Group(*parts)


def metrics(items: Sequence[MetricInfo]) -> RenderableType:
    table = Table(title="Metrics", title_justify="left")
    for column in ("Metric", "Label", "Unit", "Groups", "Claims"):
        table.add_column(column, justify="right" if column == "Claims" else "left")
    for m in items:
        table.add_row(m.id, m.label, m.unit, ", ".join(m.groups), str(m.claims))
    return table


def sources(items: Sequence[SourceInfo]) -> RenderableType:
    table = Table(title="Sources", title_justify="left")
    for column in ("Source", "Name", "Kind", "Country", "Party", "Claims"):
        table.add_column(column, justify="right" if column == "Claims" else "left", overflow="fold")
    for s in items:
        table.add_row(s.id, s.name, s.kind, s.country or "", "yes" if s.party else "no", str(s.claims))
    return table


def console(stderr: bool = False) -> Console:
    """A console that writes plain text when not a terminal (rich also honours NO_COLOR)."""
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def import_report(report: ImportReport, output: Path | None) -> Text:
    """What an import made of a spreadsheet: each skipped row with its reason, then the counts."""
    text = Text()
    for row in report.skipped:
        text.append(f"{report.file}:{row.line}: skipped: {row.reason}\n")
    for note in report.notes:
        text.append(f"{report.file}: {note}\n", style="dim")
    imported = report.rows - len(report.skipped)
    merged = f" ({report.merged} merged as second citations)" if report.merged else ""
    where = f"; wrote {output}" if output is not None else ""
    text.append(
        f"{report.rows} rows: {imported} imported as {report.claims} claims{merged}, {len(report.skipped)} skipped; "
        f"{report.sources} sources, {report.documents} documents{where}",
        style="bold",
    )
    return text
