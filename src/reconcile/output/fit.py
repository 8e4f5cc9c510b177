"""Tables laid out to the terminal's width without cutting a value.

rich fits a table to the console by folding cells, which splits an id or a date in two
(`us-senior-offic` / `ial`, `~2024-12-1`), and below some width drops columns. `fitted` lays
each table out itself, then hands rich columns of fixed widths that rich never needs to fold:

- every column is at least as wide as its longest word, so text wraps only between words and
  ids, dates and figures stay whole; a column that must not wrap (a number, a date) is as wide
  as its longest cell;
- the room left over goes to the columns that would wrap, so a wide terminal shows every cell
  on one line, and the table is never wider than its content needs;
- where even that is too wide, columns of less value give way in turn (GIVES_WAY): first the
  range bar, then the outlets under an originator;
- where a row cannot fit at all, each row becomes a block of `Header: value` lines (`stacked`),
  the lines under a cell's first (the outlets) indented below it.

A drawing that must not wrap (a Text with `no_wrap`, such as a timeline's chart) is left out,
with a line saying so, where it is wider than the terminal. A Group is fitted part by part; anything
else is passed on as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

#: Columns that give way when a table is too wide, by header, in the order they do (lowest first).
#: A header with " / " gives way by keeping only its first line: "Originator / outlet" becomes
#: "Originator", its cells keep the originator and lose the outlets written under it.
GIVES_WAY: dict[str, int] = {"Range": 1, "": 1, "Originator / outlet": 2}

#: What a stacked row's continuation lines are indented by.
INDENT = "  "


@dataclass(frozen=True, slots=True)
class _Column:
    """One column as the layout sees it: its header, its cells as text, how it may be drawn."""

    header: str
    cells: tuple[Text, ...]
    justify: str
    wraps: bool

    def widest(self) -> int:
        """The width that shows every cell on one line."""
        return max(_widest_line(text.plain) for text in (Text(self.header), *self.cells))

    def least(self) -> int:
        """The narrowest width that cuts nothing: the longest word, or the longest cell if it does not wrap."""
        if not self.wraps:
            return self.widest()
        return max(_longest_word(text.plain) for text in (Text(self.header), *self.cells))

    def first_lines(self) -> _Column:
        """The column with only the first line of its header and of each cell."""
        header = self.header.split(" / ")[0]
        cells = tuple(text.split("\n")[0] if "\n" in text.plain else text for text in self.cells)
        return _Column(header, cells, self.justify, self.wraps)


def _widest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def fitted(renderable: RenderableType, width: int) -> RenderableType:
    """The renderable with each of its tables laid out to `width` columns, nothing cut."""
    if isinstance(renderable, Group):
        return Group(*(fitted(part, width) for part in renderable.renderables))
    if isinstance(renderable, Table):
        return fit_table(renderable, width)
    if isinstance(renderable, Text) and renderable.no_wrap and _widest_line(renderable.plain) > width:
        # A drawing (a chart) that cannot wrap gives way where it would not fit.
        return Text(f"(chart left out: it needs {_widest_line(renderable.plain)} columns)", style="dim")
    return renderable


def _columns(table: Table) -> list[_Column] | None:
    """The table's columns as text, or None if a cell is something other than text."""
    columns = []
    for column in table.columns:
        texts: list[Text] = []
        for cell in (column.header, *column.cells):
            if isinstance(cell, str):
                texts.append(Text(cell))
            elif isinstance(cell, Text):
                texts.append(cell)
            else:
                return None
        wraps = not column.no_wrap and column.width is None
        columns.append(_Column(texts[0].plain, tuple(texts[1:]), column.justify, wraps))
    return columns


def fit_table(table: Table, width: int) -> RenderableType:
    """A table laid out to `width`: whole, with columns giving way, or stacked."""
    columns = _columns(table)
    if columns is None or not columns:
        return table
    for level, wrapping, compact in ATTEMPTS:
        kept = _given_way(columns, level)
        frame = _frame(table, compact)
        widths = _widths(frame, kept, width, wrapping)
        if widths is not None:
            return _drawn(table, frame, kept, widths)
    return stacked(table, _given_way(columns, 1), width)


#: The layouts tried in turn: a give-way level, whether cells may wrap, and whether the table is
#: drawn compact (no blank edges, one space between columns). The range bar goes before any cell
#: wraps; the outlets go only once wrapping in a compact table is not enough.
ATTEMPTS: tuple[tuple[int, bool, bool], ...] = (
    (0, False, False),
    (1, False, False),
    (1, True, False),
    (1, True, True),
    (2, True, True),
)


def _given_way(columns: Sequence[_Column], level: int) -> list[_Column]:
    """The columns left once those giving way at `level` or below have done so."""
    kept = []
    for column in columns:
        gives = GIVES_WAY.get(column.header, level + 1)
        if gives > level:
            kept.append(column)
        elif " / " in column.header:
            kept.append(column.first_lines())
    return kept


