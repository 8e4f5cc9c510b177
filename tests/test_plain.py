"""The plain renderer against rich itself: random tables and text, every renderer of the CLI, and what it refuses."""

from __future__ import annotations

import io
from datetime import date
from enum import StrEnum
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console, Group, JustifyMethod, OverflowMethod, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from reconcile.analysis import compare as analysis
from reconcile.analysis import consistency as checks
from reconcile.analysis.compare import Filters
from reconcile.analysis.diff import diff
from reconcile.analysis.estimate import Method, Settings, estimates
from reconcile.analysis.timeline import timeline
from reconcile.io.load import load, load_with_lines
from reconcile.model.dataset import Dataset
from reconcile.output import terminal as render
from reconcile.output.plain import Unsupported
from reconcile.output.plain import render as plain


def rich_output(renderable: RenderableType, width: int, *, emoji: bool = False) -> str:
    """What the CLI's console (emoji off) prints when stdout is not a terminal."""
    out = io.StringIO()
    Console(
        file=out,
        width=width,
        highlight=False,
        soft_wrap=False,
        markup=False,
        emoji=emoji,
        color_system=None,
        force_terminal=False,
    ).print(renderable)
    return out.getvalue()


# --- random tables and text -----------------------------------------------------------------------

# The characters of the data: ASCII, typographic punctuation, the bars' and charts' marks, and a few
# characters two cells wide (CJK, an emoji code that rich replaces); spaces other than the space.
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;!?()[]/'\"-+%~<>=#@&*_$"
TYPOGRAPHIC = "’“”—–·●○◂▸─├┤┴…é"
WIDE = "中文字北韓軍\u3000"  # \u3000 is an ideographic space, whitespace two cells wide

letter = st.one_of(
    st.sampled_from(LETTERS),
    st.sampled_from(LETTERS),
    st.sampled_from(LETTERS),
    st.sampled_from(TYPOGRAPHIC),
    st.sampled_from(WIDE),
)
word = st.one_of(
    st.text(letter, min_size=1, max_size=6),
    st.text(letter, min_size=1, max_size=14),
    st.text(letter, min_size=15, max_size=45),  # longer than many columns
    st.just(":smile:"),
)
separator = st.sampled_from(
    [" ", " ", " ", "  ", "   ", "\n", " \n", "\n ", "\n\n", ", ", "\xa0", " \u3000 "]
)


@st.composite
def phrase(draw: st.DrawFn, max_words: int = 8) -> str:
    words = draw(st.lists(word, max_size=max_words))
    text = ""
    for i, w in enumerate(words):
        text += (draw(separator) if i else "") + w
    lead = draw(st.sampled_from(["", "", "", " ", "  ", "\n"]))
    trail = draw(st.sampled_from(["", "", "", " ", "   ", "\n"]))
    return lead + text + trail


JUSTIFY: st.SearchStrategy[JustifyMethod | None] = st.sampled_from(
    [None, None, None, "default", "left", "right", "center"]
)
OVERFLOW: st.SearchStrategy[OverflowMethod | None] = st.sampled_from([None, None, "fold", "crop", "ellipsis"])


@st.composite
def text(draw: st.DrawFn, *, attributes: bool = True, end: bool = False) -> Text:
    """A Text as render.py builds them: a styled start, perhaps a dim second line appended."""
    result = Text(draw(phrase()), style=draw(st.sampled_from(["", "bold", "cyan"])))
    if draw(st.booleans()):
        result.append("\n" + draw(phrase(4)), style="dim")
    if draw(st.booleans()):
        result.append(draw(phrase(3)))
    if attributes:
        result.justify = draw(JUSTIFY)
        result.overflow = draw(OVERFLOW)
        result.no_wrap = draw(st.sampled_from([None, None, True, False]))
    if end:
        result.end = draw(st.sampled_from(["\n", "\n", "\n", "", " ", "\n\n"]))
    return result


cell = st.one_of(phrase(), phrase(2), text(), st.just(""), st.none())


PADDING: st.SearchStrategy[dict[str, object]] = st.sampled_from(
    [
        {"padding": (0, 1, 0, 0)},
        {"padding": (0, 1, 0, 0)},
        {},
        {"padding": (0, 0, 0, 0)},
        {"padding": (0, 2, 0, 1)},
    ]
)


@st.composite
def column(draw: st.DrawFn, table: Table) -> None:
    table.add_column(
        draw(st.one_of(phrase(3), phrase(1), st.just(""), text(attributes=False))),
        justify=draw(st.sampled_from(["left", "left", "right", "center"])),
        overflow=draw(st.sampled_from(["fold", "fold", "ellipsis", "crop"])),
        no_wrap=draw(st.booleans()),
        min_width=draw(st.one_of(st.none(), st.integers(0, 24))),
        max_width=draw(st.one_of(st.none(), st.none(), st.integers(1, 40))),
    )


