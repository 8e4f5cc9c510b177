"""Plain text of the renderables the CLI prints, laid out exactly as rich lays them out, only faster.

When stdout is not a terminal rich prints no escape codes, only its layout, and on a large
dataset most of the time of `show` goes into rich measuring, wrapping and padding each table
cell through its general machinery. `render` reproduces that layout byte for byte for the
subset of rich the project uses: Groups of Text and Tables (SIMPLE_HEAD, HEAVY_HEAD or no box)
whose cells are strings or Text. Anything outside that subset raises Unsupported, so that the
caller can fall back to rich.

The output is what `Console(width=width, color_system=None, markup=False, highlight=False,
soft_wrap=False, emoji=emoji)` prints for `console.print(renderable)` on a UTF-8 stream: styles
print nothing, and emoji codes such as :fire: in strings (not in Text) become emoji only with
emoji=True, rich's default.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from rich import box as boxes
from rich._emoji_replace import _emoji_replace
from rich._ratio import ratio_reduce
from rich._wrap import divide_line
from rich.cells import cell_len, get_character_cell_size, set_cell_size
from rich.console import Group
from rich.table import Column, Table
from rich.text import Text


class Unsupported(Exception):
    """The renderable uses a feature of rich that `render` does not reproduce."""


#: Boxes drawn; any other box is refused. A table without a header draws its box's plain-headed twin.
BOXES = (boxes.SIMPLE_HEAD, boxes.HEAVY_HEAD)
JUSTIFY = frozenset({"default", "left", "center", "right"})
OVERFLOW = frozenset({"fold", "crop", "ellipsis"})

# Characters known to take one cell, and two. Everything else is refused: characters of no width
# (controls, tabs, joiners, combining marks, line breaks other than newline) make rich's widths
# other than the sum of the characters' widths, which this module's arithmetic relies on.
_ONE_CELL: set[str] = {chr(code) for code in range(0x20, 0x7F)}
_ONE_CELL_OR_NEWLINE: set[str] = _ONE_CELL | {"\n"}
_TWO_CELLS: set[str] = set()
_TRAILING_WHITESPACE = re.compile(r"\s+$")
_WORD = re.compile(r"\s*\S+\s*")  # a word and the whitespace around it, as rich's wrapping reads words

# A cell: its text, whether every character takes one cell, then justify, overflow and no_wrap.
_Cell = tuple[str, bool, str, str, bool]


def render(renderable: object, width: int, *, emoji: bool = False) -> str:
    """The text rich prints for `console.print(renderable)` on a console `width` cells wide, not a terminal.

    emoji is the console's own setting: whether strings have their emoji codes replaced.
    Raises Unsupported for anything outside the subset this module reproduces.
    """
    if width < 1:
        raise Unsupported("a console narrower than one cell")
    out: list[str] = []
    if isinstance(renderable, Text):
        # console.print joins loose text into a new Text, which keeps none of justify, overflow,
        # no_wrap or end of the one given.
        _text(out, renderable.plain, width, "default", "fold", False, "\n")
    else:
        _renderable(out, renderable, width, emoji)
    return _cropped("".join(out), width)


def _renderable(out: list[str], renderable: object, width: int, emoji: bool) -> None:
    if isinstance(renderable, Group):
        for part in renderable.renderables:
            _renderable(out, part, width, emoji)
    elif isinstance(renderable, Table):
        _table(out, renderable, width, emoji)
    elif isinstance(renderable, Text):
        _text(
            out,
            renderable.plain,
            width,
            renderable.justify or "default",
            renderable.overflow or "fold",
            bool(renderable.no_wrap),
            renderable.end,
        )
    elif isinstance(renderable, str):
        _text(out, _emoji(renderable, emoji), width, "default", "fold", False, "\n")
    else:
        raise Unsupported(f"cannot render {type(renderable).__name__}")


def _emoji(text: str, emoji: bool) -> str:
    """A string as rich prints it: with emoji on, emoji codes such as :smile: replaced."""
    return _emoji_replace(text) if emoji and ":" in text else text


def _narrow(text: str) -> bool:
    """Whether every character of text but newlines takes one cell (False: some take two).

    Raises Unsupported for a character of any other width.
    """
    if _ONE_CELL_OR_NEWLINE.issuperset(text):
        return True
    narrow = True
    for character in set(text).difference(_ONE_CELL_OR_NEWLINE):
        if character in _TWO_CELLS:
            narrow = False
            continue
        size = get_character_cell_size(character)
        if size == 1:
            _ONE_CELL.add(character)
            _ONE_CELL_OR_NEWLINE.add(character)
        elif size == 2:
            _TWO_CELLS.add(character)
            narrow = False
        else:
            raise Unsupported(f"character {character!r} takes no cell of its own")
    return narrow


def _cells(text: str) -> int:
    """The cells a line takes on the terminal."""
    return len(text) if _ONE_CELL.issuperset(text) else cell_len(text)


def _cropped(text: str, width: int) -> str:
    """The output with each line cut to the console's width, as console.print does; short lines stay short."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _cells(line) > width:
            lines[index] = set_cell_size(line, width)
    return "\n".join(lines)


