"""Each output's escaping of text from the dataset, one function at a time, with exact results."""

from __future__ import annotations

import unicodedata

import pytest

from reconcile.output import escape


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("\x1b]52;c;aGk=\x07", "\\x1b]52;c;aGk=\\x07"),
        ("a\nb\tc\rd", "a\\nb\\tc\\rd"),
        ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),
        ("abc\u202edef", "abc\\u202edef"),
        ("\u2066\u2069\u200e\u200f\u061c\u202a", "\\u2066\\u2069\\u200e\\u200f\\u061c\\u202a"),
        ("line\u2028next", "line\\u2028next"),
        ("Ministère [bold] :fire: $x$ C:\\data", "Ministère [bold] :fire: $x$ C:\\data"),
    ],
)
def test_terminal_writes_out_controls_and_leaves_the_rest(text: str, shown: str) -> None:
    assert escape.terminal(text) == shown


def test_visible_keeps_newlines_only_when_asked() -> None:
    assert escape.visible("a\nb\x1b", newlines=True) == "a\nb\\x1b"
    assert escape.visible("a\nb\x1b") == "a\\nb\\x1b"


def test_every_code_point_is_written_out_exactly_when_it_is_not_printable_nor_a_space() -> None:
    hidden = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
    for code in [*range(0x30000), *range(0xE0000, 0xE0080), 0x10FFFF]:
        char = chr(code)
        shown = escape.visible(char)
        if unicodedata.category(char) in hidden:
            assert shown == char.encode("unicode_escape").decode("ascii") != char, hex(code)
        else:
            assert shown == char, hex(code)


def test_the_bidi_controls_and_separators_are_among_the_characters_written_out() -> None:
    for char in [*escape.BIDI_CONTROLS, "\u2028", "\u2029", "\u200b", "\ufeff", "\U000e0041"]:
        assert escape.visible(char).startswith("\\"), hex(ord(char))
    assert escape.visible("\U000e0041") == "\\U000e0041"
    assert escape.visible("no\u00a0break\u3000space") == "no\u00a0break\u3000space"


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("  =1", "'  =1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("-30", "-30"),
        ("-1.5e3", "-1.5e3"),
        ("North = South", "North = South"),
        ("a\nb\x1b", "a\nb\\x1b"),
        ("", ""),
    ],
)
def test_csv_cell_quotes_formulas_and_leaves_numbers(text: str, cell: str) -> None:
    assert escape.csv_cell(text) == cell


def test_a_tab_or_carriage_return_cannot_start_a_csv_cell() -> None:
    assert escape.csv_cell("\t=1") == "\\t=1"
    assert escape.csv_cell("\r=1") == "\\r=1"


def test_markdown_escapes_html_table_syntax_and_links() -> None:
    assert escape.markdown("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escape.markdown("R&D | a\nb") == "R&amp;D \\| a b"
    assert escape.markdown("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert escape.markdown("a\\b \x1b\u202e") == "a\\\\b \\\\x1b\\\\u202e"


def test_latex_escapes_specials_brackets_and_controls() -> None:
    assert escape.latex(r"R&D 50% $5 #2 {x} _ ~ ^ \ <a|b>") == (
        r"R\&D 50\% \$5 \#2 \{x\} \_ \textasciitilde{} \textasciicircum{} \textbackslash{} "
        r"\textless{}a\textbar{}b\textgreater{}"
    )
    assert escape.latex("[3pt] x]") == "{[}3pt{]} x{]}"
    assert escape.latex("a\x1b\u202e\nb") == r"a\textbackslash{}x1b\textbackslash{}u202e b"


def test_html_escapes_markup_quotes_and_controls() -> None:
    assert (
        escape.html("<b onclick=\"x\">'&'</b>")
        == "&lt;b onclick=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/b&gt;"
    )
    assert escape.html("a\nb\x1b\u202e") == "a\nb\\x1b\\u202e"


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("HTTP://example.org", "HTTP://example.org"),
        (" https://example.org ", "https://example.org"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("file:///etc/passwd", None),
        ("vbscript:msgbox", None),
        ("//example.org/x", None),
        ("https:///no-host", None),
        ("https://example.org/\u202e", None),
        ("example.org", None),
        ("https://[bold]/x", None),
    ],
)
def test_only_web_addresses_are_links(url: str, link: str | None) -> None:
    assert escape.link(url) == link


def test_plot_label_writes_out_controls_and_keeps_dollars() -> None:
    assert escape.plot_label("$\\frac{a}{b}$ \x1b_^") == "$\\frac{a}{b}$ \\x1b_^"
