"""Terminal tables never cut a value: checked in a real pseudo-terminal at five widths, and on tables made here."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

import reconcile
from reconcile.analysis.compare import metric_list, source_list
from reconcile.model.terms import number
from reconcile.output.fit import fitted

WIDTHS = (40, 60, 80, 120, 200)
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")


def in_terminal(width: int, *args: str) -> list[str]:
    """The lines `reconcile ARGS` prints to a pseudo-terminal `width` columns wide, escapes removed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "TERM")}
    env["TERM"] = "xterm-256color"
    command = [sys.executable, "-m", "reconcile", *args]
    with subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=env) as process:
        os.close(follower)
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the pseudo-terminal closes with the process
                break
            if not chunk:
                break
            out += chunk
    os.close(leader)
    assert process.returncode == 0, out.decode()
    return ESCAPES.sub("", out.decode()).replace("\r", "").split("\n")


def whole(token: str, lines: list[str]) -> bool:
    return any(token in line for line in lines)


DATA = reconcile.load()
IMPORTED = Path(__file__).resolve().parent.parent / "examples" / "imported.yaml"
EVERY = reconcile.Filters()


def claim_tokens(metric: str, data: reconcile.Dataset = DATA) -> set[str]:
    """The ids, dates and figures of a metric's claims, as the terminal prints them."""
    tokens: set[str] = set()
    for comparison in reconcile.show(data, metric, EVERY).comparisons:
        for row in comparison.rows:
            tokens |= {row.date_text, number(row.low), number(row.best), number(row.high)}
            tokens |= set(row.stated.split()) | set(row.originator.split())
    return tokens


