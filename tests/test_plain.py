"""The plain layout of piped output: one line per row, every cell whole, columns aligned, nothing drawn."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from reconcile.analysis import compare as analysis
from reconcile.analysis import consistency as checks
from reconcile.analysis.claims import Filters
from reconcile.analysis.diff import diff
from reconcile.analysis.estimate import Method, Settings, estimates
from reconcile.analysis.timeline import timeline
from reconcile.io.load import load, load_with_lines
from reconcile.model.dataset import Dataset
from reconcile.output import terminal as render
from reconcile.output.plain import render as plain

# The characters rich draws tables with: every box's lines and corners.
BOX_DRAWING = frozenset(chr(code) for code in range(0x2500, 0x2580))


def table(*headers: str, justify: dict[str, str] | None = None, **options: object) -> Table:
    result = Table(**options)  # type: ignore[arg-type]
    for header in headers:
        result.add_column(header, justify=(justify or {}).get(header, "left"))  # type: ignore[arg-type]
    return result


# --- exact layouts --------------------------------------------------------------------------------


def test_a_table_is_its_title_header_rows_and_caption_one_line_each() -> None:
    shown = table("Name", "Count", justify={"Count": "right"}, title="Sources", caption="Two sources.")
    shown.add_row("kr-nis", "5")
    shown.add_row("ua-president", "12")
    assert plain(shown) == (
        "Sources\nName          Count\nkr-nis            5\nua-president     12\nTwo sources.\n"
    )


def test_centred_columns_put_the_odd_space_after() -> None:
    shown = table("Mark", "X", justify={"Mark": "center"})
    shown.add_row("●", "a")
    assert plain(shown) == "Mark  X\n ●    a\n"


def test_a_line_break_in_a_cell_becomes_a_slash_and_empty_pieces_go() -> None:
    shown = table("Originator / outlet", "Best", justify={"Best": "right"})
    who = Text("NIS")
    who.append("\nThe Diplomat, Kyiv Post", style="dim")
    shown.add_row(who, "300")
    shown.add_row("Unattributed\n", "5")  # an originator without outlets
    shown.add_row("a\n\n  \nb", "7")
    assert plain(shown) == (
        "Originator / outlet            Best\n"
        "NIS / The Diplomat, Kyiv Post   300\n"
        "Unattributed                      5\n"
        "a / b                             7\n"
    )


def test_titles_and_captions_are_one_line_too() -> None:
    shown = table("A", title=Text("Killed\nsoldiers"), caption="one\ntwo")
    shown.add_row("x")
    assert plain(shown) == "Killed / soldiers\nA\nx\none / two\n"


def test_a_table_without_a_header_or_columns() -> None:
    headless = table("A", "B", show_header=False)
    headless.add_row("x", "y")
    assert plain(headless) == "x  y\n"
    assert plain(Table(title="Nothing")) == "Nothing\n"
    assert plain(Table()) == ""


def test_texts_and_strings_print_their_lines_without_trailing_whitespace() -> None:
    shown = Group(Text("Spread: ", style="bold"), "two \nlines  ", Text(""), Text("a\n"))
    assert plain(shown) == "Spread:\ntwo\nlines\n\na\n\n"


def test_a_table_is_followed_by_a_blank_line_unless_one_follows_anyway() -> None:
    one = table("A")
    one.add_row("x")
    assert plain(Group(one, Text("after"))) == "A\nx\n\nafter\n"
    assert plain(Group(one, one)) == "A\nx\n\nA\nx\n"
    assert plain(Group(one, Text(""), Text("after"))) == "A\nx\n\nafter\n"
    assert plain(Group(Text("before"), one)) == "before\nA\nx\n"  # and nothing after the last


def test_rich_boxes_and_styles_print_nothing() -> None:
    for kind in (box.HEAVY_HEAD, box.SIMPLE_HEAD, box.ROUNDED, None):
        shown = table("A", "B", box=kind, title="T", style="red", header_style="bold")
        shown.add_row(Text("x", style="green"), "y", style="dim")
        assert plain(shown) == "T\nA  B\nx  y\n"


def test_markup_and_emoji_codes_print_as_written() -> None:
    shown = table("As stated")
    shown.add_row("[bold]more than 300[/bold] :fire:")
    assert plain(Group(shown, "[red]:smile:")) == (
        "As stated\n[bold]more than 300[/bold] :fire:\n\n[red]:smile:\n"
    )


def test_characters_that_act_on_a_terminal_are_printed_as_escapes() -> None:
    shown = table("A", "B", title="\x1b[2Jtitle")
    shown.add_row("a\x1b[31mred\tb", "c\u202ed")
    shown.add_row("e\u3000f\xa0g", "h")  # spaces of other widths are text, not controls
    assert plain(Group(shown, "\x07bell \x1b]0;x\x07")) == (
        "\\x1b[2Jtitle\n"
        "A                B\n"
        "a\\x1b[31mred\\tb  c\\u202ed\n"
        "e\u3000f\xa0g           h\n"
        "\n"
        "\\x07bell \\x1b]0;x\\x07\n"
    )


def test_wide_characters_align_by_the_cells_they_take() -> None:
    shown = table("Name", "N", justify={"N": "right"})
    shown.add_row("北韓軍", "1")  # three characters, six cells
    shown.add_row("abcdefg", "22")
    shown.add_row("é", "333")
    assert plain(shown) == "Name       N\n北韓軍     1\nabcdefg   22\né        333\n"


# --- what it does not know ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "renderable",
    [Panel("boxed"), Group(Text("fine"), Panel("boxed")), 1234, None],
)
def test_an_unknown_renderable_is_a_type_error(renderable: object) -> None:
    with pytest.raises(TypeError, match="no plain layout for"):
        plain(renderable)


def test_an_unknown_cell_is_a_type_error() -> None:
    shown = table("A")
    shown.add_row(Panel("boxed"))
    with pytest.raises(TypeError, match="a table cell of Panel"):
        plain(shown)


def test_a_text_that_does_not_end_its_line_is_refused() -> None:
    with pytest.raises(ValueError, match="ending in ''"):
        plain(Text("no end", end=""))


def test_a_fully_justified_column_is_refused() -> None:
    shown = Table()
    shown.add_column("A", justify="full")
    with pytest.raises(ValueError, match="justified 'full'"):
        plain(shown)


def test_a_column_added_after_the_rows_is_refused() -> None:
    shown = table("A")
    shown.add_row("x")
    shown.add_column("B")  # rich gives it no cells for the rows before it
    with pytest.raises(ValueError, match="column 'B' has 0 cells for 1 rows"):
        plain(shown)


# --- random tables --------------------------------------------------------------------------------

letter = st.one_of(
    st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789 .,;()'\"-~%"),
    st.sampled_from("’“”—–·●○◂▸é"),
    st.sampled_from("中文字北韓軍"),
)
cell = st.text(letter, max_size=60).map(str.strip)


@st.composite
def tables(draw: st.DrawFn) -> tuple[Table, list[list[str]]]:
    """A table of one to six columns and its cells, header first, as text."""
    width = draw(st.integers(1, 6))
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=8))
    headers = draw(st.lists(cell.filter(bool), min_size=width, max_size=width))
    justified = draw(st.lists(st.sampled_from(["left", "right", "center"]), min_size=width, max_size=width))
    shown = Table(box=draw(st.sampled_from([box.SIMPLE_HEAD, box.HEAVY_HEAD, None])))
    for header, justify in zip(headers, justified):
        shown.add_column(header, justify=justify, overflow="fold", max_width=8)  # type: ignore[arg-type]
    for row in rows:
        shown.add_row(*row)
    return shown, [headers, *rows]


def at_cells(line: str, start: int) -> str:
    """What a line holds from its cell `start` on."""
    taken = 0
    for index, character in enumerate(line):
        if taken >= start:
            return line[index:]
        taken += cell_len(character)
    return ""


@settings(max_examples=200, deadline=None)
@given(tables())
def test_every_cell_is_whole_on_its_row_in_its_column(drawn: tuple[Table, list[list[str]]]) -> None:
    # The columns' max_width, the box and the console's width, which rich lays out by, change nothing.
    shown, rows = drawn
    lines = plain(shown).split("\n")
    assert lines.pop() == ""
    assert len(lines) == len(rows)
    widths = [max(cell_len(row[index]) for row in rows) for index in range(len(rows[0]))]
    for line, row in zip(lines, rows):
        assert line == line.rstrip()
        assert not BOX_DRAWING.intersection(line)
        start = 0
        for text, width, column in zip(row, widths, shown.columns):
            # The cell begins where its column does, give or take its justification.
            offset = {"left": 0, "right": width - cell_len(text), "center": (width - cell_len(text)) // 2}
            assert at_cells(line, start + offset[column.justify]).startswith(text)
            start += width + 2


# --- every command on the shipped dataset ---------------------------------------------------------


@pytest.fixture(scope="module")
def dataset(shipped: Path) -> Dataset:
    return load(shipped)


def drawn(dataset: Dataset, shipped: Path) -> dict[str, RenderableType]:
    """Each command's renderable, built as the CLI builds it."""
    everything = Filters()
    check_dataset, lines = load_with_lines(shipped)
    return {
        "show casualties": render.show(analysis.show(dataset, "casualties", everything)),
        "show killed --all": render.show(analysis.show(dataset, "killed", everything, all_claims=True)),
        "show nothing": render.show(analysis.show(dataset, "killed", Filters(until=date(1990, 1, 1)))),
        "timeline casualties": render.timeline(timeline(dataset, "casualties", everything)),
        "diff kr-nis ua-president": render.diff(diff(dataset, "kr-nis", "ua-president", everything)),
        "diff ru-mod ua-general-staff": render.diff(diff(dataset, "ru-mod", "ua-general-staff", everything)),
        **{
            f"estimate killed_or_wounded --method {method.value} --explain": render.estimate(
                estimates(dataset, "killed_or_wounded", everything, Settings(method=method)), explain=True
            )
            for method in Method
        },
        "estimate killed --project": render.estimate(
            estimates(dataset, "killed", everything, Settings(project=True, max_age=60)), explain=True
        ),
        "check": render.check(checks.check(check_dataset, file=shipped, lines=lines)),
        "metrics": render.metrics(analysis.metric_list(dataset)),
        "sources": render.sources(analysis.source_list(dataset)),
    }


