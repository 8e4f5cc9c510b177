"""Rendering results for the terminal with rich; plain text when piped or NO_COLOR is set.

Every piece of text from the dataset passes through `safe` (reconcile.output.escape.terminal) on
its way into a cell or a line, so that no name or quote can send the terminal a control sequence.
"""

from __future__ import annotations

import errno
import math
import os
import sys
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from reconcile.analysis.claims import Row, format_date
from reconcile.analysis.compare import (
    Comparison,
    Headline,
    MetricInfo,
    ShowResult,
    SourceInfo,
    Spread,
    SummaryResult,
    stands_alone,
)
from reconcile.analysis.estimate import (
    METHOD_RULES,
    Estimate,
    EstimateResult,
    Method,
    Reason,
    SeriesResult,
    SetAside,
    carry_limit,
    carry_note,
    median_bounds,
    what_would_use,
)
from reconcile.io.where import shown_path
from reconcile.model.terms import figure, number
from reconcile.output.escape import terminal as safe
from reconcile.output.escape import visible

if TYPE_CHECKING:
    # Only named in annotations: importing them would slow the start of every command (the
    # importer brings PyYAML and the csv module).
    from reconcile.analysis.consistency import CheckReport, CheckWarning, WarningClaim
    from reconcile.analysis.diff import DiffResult, MetricDiff, OneSided
    from reconcile.analysis.timeline import Timeline, TimelineResult
    from reconcile.io.importer import ImportReport

BAR_WIDTH = 12


@dataclass(frozen=True, slots=True)
class Pen:
    """The strokes of range bars, chart tracks and axes."""

    line: str
    start: str  # the low end of a closed range
    end: str  # its high end
    tick: str  # a labelled value on an axis


#: On a terminal, rich's box lines; piped or with NO_COLOR, ASCII, which every tool reads as text.
RULED, PLAIN = Pen("─", "├", "┤", "┴"), Pen("-", "|", "|", "+")
_pen: ContextVar[Pen] = ContextVar("pen", default=RULED)


def on_terminal(out: Console) -> bool:
    """Whether `emit` has rich draw for `out`, rather than printing plain lines."""
    return out.is_terminal and out.color_system is not None and not out.no_color


@contextmanager
def drawing() -> Iterator[None]:
    """Within: bars and charts are drawn with the strokes of the output `emit` will print to."""
    token = _pen.set(RULED if on_terminal(console()) else PLAIN)
    try:
        yield
    finally:
        _pen.reset(token)


def range_bar(
    low: float | None, best: float, high: float | None, scale: float, width: int = BAR_WIDTH
) -> str:
    """A one-line bar of [low, high] on [0, scale], best marked ●, open ends drawn as arrows."""
    if scale <= 0:
        scale = 1.0

    def at(value: float) -> int:
        return max(0, min(width - 1, round(value / scale * (width - 1))))

    start = 0 if low is None else at(low)
    end = width - 1 if high is None else at(high)
    cells = [" "] * width
    line = _pen.get().line
    for i in range(start, end + 1):
        cells[i] = line
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
    return safe(f"{comparison.label} ({comparison.unit}) · {comparison.subject_name} · {kind}")


def spread_line(comparison: Comparison) -> Text:
    s = comparison.spread
    ratio = "n/a" if s.ratio is None else f"{s.ratio:.2f}x"
    text = Text("Spread: ", style="bold")
    text.append(
        f"envelope {number(s.low, open_text='no floor')} to {number(s.high, open_text='no ceiling')} · "
        f"median of the {s.claims} best values {number(s.median)} · max/min {ratio} · "
        f"{s.originators} originator{'s' if s.originators != 1 else ''} · {claims_dated(s)}"
    )
    return text


def claims_dated(s: Spread) -> str:
    """'claims of ~2024-12-17 to 2025-01-13', or 'claims of 2025-01-13' when they share a date."""
    dates = s.first if s.first == s.last else f"{s.first} to {s.last}"
    return safe(f"{'claim' if s.claims == 1 else 'claims'} of {dates}")