def _overhead(frame: Table, count: int) -> int:
    """What a table drawn in `frame` draws besides its cells (edges, dividers, padding)."""
    probe = _copy(frame)
    for _ in range(count):
        probe.add_column(width=1)
    measured = Measurement.get(_CONSOLE, _CONSOLE.options, probe)
    return measured.maximum - count


def _widths(frame: Table, columns: Sequence[_Column], width: int, wrapping: bool) -> list[int] | None:
    """Each column's width, the spare room shared among the columns that wrap; None if they cannot fit."""
    room = width - _overhead(frame, len(columns))
    widths = [column.least() if wrapping else column.widest() for column in columns]
    if sum(widths) > room:
        return None
    wanted = [column.widest() for column in columns]
    spare = room - sum(widths)
    # The spare room goes first to the columns it lets show whole, those nearest to whole first, so
    # that as many cells as can fit stand on one line; what is left goes to the others in turn.
    for i in sorted(range(len(widths)), key=lambda i: wanted[i] - widths[i]):
        grow = min(wanted[i] - widths[i], spare)
        if grow == wanted[i] - widths[i]:
            widths[i] += grow
            spare -= grow
    for i in sorted(range(len(widths)), key=lambda i: widths[i]):
        grow = min(wanted[i] - widths[i], spare)
        widths[i] += grow
        spare -= grow
    return widths


def _frame(table: Table, compact: bool) -> Table:
    """An empty table drawn as `table` is, or compact: no blank edges, no padding."""
    frame = _copy(table)
    if compact:
        frame.show_edge = False
        frame.padding = (0, 0, 0, 0)
    return frame


def _copy(table: Table) -> Table:
    """An empty table drawn as `table` is: its title, caption, box and padding."""
    return Table(
        title=table.title,
        caption=table.caption,
        box=table.box,
        safe_box=table.safe_box,
        padding=table.padding,
        pad_edge=table.pad_edge,
        show_header=table.show_header,
        show_edge=table.show_edge,
        show_lines=table.show_lines,
        header_style=table.header_style,
        title_style=table.title_style,
        caption_style=table.caption_style,
        title_justify=table.title_justify,
        caption_justify=table.caption_justify,
        border_style=table.border_style,
    )


def _drawn(table: Table, frame: Table, columns: Sequence[_Column], widths: Sequence[int]) -> Table:
    """The table rebuilt in `frame` with fixed column widths, so that rich wraps cells only between words."""
    drawn = _copy(frame)
    # A title or caption wraps to the table's width: the table is at least as wide as their longest word.
    notes = [
        _longest_word(str(note)) for note in (table.title, table.caption) if isinstance(note, (str, Text))
    ]
    drawn.min_width = max(notes, default=0)
    for column, width in zip(columns, widths):
        drawn.columns.append(
            Column(header=column.header, justify=column.justify, width=width, overflow="fold")  # type: ignore[arg-type]
        )
    for row, cells in zip(table.rows, zip(*(column.cells for column in columns))):
        drawn.add_row(*cells, style=row.style, end_section=row.end_section)
    return drawn


def stacked(table: Table, columns: Sequence[_Column], width: int) -> Text:
    """The table as one block of lines per row, `Header: value`, each wrapped only between words."""
    lines: list[Text] = []
    if isinstance(table.title, (str, Text)):
        lines += [Text(line, style="italic") for line in _wrapped(str(table.title), width, "")]
    for row in zip(*(column.cells for column in columns)):
        lines.append(Text(""))
        for column, cell in zip(columns, row):
            pieces = [piece for piece in cell.plain.split("\n") if piece.strip()]
            if not pieces:
                continue
            # The first line of a cell follows its header; the lines under it (the outlets under
            # an originator) follow indented.
            label = f"{column.header}: " if column.header else ""
            for index, line in enumerate(_wrapped(label + pieces[0], width, INDENT)):
                text = Text(line)
                if index == 0 and label:
                    text.stylize("bold", 0, len(label))
                lines.append(text)
            lines += [Text(line) for piece in pieces[1:] for line in _wrapped(piece, width, INDENT, INDENT)]
    if isinstance(table.caption, (str, Text)):
        lines.append(Text(""))
        lines += [Text(line, style="dim") for line in _wrapped(str(table.caption), width, "")]
    return Text("\n").join(lines)


def _wrapped(text: str, width: int, indent: str, first: str = "") -> list[str]:
    """Lines of at most `width` terminal cells, broken only at spaces; a longer word keeps a line to itself."""
    lines: list[str] = []
    line, size, empty = first, cell_len(first), True
    for word in text.split():
        wide = cell_len(word)
        if not empty and size + 1 + wide > width:
            lines.append(line)
            line, size, empty = indent, cell_len(indent), True
        line, size = (line + word, size + wide) if empty else (f"{line} {word}", size + 1 + wide)
        empty = False
    lines.append(line)
    return lines


#: Measures probe tables: a width well beyond any table's, so that nothing is collapsed.
_CONSOLE = Console(width=10_000, file=None, color_system=None, markup=False, emoji=False, highlight=False)