def test_every_command_prints_each_row_on_one_line_with_every_cell_whole(
    dataset: Dataset, shipped: Path
) -> None:
    with render.drawing():  # for stdout, which is not a terminal here: the plain strokes
        renderables = drawn(dataset, shipped)
    for name, renderable in renderables.items():
        text = plain(renderable)
        assert text.endswith("\n"), name
        lines = text.split("\n")[:-1]
        assert all(line == line.rstrip() for line in lines), name
        parts = renderable.renderables if isinstance(renderable, Group) else [renderable]
        for part in parts:
            if not isinstance(part, Table):
                continue
            texts = [str(part.title or ""), str(part.caption or "")]
            for column in part.columns:
                for whole in [column.header, *column.cells]:
                    texts.append(whole.plain if isinstance(whole, Text) else str(whole))
                    pieces = [piece for piece in texts[-1].split("\n") if piece.strip()]
                    assert any(" / ".join(pieces) in line for line in lines), (name, texts[-1])
        # Range bars and charts are drawn with -, | and +: no box character, as none is in the data.
        assert not set(text) & BOX_DRAWING, name


def test_show_lists_each_claim_on_a_line_of_its_own(dataset: Dataset) -> None:
    result = analysis.show(dataset, "killed", Filters())
    lines = plain(render.show(result, incidents=True)).split("\n")
    for comparison in result.comparisons:
        for row in comparison.rows:
            matching = [line for line in lines if line.startswith(row.stated + " ")]
            assert any(f"{row.originator} / {', '.join(row.outlets)}" in line for line in matching)


