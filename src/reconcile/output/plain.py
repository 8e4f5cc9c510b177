"""Plain text of what the CLI prints, for pipes: one line per table row, every cell whole, nothing drawn.

rich lays a table out to the console's width, wrapping cells over several lines and drawing a
box; that suits a reader at a terminal and defeats `grep`, `cut` and `sort`. `render` prints the
same renderables (Groups of Tables, Texts and strings, as reconcile.output.terminal builds them)
in a layout of its own, read through rich's public API only:

- a table is its title, its header, one line per row and its caption, each a single line;
  columns are aligned with spaces (measured in terminal cells, so wide characters align),
  two spaces apart, right-aligned where the column is justified right, and never cut or
  wrapped, whatever the width of the console;
- a line break inside a cell (rich's tables use one to put the outlets under an originator,
  or the date under a claim) becomes " / ", as in the header "Originator / outlet"; empty
  pieces are left out, so an originator without outlets prints without a dangling " / ";
- a table is followed by a blank line, as rich's tables end with a blank edge, unless a blank
  line or the end of the output follows anyway;
- Texts and strings print as their lines, styles dropped;
- no line ends in whitespace, and characters that would act on a terminal rather than show
  on it (controls such as ESC or a tab, bidirectional overrides, other format characters) are
  printed as Python escapes (\\x1b, \\t, \\u202e), since the text comes from the data;
  `emit` escapes them on a terminal too (both with reconcile.output.escape.visible).

Anything else raises TypeError or ValueError: a renderer that emits something new must be taught
here, not printed some other way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text

from reconcile.output.escape import visible

#: What a line break inside a table cell, a title or a caption becomes.
JOINER = " / "
#: What stands between two columns.
GAP = "  "


def render(renderable: object) -> str:
    """The plain text of a renderable, each line ending in a newline."""
    blocks: list[tuple[list[str], bool]] = []
    _blocks(renderable, blocks)
    lines: list[str] = []
    for index, (block, is_table) in enumerate(blocks):
        lines += block
        if is_table and index + 1 < len(blocks) and blocks[index + 1][0][:1] != [""]:
            lines.append("")
    return "".join(line + "\n" for line in lines)


def _blocks(renderable: object, blocks: list[tuple[list[str], bool]]) -> None:
    """Append the lines of each part of a renderable, with whether they are a table's."""
    if isinstance(renderable, Group):
        for part in renderable.renderables:
            _blocks(part, blocks)
    elif isinstance(renderable, Table):
        blocks.append((table_lines(renderable), True))
    elif isinstance(renderable, Text):
        if renderable.end != "\n":
            raise ValueError(f"a Text ending in {renderable.end!r} rather than a line break")
        blocks.append((text_lines(renderable.plain), False))
    elif isinstance(renderable, str):
        blocks.append((text_lines(renderable), False))
    else:
        raise TypeError(f"no plain layout for {type(renderable).__name__}")


def text_lines(text: str) -> list[str]:
    """The lines of a text, visible and without trailing whitespace; an empty text is one empty line."""
    return [visible(line).rstrip() for line in text.split("\n")]


def one_line(renderable: object) -> str:
    """The text of a cell, title or caption on one line: its lines joined by JOINER, visible."""
    if isinstance(renderable, str):
        text = renderable
    elif isinstance(renderable, Text):
        text = renderable.plain
    else:
        raise TypeError(f"no plain layout for a table cell of {type(renderable).__name__}")
    if "\n" in text:
        text = JOINER.join(piece for piece in text.split("\n") if piece.strip())
    return visible(text)


def table_lines(table: Table) -> list[str]:
    """A table's title, header, rows and caption, one line each, the columns aligned."""
    lines: list[str] = []
    if table.title:
        lines.append(one_line(table.title).rstrip())
    columns: list[list[str]] = []
    justified: list[str] = []
    rows = table.row_count
    for column in table.columns:
        cells = [one_line(cell) for cell in column.cells]
        if len(cells) != rows:
            raise ValueError(f"column {one_line(column.header)!r} has {len(cells)} cells for {rows} rows")
        if table.show_header:
            cells.insert(0, one_line(column.header))
        if column.justify not in ("default", "left", "right", "center"):
            raise ValueError(f"no plain layout for a column justified {column.justify!r}")
        columns.append(cells)
        justified.append(column.justify)
    if columns:
        lines += _aligned(columns, justified)
    if table.caption:
        lines.append(one_line(table.caption).rstrip())
    return lines


def _aligned(columns: Sequence[list[str]], justified: Sequence[str]) -> Iterable[str]:
    """The lines of equally long columns, each cell padded to its column's widest."""
    padded: list[list[str]] = []
    for cells, justify in zip(columns, justified):
        sizes = [len(cell) if cell.isascii() else cell_len(cell) for cell in cells]
        width = max(sizes)
        if justify == "right":
            padded.append([" " * (width - size) + cell for cell, size in zip(cells, sizes)])
        elif justify == "center":
            padded.append(
                [
                    " " * ((width - size) // 2) + cell + " " * (width - size - (width - size) // 2)
                    for cell, size in zip(cells, sizes)
                ]
            )
        else:
            padded.append([cell + " " * (width - size) for cell, size in zip(cells, sizes)])
    return (GAP.join(row).rstrip() for row in zip(*padded))