# --- text -----------------------------------------------------------------------------------------


def _text(
    out: list[str], plain: str, width: int, justify: str, overflow: str, no_wrap: bool, end: str
) -> None:
    """A Text on its own line or lines: wrapped to the width, then its end."""
    _narrow(plain)
    _narrow(end)
    out.append("\n".join(_wrap(plain, width, justify, overflow, no_wrap)))
    out.append(end)


def _wrap(plain: str, width: int, justify: str, overflow: str, no_wrap: bool) -> list[str]:
    """The lines of a text at a width, as Text.wrap makes them: split at newlines, word-wrapped, justified."""
    _supported(justify, overflow)
    lines: list[str] = []
    fold = overflow == "fold"
    for line in plain.split("\n"):
        narrow = _ONE_CELL.issuperset(line)
        if narrow and len(line) <= width:
            lines.append(_justified(line, width, justify))
            continue
        if no_wrap or (len(line) if narrow else cell_len(line)) <= width:
            # Kept whole: with no_wrap, or when it fits, where there is no break and no whitespace to strip.
            pieces = [line]
        else:
            offsets = _breaks(line, width, fold) if narrow else divide_line(line, width, fold=fold)
            bounds = [0, *offsets, len(line)]
            pieces = [_rstrip_end(line[start:stop], width) for start, stop in pairwise(bounds)]
        if justify == "left":
            pieces = [_truncate(piece, width, overflow, pad=True) for piece in pieces]
        elif justify == "right":
            pieces = [_pad_left(_truncate(piece.rstrip(), width, overflow), width) for piece in pieces]
        elif justify == "center":
            pieces = [_centre(_truncate(piece.rstrip(), width, overflow), width) for piece in pieces]
        lines += [_truncate(piece, width, overflow) for piece in pieces]
    return lines


def _justified(line: str, width: int, justify: str) -> str:
    """A line of one-cell characters that fits the width, justified as Lines.justify does it."""
    if justify == "left":
        return line + " " * (width - len(line))
    if justify == "right":
        line = line.rstrip()
        return " " * (width - len(line)) + line
    if justify == "center":
        line = line.rstrip()
        before = (width - len(line)) // 2
        return " " * before + line + " " * (width - len(line) - before)
    return line


def _breaks(line: str, width: int, fold: bool) -> list[int]:
    """rich._wrap.divide_line for a line of characters one cell wide: where the line breaks to fit the width.

    A word goes on the next line when it does not fit; one longer than the width is folded, or with
    fold False left whole, to be cut later.
    """
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(line):
        start, end = match.span()
        word = match.group()
        if width - offset >= len(word.rstrip()):
            offset += end - start
        elif len(word.rstrip()) > width:
            if fold:
                for piece in range(start, end, width):
                    if piece:
                        breaks.append(piece)
                offset = end - piece
            else:
                if start:
                    breaks.append(start)
                offset = end - start
        elif offset and start:
            breaks.append(start)
            offset = end - start
    return breaks


def _rstrip_end(text: str, width: int) -> str:
    """Text.rstrip_end: drop trailing whitespace beyond the width, counted in characters as rich does."""
    excess = len(text) - width
    if excess > 0:
        match = _TRAILING_WHITESPACE.search(text)
        if match is not None:
            return text[: -min(len(match.group(0)), excess)]
    return text


def _truncate(text: str, width: int, overflow: str, *, pad: bool = False) -> str:
    """Text.truncate: cut to the width (with … for ellipsis), or with pad fill it with spaces."""
    length = _cells(text)
    if length > width:
        if overflow == "ellipsis":
            return set_cell_size(text, width - 1) + "…"
        return set_cell_size(text, width)
    if pad and length < width:
        return text + " " * (width - length)
    return text


def _pad_left(text: str, width: int) -> str:
    return " " * (width - _cells(text)) + text