# --- how the CLI chooses ----------------------------------------------------------------------------


def sample() -> Table:
    shown = Table("A", "B", title="T")
    shown.add_row("x", "a longer cell")
    return shown


def test_piped_output_is_plain_whatever_the_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("COLUMNS", "5")
    render.emit(sample())
    assert capsys.readouterr().out == "T\nA  B\nx  a longer cell\n"


def as_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make rich take stdout for a colour terminal 80 columns wide, whatever the environment of the tests."""
    for key in ("NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "80")


def test_a_terminal_gets_rich_and_no_color_gets_plain(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    as_terminal(monkeypatch)
    render.emit(sample())
    drawn = capsys.readouterr().out
    assert "\x1b[" in drawn and "┏" in drawn and "a longer cell" in drawn
    monkeypatch.setenv("NO_COLOR", "1")
    render.emit(sample())
    assert capsys.readouterr().out == "T\nA  B\nx  a longer cell\n"


def test_bars_and_charts_are_ruled_on_a_terminal_and_ascii_when_piped(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, shipped: Path
) -> None:
    result = timeline(load(shipped), "killed", Filters())
    for terminal, strokes in ((False, set("-|+")), (True, set("─├┤┴"))):
        if terminal:
            as_terminal(monkeypatch)
            monkeypatch.setenv("COLUMNS", "200")
        with render.drawing():
            shown = render.timeline(result)
        render.emit(shown)
        out = capsys.readouterr().out
        assert strokes <= set(out), out
        assert bool(set(out) & BOX_DRAWING) is terminal
    # Outside drawing(), ruled: low 10 at column round(10 / 40 * 11) = 3, best 20 at round(5.5) = 6.
    assert render.range_bar(10, 20, None, 40) == "   ───●────▸"


def test_the_console_writes_where_it_is_told(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stderr", out)
    render.console(stderr=True).print("[bold]as written[/bold] :fire:")
    assert out.getvalue() == "[bold]as written[/bold] :fire:\n"


def test_a_terminal_gets_no_escape_sequence_from_the_data(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    as_terminal(monkeypatch)
    shown = Table("A", title="\x1b]0;title\x07")
    shown.add_row("a\x1b[2Jb")
    render.emit(Group(shown, Text("c\u202ed")))
    drawn = capsys.readouterr().out
    assert "a\\x1b[2Jb" in drawn and "\x1b[2J" not in drawn
    assert "\\x1b]0;title" in drawn and "\x1b]0" not in drawn
    assert "c\\u202ed" in drawn and "\u202e" not in drawn
    assert "\x1b[" in drawn  # rich's own styles still reach the terminal