@st.composite
def table(draw: st.DrawFn) -> Table:
    """A Table with the options render.py uses, in any combination."""
    result = Table(
        title=draw(st.one_of(st.none(), phrase(6), text(end=True))),
        caption=draw(st.one_of(st.none(), st.none(), phrase(8))),
        title_justify=draw(st.sampled_from(["left", "left", "center", "right"])),
        caption_justify=draw(st.sampled_from(["left", "left", "center", "right"])),
        box=draw(st.sampled_from([box.SIMPLE_HEAD, box.SIMPLE_HEAD, box.HEAVY_HEAD, None])),
        pad_edge=draw(st.booleans()),
        show_edge=draw(st.sampled_from([True, True, False])),
        show_header=draw(st.sampled_from([True, True, True, False])),
        **draw(PADDING),  # type: ignore[arg-type]
    )
    for _ in range(draw(st.integers(1, 8))):
        draw(column(result))
    for _ in range(draw(st.integers(0, 6))):
        # Short rows are filled with blank cells; a longer one adds a column without a header.
        cells = draw(st.lists(cell, min_size=len(result.columns) - 1, max_size=len(result.columns) + 1))
        result.add_row(*cells, style=draw(st.sampled_from([None, "dim"])))
    if draw(st.integers(0, 9)) == 0:
        draw(column(result))  # a column added last has fewer cells, which cuts the rows short
    return result


@st.composite
def group(draw: st.DrawFn) -> Group:
    """What the CLI prints: Text and Tables one under the other, perhaps a Group inside."""
    part = st.one_of(table(), text(end=True), text(end=True), phrase(), st.just(Text("")))
    parts: list[RenderableType] = draw(st.lists(part, min_size=1, max_size=4))
    if draw(st.booleans()):
        parts.append(Group(*draw(st.lists(part, min_size=1, max_size=2))))
    return Group(*parts)


WIDTH = st.integers(20, 140)
EMOJI = st.booleans()
DIFFERENTIAL = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@DIFFERENTIAL
@given(table(), WIDTH, EMOJI)
def test_tables_print_as_rich_prints_them(table: Table, width: int, emoji: bool) -> None:
    assert plain(table, width, emoji=emoji) == rich_output(table, width, emoji=emoji)


@DIFFERENTIAL
@given(group(), WIDTH, EMOJI)
def test_groups_print_as_rich_prints_them(group: Group, width: int, emoji: bool) -> None:
    assert plain(group, width, emoji=emoji) == rich_output(group, width, emoji=emoji)


@DIFFERENTIAL
@given(st.one_of(text(end=True), phrase(20)), WIDTH, EMOJI)
def test_loose_text_prints_as_rich_prints_it(text: Text | str, width: int, emoji: bool) -> None:
    assert plain(text, width, emoji=emoji) == rich_output(text, width, emoji=emoji)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group(), st.integers(1, 19))
def test_narrow_consoles_crop_as_rich_does(group: Group, width: int) -> None:
    assert plain(group, width) == rich_output(group, width)


def test_emoji_codes_in_strings_are_replaced_only_with_emoji_on() -> None:
    assert plain(":fire: and :smile:", 80) == ":fire: and :smile:\n"
    assert plain(":fire: and :smile:", 80, emoji=True) == "\U0001f525 and \U0001f604\n"
    assert plain(Text(":smile:"), 80, emoji=True) == ":smile:\n"  # Text is never replaced


def test_a_table_without_columns_is_a_blank_line() -> None:
    assert plain(Table(title="Nothing"), 80) == rich_output(Table(title="Nothing"), 80) == "\n"


class Kind(StrEnum):
    state = "state :smile: media"


def test_strings_of_a_str_subclass_print_as_their_value() -> None:
    table = Table(Kind.state, "B")
    table.add_row(Kind.state, Text(Kind.state))
    shown = Group(Kind.state, table)
    for emoji in (False, True):
        assert plain(shown, 30, emoji=emoji) == rich_output(shown, 30, emoji=emoji)
        assert plain(Kind.state, 30, emoji=emoji) == rich_output(Kind.state, 30, emoji=emoji)


def test_text_lines_are_not_padded_but_keep_the_space_they_wrap_at() -> None:
    # Table lines fill the table's width; loose text lines keep the whitespace before each break.
    assert plain(Text("hello world foo"), 8) == "hello \nworld \nfoo\n"
    assert plain(Text("ab  "), 80) == "ab  \n"
    lone = Table(
        "A", title="T", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0)
    )
    lone.add_row("x")
    assert plain(lone, 80) == "T  \n   \n A \n ─ \n x \n   \n"