def comparison_table(comparison: Comparison) -> Table:
    """The rows of a comparison, one per claim; laid out to the terminal by reconcile.output.fit."""
    table = Table(
        title=comparison_title(comparison),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column("As stated")
    for name in ("Low", "Best", "High"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Range", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Originator / outlet")
    scale = bar_scale(comparison)
    for row in comparison.rows:
        who = Text(safe(row.originator))
        who.append("\n" + safe(", ".join(row.outlets)), style="dim")
        table.add_row(
            safe(row.stated),
            number(row.low),
            number(row.best),
            number(row.high),
            Text(range_bar(row.low, row.best, row.high, scale), style="cyan"),
            row.date_text,
            who,
        )
    return table


def separate_counts_table(comparisons: Sequence[Comparison]) -> Table:
    """Lone incident and period counts of one metric and subject, listed together but not compared."""
    first = comparisons[0]
    table = Table(
        title=safe(f"{first.label} ({first.unit}) · {first.subject_name}")
        + " · separate incidents and periods",
        caption="Each row counts a different event; they are not compared.",
        caption_justify="left",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column("As stated")
    for name in ("Low", "Best", "High"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Scope")
    table.add_column("Date", no_wrap=True)
    table.add_column("Originator / outlet")
    for comparison in comparisons:
        [row] = comparison.rows
        who = Text(safe(row.originator))
        who.append("\n" + safe(", ".join(row.outlets)), style="dim")
        table.add_row(
            safe(row.stated),
            number(row.low),
            number(row.best),
            number(row.high),
            safe(comparison.scope),
            row.date_text,
            who,
        )
    return table


def headline_tables(items: Sequence[Headline], title: str) -> list[RenderableType]:
    """A table per subject, a line per metric and scope: the estimate, what it rests on, the newest claim."""
    subjects: dict[str, list[Headline]] = {}
    for item in items:
        subjects.setdefault(item.subject_name, []).append(item)
    parts: list[RenderableType] = []
    for subject_name, rows in subjects.items():
        table = Table(
            title=f"{title} · {safe(subject_name)}",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            padding=(0, 1, 0, 0),
        )
        table.add_column("Metric")
        table.add_column("Scope")
        for name in ("Low", "Best", "High"):
            table.add_column(name, justify="right", no_wrap=True)
        table.add_column("Method / as of")
        for name in ("Used", "Set aside", "Sources"):
            table.add_column(name, justify="right")
        table.add_column("Newest", no_wrap=True)
        for item in rows:
            if item.method is None:  # separate counts, or not a running total: nothing to estimate
                figures: tuple[str, ...] = ("-", "-", "-", "none", "-", "-")
            else:
                # At the claims' precision, as the estimate's line: a low rounded down, a high up.
                figures = (
                    figure(item.low, item.places, ROUND_FLOOR),
                    figure(item.best, item.places, open_text="none"),
                    figure(item.high, item.places, ROUND_CEILING),
                    item.method if item.as_of is None else f"{item.method}\n{item.as_of}",
                    f"{item.used:,}",
                    f"{item.set_aside:,}",
                )
            scope = safe(item.scope) + (" (projection)" if item.projection else "")
            metric = safe(f"{item.label} ({item.unit})")
            table.add_row(metric, scope, *figures, f"{item.originators:,}", str(item.newest))
        parts += [table, Text("")]
    return parts


def summary(result: SummaryResult) -> RenderableType:
    if not result.headlines:
        about = "any metric" if result.query is None else safe(result.query)
        return Text(f"No claims about {about} match these filters.")
    as_of = "" if result.as_of is None else f" as of {result.as_of}"
    return Group(*headline_tables(result.headlines, f"Summary{as_of}"))


def show(result: ShowResult, *, incidents: bool = False) -> RenderableType:
    """The headline, then a table per comparison; lone incident and period counts folded unless `incidents`."""
    if not result.comparisons:
        return Text(f"No claims about {safe(result.query)} match these filters.")
    parts = headline_tables(result.headlines, "Headline")
    alone: list[Comparison] = []

    def flush() -> None:
        if not alone:
            return
        if incidents:
            parts.extend([separate_counts_table(alone), Text("")])
        else:
            first, count = alone[0], len(alone)
            counts = f"{count} separate incident and period count{'s' if count != 1 else ''}"
            parts.extend(
                [
                    Text(
                        safe(f"{first.label} ({first.unit}) · {first.subject_name}")
                        + f": {counts}, each of a different event (--incidents lists them)"
                    ),
                    Text(""),
                ]
            )
        alone.clear()

    for comparison in result.comparisons:
        if alone and (alone[0].metric, alone[0].subject) != (comparison.metric, comparison.subject):
            flush()
        if stands_alone(comparison):
            alone.append(comparison)
            continue
        flush()
        parts += [comparison_table(comparison), spread_line(comparison), *estimate_line(comparison), Text("")]
    flush()
    return Group(*parts)


def metrics(items: Sequence[MetricInfo]) -> RenderableType:
    table = Table(
        title="Metrics", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0)
    )
    for column in ("Metric", "Label", "Unit", "Groups", "Claims"):
        table.add_column(column, justify="right" if column == "Claims" else "left")
    for m in items:
        table.add_row(safe(m.id), safe(m.label), safe(m.unit), safe(", ".join(m.groups)), str(m.claims))
    return table


def sources(items: Sequence[SourceInfo]) -> RenderableType:
    table = Table(
        title="Sources", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0)
    )
    for column in ("Source", "Name", "Kind", "Country", "Party", "Claims"):
        table.add_column(column, justify="right" if column == "Claims" else "left")
    for s in items:
        cells = (safe(s.id), safe(s.name), safe(s.kind), safe(s.country or ""))
        table.add_row(*cells, {True: "yes", False: "no", None: "unknown"}[s.party], str(s.claims))
    return table


class _PipedConsole(Console):
    """A rich console that lets a closed pipe reach the CLI, which ends every command alike on it."""

    def on_broken_pipe(self) -> None:
        # rich's own handling exits 1, where the CLI ends quietly with 0: the reader chose to stop.
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def emit(renderable: RenderableType) -> None:
    """Print to stdout: drawn by rich on a terminal; piped, redirected or with NO_COLOR, as plain lines.

    On a terminal, tables are laid out to its width by reconcile.output.fit, which cuts no value.

    Plain lines (reconcile.output.plain) keep each table row on one line with every cell whole,
    which is what `grep`, `cut` and `sort` want, and cost little at any size.
    """
    from reconcile.output import plain

    out = console()
    if on_terminal(out):
        from rich.segment import Segment, Segments

        from reconcile.output.fit import fitted

        # rich passes escape sequences in the data on to the terminal (it drops only a few controls):
        # each is written out as its Python escape, as the plain layout writes it.
        drawn = [
            segment if segment.control else Segment(visible(segment.text, newlines=True), segment.style)
            for segment in out.render(fitted(renderable, out.width))
        ]
        # Nothing is wider than the console but a word longer than a line: it wraps, never cut.
        out.print(Segments(drawn), crop=False)
        return
    sys.stdout.write(plain.render(renderable))


def console(stderr: bool = False) -> Console:
    """A rich console for stdout or stderr; `emit` prints through it only on a terminal."""
    # Figures and quotes are data, and must print as written: with markup=False "[bold]" or "[North
    # Korean soldiers]" in them stays as it is, and with emoji=False so does ":fire:".
    return _PipedConsole(stderr=stderr, highlight=False, soft_wrap=False, markup=False, emoji=False)


# --- timeline -------------------------------------------------------------------------------------

CHART_TRACK = 46  # columns of the value axis: with the date and a short name a chart line fits 80
LATEST, SUPERSEDED = "●", "○"


@dataclass(frozen=True)
class ValueAxis:
    """A value axis shared by the lines of a chart: linear from 0, or log when values span > 10x.

    Values land on columns 1 to width - 2; the first and last columns are kept for the arrows of
    open bounds, so an arrow never hides a stated value.
    """

    start: float
    end: float
    log: bool
    width: int = CHART_TRACK

    @classmethod
    def spanning(cls, values: Sequence[float], width: int = CHART_TRACK) -> ValueAxis:
        smallest, largest = min(values), max(values)
        if smallest > 0 and largest / smallest > 10:
            return cls(smallest, largest, True, width)
        return cls(0.0, largest if largest > 0 else 1.0, False, width)

    def column(self, value: float) -> int:
        if self.log:
            span = math.log10(self.end) - math.log10(self.start)
            fraction = (math.log10(max(value, self.start)) - math.log10(self.start)) / span
        else:
            fraction = value / self.end
        return 1 + max(0, min(self.width - 3, round(fraction * (self.width - 3))))

    def ticks(self) -> list[float]:
        """Round values to label: 1-2-5 steps or powers of ten on a log axis, 0 and up to 5 round steps on a linear one."""
        if self.log:
            first, last = math.floor(math.log10(self.start)), math.ceil(math.log10(self.end))
            steps = [m * 10.0**k for k in range(first, last + 1) for m in (1, 2, 5)]
            inside = [t for t in steps if self.start <= t <= self.end]
            if len(inside) > 6:
                inside = [t for t in inside if math.log10(t).is_integer()]
            return inside
        rough = self.end / 5
        magnitude = 10.0 ** math.floor(math.log10(rough))
        multiples = (1, 2, 2.5, 5, 10) if magnitude >= 10 else (1, 2, 5, 10)  # 2.5 only where it stays whole
        step = next(m * magnitude for m in multiples if m * magnitude >= rough)
        return [i * step for i in range(int(self.end // step) + 1)]


def chart_track(
    axis: ValueAxis, low: float | None, best: float, high: float | None, *, marker: str = LATEST
) -> str:
    """One claim on the axis: ├──●──┤ (|--●--| piped) for a closed range, ◂ or ▸ at the edge for an
    open bound."""
    pen = _pen.get()
    cells = [" "] * axis.width
    start = 0 if low is None else axis.column(low)
    end = axis.width - 1 if high is None else axis.column(high)
    for i in range(start, end + 1):
        cells[i] = pen.line
    if low is None:
        cells[0] = "◂"
    elif start != end:
        cells[start] = pen.start
    if high is None:
        cells[-1] = "▸"
    elif start != end:
        cells[end] = pen.end
    cells[axis.column(best)] = marker
    return "".join(cells)


def chart_axis(axis: ValueAxis) -> list[str]:
    """The axis line with a tick under each labelled value, and the labels, that do not collide."""
    pen = _pen.get()
    line = [pen.line] * axis.width
    labels = [" "] * axis.width
    taken = -2
    for tick in axis.ticks():
        col = axis.column(tick)
        text = number(tick)
        start = max(0, min(axis.width - len(text), col - len(text) // 2))
        if start <= taken + 1:
            continue
        line[col] = pen.tick
        labels[start : start + len(text)] = text
        taken = start + len(text) - 1
    return ["".join(line), "".join(labels).rstrip()]


def timeline_chart(timeline: Timeline) -> Text:
    """The claims of a timeline, one line each, on a shared axis, each originator named in full.

    It fits 80 columns when no originator's name is longer than 21 characters (a short name is at
    most 24).
    """
    rows = timeline.comparison.rows
    values = [v for r in rows for v in (r.low, r.best, r.high) if v is not None]
    axis = ValueAxis.spanning(values)
    pad = " " * 12
    text = Text(no_wrap=True)  # a drawing: left out where the terminal is too narrow, never wrapped
    for row in rows:
        superseded = row.claim in timeline.superseded_by
        track = chart_track(axis, row.low, row.best, row.high, marker=SUPERSEDED if superseded else LATEST)
        text.append(f"{row.date_text:<11} ")
        text.append(track, style="dim cyan" if superseded else "cyan")
        # Whole: a terminal too narrow for the longest name leaves the chart out (fit.fitted).
        text.append(f" {safe(row.originator)}\n", style="dim" if superseded else "")
    line, labels = chart_axis(axis)
    text.append(f"{pad}{line}\n{pad}{labels}\n")
    scale = "log scale" if axis.log else "linear scale"
    text.append(f"{pad}{LATEST} latest  {SUPERSEDED} superseded  ◂ ▸ open bound  · {scale}", style="dim")
    return text


def timeline_table(timeline: Timeline) -> Table:
    """The claims of a timeline, oldest first; the mark column says which are superseded."""
    table = Table(
        title=comparison_title(timeline.comparison),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column("Date", no_wrap=True)
    table.add_column("As stated")
    for name in ("Low", "Best", "High"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("Originator / outlet")
    for row in timeline.comparison.rows:
        superseded = row.claim in timeline.superseded_by
        who = Text(safe(row.originator))
        who.append("\n" + safe(", ".join(row.outlets)), style="dim")
        table.add_row(
            row.date_text,
            safe(row.stated),
            number(row.low),
            number(row.best),
            number(row.high),
            SUPERSEDED if superseded else LATEST,
            who,
            style="dim" if superseded else None,
        )
    return table


def timeline(result: TimelineResult) -> RenderableType:
    if not result.timelines:
        return Text(f"No claims about {safe(result.query)} match these filters.")
    parts: list[RenderableType] = []
    for item in result.timelines:
        parts += [timeline_table(item), timeline_chart(item), Text("")]
    return Group(*parts)


# --- diff -----------------------------------------------------------------------------------------


def signed(value: float) -> str:
    """A difference for people, with its sign: +800, -1,000, 0."""
    return ("+" if value > 0 else "") + number(value)


def percent(fraction: float | None) -> str:
    """A relative difference as a signed percentage, or n/a when it is undefined."""
    return "n/a" if fraction is None else f"{fraction:+.1%}"


def _claim_cell(row: Row) -> Text:
    cell = Text(safe(row.stated))
    cell.append(f"\n{row.date_text}", style="dim")
    return cell


def metric_diff_table(result: DiffResult, metric: MetricDiff) -> Table:
    """One metric: each pair with both claims, both bests, B - A, (B - A)/A and overlap; then unpaired claims."""
    table = Table(
        title=safe(f"{metric.label} ({metric.unit})"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column("Scope")
    table.add_column(f"A: {safe(result.name_a)}")
    table.add_column("Best A", justify="right", no_wrap=True)
    table.add_column(f"B: {safe(result.name_b)}")
    table.add_column("Best B", justify="right", no_wrap=True)
    table.add_column("B - A", justify="right", no_wrap=True)
    table.add_column("(B-A)/A", justify="right", no_wrap=True)
    table.add_column("Overlap", no_wrap=True)
    for pair in metric.pairs:
        table.add_row(
            "projection" if pair.projection else safe(pair.scope),
            _claim_cell(pair.a),
            number(pair.a.best),
            _claim_cell(pair.b),
            number(pair.b.best),
            signed(pair.difference),
            percent(pair.relative_difference),
            Text("yes") if pair.overlap else Text("NO", style="bold red"),
        )
    for side, unpaired in (("a", metric.unpaired_a), ("b", metric.unpaired_b)):
        for item in unpaired:
            claim, best = _claim_cell(item.claim), number(item.claim.best)
            cells = (claim, best, "-", "") if side == "a" else ("-", "", claim, best)
            gap = item.nearest_days
            table.add_row(
                "projection" if item.projection else safe(item.scope),
                *cells,
                "",
                "",
                "unpaired" if gap is None else f"unpaired, nearest {gap} {'day' if gap == 1 else 'days'}",
                style="dim",
            )
    return table


def widen_hint(result: DiffResult) -> str | None:
    """The --window that would pair every claim of A left unpaired that B has a claim to pair with."""
    gaps = [u.nearest_days for m in result.metrics for u in m.unpaired_a if u.nearest_days is not None]
    if not gaps:
        return None
    count = len(gaps)
    return (
        f"{count} claim{'s' if count != 1 else ''} of A unpaired within {result.window} days; "
        f"--window {max(gaps)} would pair {'it' if count == 1 else 'them'}."
    )


def one_sided_table(name: str, items: Sequence[OneSided]) -> Table:
    """The metrics only one source reported, with its claims."""
    table = Table(
        title=f"Only {safe(name)} reported",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column("Metric")
    table.add_column("As stated")
    table.add_column("Best", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    for item in items:
        for i, row in enumerate(item.rows):
            table.add_row(
                safe(item.label) if i == 0 else "", safe(row.stated), number(row.best), row.date_text
            )
    return table


def diff(result: DiffResult) -> RenderableType:
    parts: list[RenderableType] = [
        Text(
            safe(f"A = {result.name_a} ({result.source_a}), B = {result.name_b} ({result.source_b})")
            + f"; pairs within {result.window} days",
            style="bold",
        )
    ]
    for metric in result.metrics:
        parts += [Text(""), metric_diff_table(result, metric)]
    for name, items in ((result.name_a, result.only_a), (result.name_b, result.only_b)):
        if items:
            parts += [Text(""), one_sided_table(name, items)]
    pairs = sum(len(m.pairs) for m in result.metrics)
    apart = len(result.disagreements)
    parts += [
        Text(""),
        Text(f"{pairs} pair{'s' if pairs != 1 else ''}, {apart} with intervals that do not overlap."),
        Text("(B-A)/A = (best of B - best of A) / best of A.", style="dim"),
    ]
    hint = widen_hint(result)
    if hint:
        parts.append(Text(hint, style="dim"))
    return Group(*parts)


def yaml_entry(name: str, aliases: Sequence[str]) -> str:
    """An alias table entry on one line, quoted as YAML flow style needs: 'CSIS: [C.S.I.S.]'."""
    import json

    return f"{json.dumps(name, ensure_ascii=False)}: [{', '.join(json.dumps(a, ensure_ascii=False) for a in aliases)}]"


def import_report(report: ImportReport, output: Path | None) -> Text:
    """What an import made of a spreadsheet: each skipped row with its reason, then the counts."""
    text = Text()
    for row in report.skipped:
        text.append(safe(f"{report.file}:{row.line}: skipped: {row.reason}") + "\n")
    for note in report.notes:
        text.append(safe(f"{report.file}: {note}") + "\n", style="dim")
    for merge in report.source_merges:
        spellings = ", ".join(repr(s) for s in merge.spellings)
        text.append(
            safe(
                f"{report.file}: merged {spellings} into {merge.name!r} ({merge.reason}); "
                f"alias to add to an --aliases file: {yaml_entry(merge.name, merge.spellings)}"
            )
            + "\n"
        )
    imported = report.rows - len(report.skipped)
    merged = f" ({report.merged} merged as second citations)" if report.merged else ""
    where = f"; wrote {safe(str(output))}" if output is not None else ""
    text.append(
        f"{report.rows} rows: {imported} imported as {report.claims} claims{merged}, {len(report.skipped)} skipped; "
        f"{report.sources} source{'s' if report.sources != 1 else ''}, "
        f"{report.documents} document{'s' if report.documents != 1 else ''}{where}",
        style="bold",
    )
    return text


# --- estimate -------------------------------------------------------------------------------------


def unknown_parties(originators: Sequence[str]) -> Text:
    """The note `--exclude-parties` prints about the originators it keeps without knowing whether they are parties."""
    names = ", ".join(safe(name) for name in originators)
    return Text(
        f"note: --exclude-parties keeps {names}: not known whether "
        f"{'it is a party' if len(originators) == 1 else 'they are parties'} to the conflict "
        "(set `party` on the source)",
        style="yellow",
    )


def estimate_figures(estimate: Estimate) -> str:
    """'low 2,000 · best 3,000 · high 3,400'; an open bound is said, with the claims that leave it open."""
    if estimate.best is None:
        hint = what_would_use(estimate)
        return "none, no claim could be used" + (f": {hint}" if hint else "")

    def bound(name: str, value: float | None, index: int, missing: str) -> str:
        if value is not None:
            return f"{name} {figure(value, estimate.places, ROUND_FLOOR if index == 0 else ROUND_CEILING)}"
        open_ones = [
            safe(f"{c.stated!r} from {c.originator}") for c in estimate.used if c.figures[index] is None
        ]
        return f"{name} open (no {missing} in {', '.join(open_ones)})"

    return (
        f"{bound('low', estimate.low, 0, 'floor')} · best {figure(estimate.best, estimate.places)} · "
        f"{bound('high', estimate.high, 2, 'ceiling')}"
    )


#: The claims set aside that `show` prints (by their originators): the stale ones.
SHOWN_SET_ASIDE = frozenset({Reason.stale})


def method_of(estimate: Estimate) -> str:
    """The method with what it was applied to: 'median of the 3 claims used'."""
    used = len(estimate.used)
    return f"{estimate.method} of the {used} claim{'s' if used != 1 else ''} used"


def estimate_line(comparison: Comparison) -> list[Text]:
    """The line `show` prints under a spread: the default estimate, naming the claims set aside as stale."""
    estimate = comparison.estimate
    if estimate is None:
        return []
    text = Text(f"Estimate ({method_of(estimate)}, as of {estimate.as_of}): ", style="bold")
    text.append(estimate_figures(estimate))
    carried = [f"{c.originator} (+{c.carried.days} days)" for c in estimate.used if c.carried is not None]
    if carried:
        text.append(f" · carried forward to its date: {safe(', '.join(carried))}")
    stale = [item.originator for item in estimate.set_aside if item.reason in SHOWN_SET_ASIDE]
    if stale:
        than = "older than the newest claim" if estimate.carry else "old"
        text.append(f" · set aside as over {estimate.max_age} days {than}: {safe(', '.join(stale))}")
    return [text]


def estimate_heading(estimate: Estimate) -> Text:
    text = Text(safe(f"{estimate.label} ({estimate.unit}) · {estimate.subject_name}") + "\n", style="bold")
    if estimate.as_of is not None:
        text.append(f"As of {estimate.as_of}" + ("" if estimate.as_of_given else " (the latest claim)"))
        if not estimate.carry:
            text.append(f" · claims over {estimate.max_age} days old set aside")
            if estimate.project:
                text.append(" · every claim used carried forward")
        else:
            text.append(f" · claims over {estimate.max_age} days older than the newest set aside")
            which = "every claim used" if estimate.project else f"claims over {estimate.max_age} days old"
            text.append(f" · {which} carried forward, at most {carry_limit(estimate.max_age)} days")
    if estimate.exclude_parties:
        text.append(" · parties to the conflict left out")
    text.append(f"\nEstimate ({estimate.method}): ", style="bold")
    text.append(estimate_figures(estimate))
    return text


def used_table(estimate: Estimate) -> Table:
    """The claims an estimate uses, with projected figures where `--project` carried them forward."""
    table = Table(
        title=f"Used ({len(estimate.used)})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column("As stated")
    for name in ("Low", "Best", "High"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Originator / outlet")
    if estimate.method == Method.weighted:
        table.add_column("Share", justify="right", no_wrap=True)
    for claim in estimate.used:
        low, best, high = claim.figures
        stated = Text(safe(claim.stated))
        if claim.carried is not None:
            stated.append(f"\ncarried +{claim.carried.days} days", style="bold yellow")
        who = Text(safe(claim.originator))
        who.append("\n" + safe(", ".join(claim.outlets)), style="dim")
        share = [] if claim.weight is None else [f"{claim.weight.share:.0%}"]
        if claim.carried is not None:
            # Carried forward by a daily growth: at the claims' precision, as the estimate's figures.
            p = estimate.places
            cells = [figure(low, p, ROUND_FLOOR), figure(best, p), figure(high, p, ROUND_CEILING)]
        else:
            cells = [number(low), number(best), number(high)]
        table.add_row(stated, *cells, claim.date_text, who, *share)
    return table


def carry_notes(estimate: Estimate) -> list[Text]:
    """How each claim carried forward was carried."""
    notes = (carry_note(estimate, claim, safe) for claim in estimate.used)
    return [Text(note, style="yellow") for note in notes if note is not None]


#: Beyond this many claims set aside, an estimate lists them by reason only (--json has them all).
SET_ASIDE_LISTED = 40


def set_aside_reason(estimate: Estimate, item: SetAside, rows: Mapping[str, Row]) -> str:
    kept = rows.get(item.by) if item.by is not None else None
    if item.reason == Reason.out_of_scope:
        return f"out of scope: {safe(item.scope)}"
    if item.reason == Reason.projection:
        return "a projection, not a count"
    if item.reason == Reason.superseded and kept is not None:
        return f"superseded by its {kept.date_text} figure"
    if item.reason == Reason.duplicate_relay and kept is not None:
        return f"duplicate relay of its {safe(repr(kept.stated))}"
    if item.reason == Reason.stale:
        if estimate.carry and estimate.used:
            newest = max(claim.date for claim in estimate.used)
            if (newest - item.date).days > estimate.max_age:
                return f"stale: {(newest - item.date).days} days older than the newest claim used (limit {estimate.max_age})"
        age = item.age_days
        if estimate.carry and age is not None and age > carry_limit(estimate.max_age):
            return (
                f"stale: {age:,} days old, too old to carry forward (limit {carry_limit(estimate.max_age)})"
            )
        return f"stale: {age} days old (limit {estimate.max_age})"
    return item.reason.value


def set_aside_summary(estimate: Estimate) -> Text:
    """How many claims were set aside for each reason, for estimates that set aside very many."""
    counts = Counter(item.reason.value for item in estimate.set_aside)
    reasons = ", ".join(f"{count:,} {reason}" for reason, count in counts.most_common())
    return Text(
        f"Set aside ({len(estimate.set_aside):,}): {reasons}. --json lists every one with its reason.\n"
    )


def set_aside_table(estimate: Estimate) -> Table:
    rows: dict[str, Row] = {row.claim: row for row in [*estimate.used, *estimate.set_aside]}
    table = Table(
        title=f"Set aside ({len(estimate.set_aside)})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column("As stated")
    table.add_column("Best", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Originator")
    table.add_column("Why")
    for item in estimate.set_aside:
        table.add_row(
            safe(item.stated),
            number(item.best),
            item.date_text,
            safe(item.originator),
            set_aside_reason(estimate, item, rows),
        )
    return table


def explanation(estimate: Estimate) -> list[RenderableType]:
    """The method's rule and the figures it worked on; for `weighted`, every weight."""
    parts: list[RenderableType] = [Text(f"Method {estimate.method}: {METHOD_RULES[estimate.method]}.")]
    if not estimate.used:
        return parts
    bests = " · ".join(number(b) for b in sorted(c.figures[1] for c in estimate.used))
    if estimate.method == Method.conservative:
        credible = [c for c in estimate.used if c.claim in estimate.credible]
        chosen = next(c for c in estimate.used if c.claim == estimate.chosen)
        parts.append(
            Text(
                f"Credible: {', '.join(f'{safe(c.originator)} ({number(c.figures[1])})' for c in credible)}; "
                f"the lowest is {safe(chosen.originator)}'s {safe(chosen.stated)}."
            )
        )
    elif estimate.method == Method.weighted:
        table = Table(
            title="Weights", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0)
        )
        for name in ("Originator", "Kind", "Kind weight", "Age (days)", "Recency", "Weight", "Share"):
            table.add_column(name, justify="left" if name in ("Originator", "Kind") else "right")
        for c in estimate.used:
            if c.weight is not None:
                table.add_row(
                    safe(c.originator),
                    c.kind.value,
                    f"{c.weight.kind:.2f}",
                    str(c.age_days),
                    f"{c.weight.recency:.4f}",
                    f"{c.weight.value:.4f}",
                    f"{c.weight.share:.4f}",
                )
        parts.append(table)
    elif estimate.method == Method.median:
        # In the order the quartiles take them, an open bound as the median counts it.
        lows, highs = median_bounds(estimate.used)

        def shown(values: list[float]) -> str:
            return " · ".join("open" if math.isinf(v) else number(v) for v in sorted(values))

        counted = [
            f"{safe(c.originator)}'s open {side} as {number(value)}"
            for c, low, high in zip(estimate.used, lows, highs, strict=True)
            for side, own, value in (("low", c.figures[0], low), ("high", c.figures[2], high))
            if own is None and not math.isinf(value)
        ]
        note = f" Counted: {'; '.join(counted)}." if counted else ""
        parts.append(
            Text(
                f"Lows in order: {shown(lows)}. Best values in order: {bests}. "
                f"Highs in order: {shown(highs)}.{note}"
            )
        )
        if estimate.disagreement is not None:
            growth = estimate.disagreement_growth
            per_day = number(abs(growth or 0), places=estimate.places + 2)
            raised = (
                "as stated (no originator's own series shows growth)"
                if not growth
                else f"the older first {'raised' if growth > 0 else 'lowered'} by {per_day} a day (the growth "
                "of the originators' own series)"
            )
            parts.append(
                Text(
                    f"Disagreement: the ninth decile (inclusive method) of the gaps between pairs of credible "
                    f"figures of different originators, made within {estimate.disagreement_days} days of each "
                    f"other, {raised}, is {estimate.disagreement:.1%} of the larger. The range reaches at "
                    "least that far either side of the best value, no lower than the lowest floor of the "
                    "claims used; a bound that no claim used closes is closed there only when a figure "
                    "compared states that side and the reach goes beyond every claim used open on it."
                )
            )
    else:
        parts.append(Text(f"Best values in order: {bests}."))
    return parts


def estimate(result: EstimateResult, *, explain: bool = False) -> RenderableType:
    if not result.estimates:
        return Text(f"No claims about {safe(result.query)} match these filters.")
    parts: list[RenderableType] = []
    for item in result.estimates:
        parts += [estimate_heading(item), Text("")]
        if item.used:
            parts.append(used_table(item))
            notes = carry_notes(item)
            if notes:
                parts += [*notes, Text("")]
        if len(item.set_aside) > SET_ASIDE_LISTED:
            parts.append(set_aside_summary(item))
        elif item.set_aside:
            parts.append(set_aside_table(item))
        if explain:
            parts += explanation(item)
            if not isinstance(parts[-1], Table):  # a table ends with a blank line of its own
                parts.append(Text(""))
    return Group(*parts)


def estimate_series(result: SeriesResult) -> RenderableType:
    """One table per metric and subject: the estimate's low / best / high at each date."""
    if not result.series:
        return Text(f"No claims about {safe(result.query)} match these filters.")
    parts: list[RenderableType] = []
    for item in result.series:
        heading = f"{safe(item.label)} ({safe(item.unit)}), {safe(item.subject_name)}"
        parts.append(
            Text(
                f"{heading}: estimate ({result.method}, --max-age {result.max_age}) every {result.every}",
                style="bold",
            )
        )
        if not item.points:
            parts += [Text("No cumulative count to date an estimate by."), Text("")]
            continue
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0))
        table.add_column("Date", no_wrap=True)
        for name in ("Low", "Best", "High", "Claims used"):
            table.add_column(name, justify="right", no_wrap=True)
        for point in item.points:
            if point.best is None:
                table.add_row(point.date.isoformat(), "", "none", "", "0")
            else:
                table.add_row(
                    point.date.isoformat(),
                    figure(point.low, item.places, ROUND_FLOOR),
                    figure(point.best, item.places),
                    figure(point.high, item.places, ROUND_CEILING),
                    str(point.used),
                )
        parts.append(table)
    return Group(*parts)


# --- check ----------------------------------------------------------------------------------------


def span(low: float | None, high: float | None) -> str:
    """An interval without its best value: '3 to 9', '300 or more', 'up to 1,000', '2'."""
    if low is None and high is None:
        return "any value"
    if high is None:
        return f"{number(low)} or more"
    if low is None:
        return f"up to {number(high)}"
    return number(low) if low == high else f"{number(low)} to {number(high)}"


def _figure(claim: WarningClaim) -> str:
    """The wording and, unless it says no more, its interval: 'about 1,000' (900 to 1,100)."""
    interval = span(claim.low, claim.high)
    return repr(claim.stated) if interval == claim.stated else f"{claim.stated!r} ({interval})"


def warning_text(warning: CheckWarning) -> str:
    """A warning in one sentence; the claims are in the order `Check` documents."""
    from reconcile.analysis.consistency import (  # only `check` needs them: spared at every other start
        Check,
        Span,
    )

    first = warning.claims[0]
    if warning.check == Check.falling:
        earlier, later = warning.claims
        return (
            f"{first.originator}, {first.metric}: the running total fell from {_figure(earlier)} on "
            f"{earlier.date_text} to {_figure(later)} on {later.date_text}"
        )
    if warning.check == Check.count_above_total:
        part, total = warning.claims
        return (
            f"{first.originator}, {first.metric}: the count {_figure(part)} of {part.date_text} is more than "
            f"the running total {_figure(total)} of {total.date_text}"
        )
    if warning.check == Check.sum_mismatch:
        killed, wounded, both = warning.claims
        added = warning.total or Span(low=None, high=None)
        return (
            f"{first.originator} on {first.date_text}: killed {_figure(killed)} + wounded {_figure(wounded)} "
            f"= {span(added.low, added.high)}, but killed or wounded is {_figure(both)}"
        )
    if warning.check == Check.ratio_mismatch:
        ratio, direct, base = warning.claims
        return (
            f"{first.originator}, {first.metric} on {first.date_text}: {ratio.stated!r} of {base.stated!r} "
            f"is {span(ratio.low, ratio.high)}, but the figure stated outright is {_figure(direct)}"
        )
    if warning.check == Check.after_publication:
        published = ", ".join(
            f"{d.outlet} ({d.document}) on {format_date(d.published, d.precision)}" for d in warning.documents
        )
        return f"{first.claim} is dated {first.date_text}, after every document that carries it: {published}"
    if warning.check == Check.party_unknown:
        return (
            f"{first.originator} ({first.source}), {first.metric}: not known whether it is a party to the conflict, "
            f"yet an estimate uses its {_figure(first)} of {first.date_text} (--exclude-parties keeps it); "
            "set its `party` to true or false"
        )
    earlier, later = warning.claims
    return (
        f"{first.originator}, {first.metric}: {_figure(earlier)} of {earlier.date_text} and "
        f"{_figure(later)} of {later.date_text} look like one figure recorded twice"
    )


def check(report: CheckReport) -> Text:
    """Each warning with the file lines of its claims, then the count."""
    file = shown_path(report.file)
    text = Text()
    for warning in report.warnings:
        text.append(f"warning: {warning.check}: ", style="bold yellow")
        text.append(safe(warning_text(warning)) + "\n")
        for claim in warning.claims:
            where = f"{file}:{claim.line}" if claim.line is not None else file
            text.append(f"  {safe(f'{where}: {claim.claim}')}\n", style="dim")
    count = len(report.warnings)
    text.append(f"{safe(file)}: {count} warning{'s' if count != 1 else ''}", style="bold")
    return text