CASES = {
    "sources": ({s.id for s in source_list(DATA)}, ["sources"]),
    "metrics": ({m.id for m in metric_list(DATA)}, ["metrics"]),
    "show": (claim_tokens("killed_or_wounded"), ["show", "killed_or_wounded", "--incidents"]),
    "timeline": (claim_tokens("deployed"), ["timeline", "deployed"]),
    "imported": (
        claim_tokens("casualties", reconcile.load(IMPORTED)),
        ["--data", str(IMPORTED), "show", "casualties", "--incidents"],
    ),
    "imported sources": (
        {s.id for s in source_list(reconcile.load(IMPORTED))},
        ["--data", str(IMPORTED), "sources"],
    ),
    "diff": (
        {"approximately", "1,000", "3,000", "~2024-12-25", "+200.0%"},
        ["diff", "white house", "zelensky"],
    ),
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", CASES)
def test_every_id_date_and_figure_is_whole_at_every_width(case: str, width: int) -> None:
    tokens, args = CASES[case]
    lines = in_terminal(width, *args)
    assert [t for t in sorted(tokens) if not whole(t, lines)] == []
    assert [line for line in lines if cell_len(line.rstrip()) > width] == []


def test_wide_terminals_are_used() -> None:
    lines = in_terminal(200, "sources")
    # At 200 columns the longest name fits on its row, with its id, kind and claims.
    assert whole("US, Ukrainian and South Korean intelligence (joint estimate)", lines)


# --- tables made here, laid out by `fitted` ---------------------------------------------------------


def drawn(renderable: object, width: int) -> list[str]:
    with open(os.devnull, "w") as nowhere:
        console = Console(width=width, color_system=None, record=True, file=nowhere)
        console.print(fitted(renderable, width), crop=False)  # type: ignore[arg-type]
    return [line.rstrip() for line in console.export_text().split("\n")]


def claims_table(rows: int = 2) -> Table:
    table = Table(title="Killed")
    table.add_column("As stated")
    table.add_column("Best", justify="right", no_wrap=True)
    table.add_column("Range", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Originator / outlet")
    for i in range(rows):
        table.add_row(
            f"approximately {i + 1},000",
            f"{i + 1},000",
            "───●───",
            "~2024-12-25",
            f"Pentagon\nKyiv-Independent-{i}",
        )
    return table


def test_a_table_that_fits_is_drawn_whole_with_every_column() -> None:
    lines = drawn(claims_table(), 120)
    assert (
        whole("approximately 1,000", lines) and whole("───●───", lines) and whole("Kyiv-Independent-1", lines)
    )


def test_the_range_bar_gives_way_before_any_cell_wraps() -> None:
    natural = max(cell_len(line) for line in drawn(claims_table(), 200))
    lines = drawn(claims_table(), natural - 1)
    assert not whole("───●───", lines)
    assert whole("approximately 1,000", lines) and whole("Kyiv-Independent-1", lines)


def test_then_cells_wrap_between_words_and_the_outlets_give_way_last() -> None:
    lines = drawn(claims_table(), 52)
    assert (
        whole("approximately", lines) and whole("~2024-12-25", lines) and whole("Kyiv-Independent-1", lines)
    )
    assert not whole("approximately 1,000", lines)  # wrapped between its words
    assert max(cell_len(line) for line in lines) <= 52
    narrower = drawn(claims_table(), 45)
    assert not whole("Kyiv-Independent-1", narrower)
    assert whole("Pentagon", narrower) and whole("~2024-12-25", narrower) and whole("Originator", narrower)
    assert max(cell_len(line) for line in narrower) <= 45


def test_too_narrow_for_a_row_the_table_is_stacked_one_block_per_row() -> None:
    lines = drawn(claims_table(), 30)
    assert "As stated: approximately 1,000" in lines
    assert "Date: ~2024-12-25" in lines
    assert "Originator / outlet: Pentagon" in lines and "  Kyiv-Independent-1" in lines
    assert max(cell_len(line) for line in lines) <= 30


def test_a_word_longer_than_its_column_widens_the_column_instead_of_being_cut() -> None:
    table = Table()
    table.add_column("Id")
    table.add_column("Name")
    table.add_row("us-senior-official-of-the-white-house", "A senior official")
    lines = drawn(table, 60)
    assert whole("us-senior-official-of-the-white-house", lines)


def test_a_chart_wider_than_the_terminal_gives_way_with_a_word() -> None:
    chart = Text("─" * 70, no_wrap=True)
    assert drawn(chart, 40)[0] == "(chart left out: it needs 70 columns)"
    assert drawn(chart, 80)[0] == "─" * 70


def test_other_renderables_and_cells_pass_unchanged() -> None:
    table = Table()
    table.add_column("A")
    table.add_row(Table())  # a cell that is not text: rich lays it out as before
    assert fitted(table, 40) is table
    assert fitted("text", 40) == "text"


def test_stacked_lines_are_measured_in_terminal_cells() -> None:
    table = Table()
    table.add_column("Originator")
    table.add_column("Notes")
    table.add_row("국가정보원 국가정보원 국가정보원", "북한군 북한군 북한군 북한군")
    lines = drawn(table, 16)
    assert max(cell_len(line) for line in lines) <= 16
    assert all(whole(word, lines) for word in ("국가정보원", "북한군"))


words = st.text(alphabet="abcdefghij-0123456789,~北", min_size=1, max_size=14)
cells = st.lists(words, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(cells, min_size=4, max_size=4), min_size=1, max_size=4),
    width=st.integers(min_value=20, max_value=120),
)
def test_any_table_keeps_every_word_whole_within_the_width(rows: list[list[str]], width: int) -> None:
    table = Table(title="T")
    for header in ("As stated", "Best", "Range", "Originator / outlet"):
        table.add_column(header, no_wrap=header == "Best")
    for row in rows:
        table.add_row(*row)
    lines = drawn(table, width)
    kept = [cell for row in rows for i, cell in enumerate(row) if i != 2]  # the range bar may give way
    assert all(whole(word, lines) for cell in kept for word in cell.split())
    assert max(cell_len(line) for line in lines) <= width