# --- the CLI's renderers on the shipped dataset ---------------------------------------------------


@pytest.fixture(scope="module")
def dataset(shipped: Path) -> Dataset:
    return load(shipped)


def drawn(dataset: Dataset, shipped: Path) -> dict[str, RenderableType]:
    """Each command's renderable, built as cli.py builds it."""
    everything = Filters()
    check_dataset, lines = load_with_lines(shipped)
    return {
        "show casualties": render.show(analysis.show(dataset, "casualties", everything)),
        "show killed": render.show(analysis.show(dataset, "killed", everything)),
        "show killed --all": render.show(analysis.show(dataset, "killed", everything, all_claims=True)),
        "show nothing": render.show(analysis.show(dataset, "killed", Filters(until=date(1990, 1, 1)))),
        "timeline casualties": render.timeline(timeline(dataset, "casualties", everything)),
        "diff kr-nis ua-president": render.diff(diff(dataset, "kr-nis", "ua-president", everything)),
        "diff ru-mod ua-general-staff": render.diff(diff(dataset, "ru-mod", "ua-general-staff", everything)),
        "estimate casualties": render.estimate(estimates(dataset, "casualties", everything, Settings())),
        "estimate casualties --explain": render.estimate(
            estimates(dataset, "casualties", everything, Settings()), explain=True
        ),
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


@pytest.mark.parametrize("width", [80, 120])
def test_every_command_prints_as_rich_prints_it(dataset: Dataset, shipped: Path, width: int) -> None:
    renderables = drawn(dataset, shipped)
    for name, renderable in renderables.items():
        assert plain(renderable, width) == rich_output(renderable, width), name


# --- what it refuses ------------------------------------------------------------------------------


def simple_table(**options: object) -> Table:
    result = Table(**options)  # type: ignore[arg-type]
    result.add_column("A")
    result.add_row("x")
    return result


def with_row(table: Table, *cells: RenderableType, end_section: bool = False) -> Table:
    table.add_row(*cells, end_section=end_section)
    return table


@pytest.mark.parametrize(
    "renderable",
    [
        Panel("boxed"),
        Padding("indented", (0, 4)),
        Group(Text("fine"), Panel("boxed")),
        simple_table(show_lines=True),
        simple_table(box=box.ROUNDED),
        simple_table(show_footer=True),
        simple_table(expand=True),
        simple_table(width=40),
        simple_table(min_width=40),
        simple_table(leading=1),
        simple_table(collapse_padding=True),
        simple_table(padding=(1, 1)),
        with_row(simple_table(), "y", end_section=True),
        with_row(simple_table(), simple_table()),
        with_row(simple_table(), Text("justified", justify="full")),
        with_row(simple_table(), Text("cell", end="")),
        with_row(simple_table(), "a\ttab"),
        Group(Text("full", justify="full")),
        Group(Text("ignored", overflow="ignore")),
        Text("a zero\u200dwidth joiner"),
        Text("a combining accent e\u0301"),
        "carriage\rreturn",
        1234,
    ],
)
def test_unsupported_features_are_refused(renderable: object) -> None:
    with pytest.raises(Unsupported):
        plain(renderable, 80)


def test_a_fixed_width_or_ratio_column_is_refused() -> None:
    fixed = Table()
    fixed.add_column("A", width=10)
    ratio = Table()
    ratio.add_column("A", ratio=2)
    middle = Table()
    middle.add_column("A", vertical="middle")
    for table in (fixed, ratio, middle):
        with pytest.raises(Unsupported):
            plain(table, 80)


# --- how the CLI chooses ----------------------------------------------------------------------------


def test_piped_output_is_printed_by_plain(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconcile.output import plain as module

    calls: list[int] = []
    original = module.render

    def counted(renderable: object, width: int, *, emoji: bool = False) -> str:
        calls.append(width)
        return original(renderable, width, emoji=emoji)

    monkeypatch.setattr(module, "render", counted)
    monkeypatch.delenv("COLUMNS", raising=False)
    table = Table("A", "B", title="T")
    table.add_row("x", "a longer cell")
    render.emit(table)
    assert calls == [80]
    assert capsys.readouterr().out == rich_output(table, 80)


def test_what_plain_refuses_is_printed_by_rich(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    panel = Group(Text("before"), Panel("inside"))
    render.emit(panel)
    assert capsys.readouterr().out == rich_output(panel, 80)