def _centre(text: str, width: int) -> str:
    text = " " * ((width - _cells(text)) // 2) + text
    return text + " " * (width - _cells(text))


# --- tables ---------------------------------------------------------------------------------------


class _Column:
    """A column of a table with its cells read, their widths measured once, and its padding."""

    __slots__ = ("cells", "column", "left", "right", "widest_line", "widest_word")

    def __init__(self, column: Column, cells: list[_Cell], left: int, right: int) -> None:
        self.column = column
        self.cells = cells
        self.left = left
        self.right = right
        words: list[int] = []
        lines: list[int] = []
        for plain, narrow, _justify, _overflow, _no_wrap in cells:
            # Text.__rich_measure__: the longest word is the least width, the longest line the most.
            if narrow and "\n" not in plain:
                line = len(plain)
                split = plain.split()
                words.append(len(max(split, key=len)) if split else line)
            else:
                size = len if narrow else _cells
                line = max(map(size, plain.splitlines()), default=0)
                words.append(max(map(size, plain.split()), default=line))
            lines.append(line)
        self.widest_word = max(words, default=0)
        self.widest_line = max(lines, default=0)

    def measure(self, max_width: int) -> tuple[int, int]:
        """Table._measure_column: least and most width of the column, padding included, at a max_width."""
        if max_width < 1:
            return 0, 0
        padding = self.left + self.right
        if not self.cells:
            least, most = 1, max_width
        elif max_width - padding < 1:
            least = most = max_width
        else:
            # Each cell measures min(its width + padding, max_width); the widest cell gives the column's.
            least, most = (
                min(self.widest_word + padding, max_width),
                min(self.widest_line + padding, max_width),
            )
        if self.column.min_width is not None:
            floor = max(0, self.column.min_width + padding)
            least, most = max(least, floor), max(most, floor)
        if self.column.max_width is not None:
            ceiling = self.column.max_width + padding
            least, most = min(least, ceiling), min(most, ceiling)
        return least, most


def _check_table(table: Table) -> None:
    """Raise Unsupported for the features of Table that `_table` does not draw."""
    refused = [
        name
        for name, used in (
            ("width", table.width is not None),
            ("min_width", table.min_width is not None),
            ("expand", table.expand),
            ("show_footer", table.show_footer),
            ("show_lines", table.show_lines),
            ("leading", bool(table.leading)),
            ("collapse_padding", table.collapse_padding),
            ("vertical padding", bool(table.padding[0] or table.padding[2])),
            ("end_section", any(row.end_section for row in table.rows)),
        )
        if used
    ]
    if table.box is not None and not any(table.box is known for known in BOXES):
        refused.append("this box")
    for index, column in enumerate(table.columns):
        if column._index != index:
            refused.append("a column out of place")
        if column.width is not None or column.ratio is not None:
            refused.append("column width or ratio")
        if column.vertical != "top":
            refused.append(f"vertical={column.vertical!r}")
    if refused:
        raise Unsupported(f"Table with {', '.join(refused)}")


def _column_cells(column: Column, header: bool, emoji: bool) -> list[_Cell]:
    """The cells of a column, header first: a Text's own justify, overflow and no_wrap, else the column's."""
    justify, overflow, no_wrap = column.justify or "default", column.overflow or "fold", column.no_wrap
    _supported(justify, overflow)
    cells: list[_Cell] = []
    append = cells.append
    one_cell = _ONE_CELL_OR_NEWLINE
    for renderable in [column.header, *column.cells] if header else column.cells:
        if isinstance(renderable, str):
            plain = _emoji_replace(renderable) if emoji and ":" in renderable else renderable
            append((plain, one_cell.issuperset(plain) or _narrow(plain), justify, overflow, no_wrap))
        elif isinstance(renderable, Text):
            if renderable.end != "\n":
                raise Unsupported(f"a table cell with end={renderable.end!r}")
            plain = renderable.plain
            own_justify, own_overflow = renderable.justify or justify, renderable.overflow or overflow
            _supported(own_justify, own_overflow)
            own_no_wrap = no_wrap if renderable.no_wrap is None else renderable.no_wrap
            append((plain, _narrow(plain), own_justify, own_overflow, own_no_wrap))
        else:
            raise Unsupported(f"a table cell of {type(renderable).__name__}")
    return cells


def _supported(justify: str, overflow: str) -> None:
    if justify not in JUSTIFY:
        raise Unsupported(f"justify={justify!r}")
    if overflow not in OVERFLOW:
        raise Unsupported(f"overflow={overflow!r}")


def _table(out: list[str], table: Table, width: int, emoji: bool) -> None:
    """Table.__rich_console__: the title, the table and the caption, at most `width` wide."""
    _check_table(table)
    if not table.columns:
        out.append("\n")
        return
    box = table.box
    show_edge = table.show_edge
    last = len(table.columns) - 1
    extra_width = (2 if box and show_edge else 0) + (last if box else 0)
    _top, pad_right, _bottom, pad_left = table.padding
    columns: list[_Column] = []
    for index, column in enumerate(table.columns):
        cells = _column_cells(column, table.show_header, emoji)
        left = 0 if index == 0 and not table.pad_edge else pad_left
        right = 0 if index == last and not table.pad_edge else pad_right
        columns.append(_Column(column, cells, left, right))

    widths = _column_widths(columns, max(0, width - extra_width))
    table_width = sum(widths) + extra_width
    if table.title:
        _annotation(out, table.title, table.title_justify, table_width, emoji)
    _rows(out, table, columns, widths)
    if table.caption:
        _annotation(out, table.caption, table.caption_justify, table_width, emoji)


def _annotation(out: list[str], annotation: object, justify: str, width: int, emoji: bool) -> None:
    """A title or caption, justified across the table's width."""
    if width < 1:
        return  # rich renders nothing at no width
    if isinstance(annotation, str):
        _text(out, _emoji(annotation, emoji), width, justify or "default", "fold", False, "\n")
    elif isinstance(annotation, Text):
        _text(
            out,
            annotation.plain,
            width,
            annotation.justify or justify or "default",
            annotation.overflow or "fold",
            bool(annotation.no_wrap),
            annotation.end,
        )
    else:
        raise Unsupported(f"a title or caption of {type(annotation).__name__}")


def _column_widths(columns: Sequence[_Column], max_width: int) -> list[int]:
    """Table._calculate_column_widths for a table that does not expand: each column's width with padding."""
    widths = [column.measure(max_width)[1] or 1 for column in columns]
    if sum(widths) > max_width:
        wrapable = [not column.column.no_wrap for column in columns]
        widths = Table._collapse_widths(widths, wrapable, max_width)
        if sum(widths) > max_width:
            # Where wrapping cannot make room, every column gives up an equal share.
            widths = ratio_reduce(sum(widths) - max_width, [1] * len(widths), widths, widths)
        widths = [column.measure(max(0, width))[1] or 0 for width, column in zip(widths, columns)]
    return widths


def _rendered(cells: list[_Cell], width: int, left: int, right: int) -> list[str | list[str]]:
    """The lines of each cell of a column: one string for a one-line cell, else a list (maybe empty)."""
    inner = width - left - right
    if inner < 1:
        return [[] for _ in cells]  # rich renders nothing in no room; the row fills it with spaces
    lead, trail = " " * left, " " * right
    rendered: list[str | list[str]] = []
    append = rendered.append
    for plain, narrow, justify, overflow, no_wrap in cells:
        if narrow and len(plain) <= inner and "\n" not in plain:
            if justify == "left" or justify == "default":
                # Unjustified lines are filled with spaces as well, like every line of a cell.
                append(lead + plain + " " * (inner - len(plain)) + trail)
            else:
                append(lead + _justified(plain, inner, justify) + trail)
        else:
            lines = [
                lead + set_cell_size(line, inner) + trail
                for line in _wrap(plain, inner, justify, overflow, no_wrap)
            ]
            append(lines[0] if len(lines) == 1 else lines)
    return rendered


def _rows(out: list[str], table: Table, columns: Sequence[_Column], widths: list[int]) -> None:
    """Table._render: the header and the rows with the box around and between them."""
    rendered = [
        _rendered(column.cells, width, column.left, column.right) for column, width in zip(columns, widths)
    ]
    blanks = [" " * width for width in widths]
    box = table.box
    if box is not None and not table.show_header:
        box = box.get_plain_headed_box()
    show_edge = table.show_edge
    if box is not None:
        edges = [
            (box.head_left, box.head_right, box.head_vertical),
            (box.mid_left, box.mid_right, box.mid_vertical),
            (box.foot_left, box.foot_right, box.foot_vertical),
        ]
        if show_edge:
            out.append(box.get_top(widths) + "\n")
    else:
        edges = [("", "", "")] * 3
    rows = list(zip(*rendered))  # as rich does, a column with fewer cells cuts the rows short
    last = len(rows) - 1
    for index, row in enumerate(rows):
        left, right, divider = edges[0 if index == 0 else (2 if index == last else 1)]
        if not show_edge:
            left = right = ""
        if all(type(cell) is str for cell in row):
            out.append(f"{left}{divider.join(row)}{right}\n")
        else:
            header = index == 0 and table.show_header
            cells = [[cell] if isinstance(cell, str) else cell for cell in row]
            height = max(len(cell) for cell in cells)
            shaped = []
            for cell, blank in zip(cells, blanks):
                missing = [blank] * (height - len(cell))
                # A header sits at the bottom of its row, a cell at the top; no lines at all make one blank.
                shaped.append((missing + cell if header else cell + missing) or [blank])
            for line in zip(*shaped):
                out.append(f"{left}{divider.join(line)}{right}\n")
        if index == 0 and box is not None and table.show_header:
            out.append(box.get_row(widths, "head", edge=show_edge) + "\n")
    if box is not None and show_edge:
        out.append(box.get_bottom(widths) + "\n")
