"""Making text from a dataset safe to print in each output: nothing in it may act as a command.

Names, quotes, ids and notes come from files anyone can write, and from spreadsheets anyone can
send. Each output has its own way of running text: a terminal runs escape sequences, a spreadsheet
runs formulas, a Markdown viewer runs HTML, LaTeX runs macros, a browser follows links. One
function per output turns data text into text that output prints as written.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

#: Characters that change the order in which the text around them is drawn: a name can make a
#: figure beside it read backwards ("Trojan Source"). Each is a format character, so `visible`
#: writes it out; named here for the tests and for readers.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def _shown(char: str) -> str:
    # Spaces other than " " (no-break, ideographic) show as spaces: they are printable in all but name.
    if char.isprintable() or unicodedata.category(char) == "Zs":
        return char
    return char.encode("unicode_escape").decode("ascii")


def visible(text: str, *, newlines: bool = False) -> str:
    """The text with every character that is neither printable nor a space written as its Python escape.

    That is the C0 and C1 controls and DEL (\\x1b, \\t, \\n), the format characters, among them
    the bidi controls and zero-width ones (\\u202e), line and paragraph separators, surrogates,
    private-use and unassigned code points. With `newlines` a newline stays a line break, for
    places where a value may span lines.
    """
    if text.isprintable():
        return text  # the common case, at the cost of one pass in C
    if newlines:
        return "\n".join(visible(line) for line in text.split("\n"))
    return "".join(_shown(char) for char in text)


def terminal(text: str) -> str:
    """Data text for a terminal, plain output or a message on stderr: one line, nothing that acts.

    Rich markup and emoji codes need nothing here: every console is made with markup and emoji
    off, so "[bold]" and ":fire:" already print as written.
    """
    return visible(text)


# OWASP's list, with the full-width forms some spreadsheets read as the same operators.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def csv_cell(text: str) -> str:
    """A text cell a spreadsheet shows and does not run: a formula start gets a leading `'`.

    Newlines stay (a CSV cell may span lines, quoted); other control characters are written out. A
    cell that is a plain number ("-30") is left as it is: a spreadsheet reads it as that number.
    """
    cell = visible(text, newlines=True)
    if _NUMBER.fullmatch(cell):
        return cell
    # Spreadsheets differ on leading blanks; a formula after them is quoted all the same.
    first = cell.lstrip(" ")[:1]
    return "'" + cell if first and first in FORMULA_STARTS else cell


_MARKDOWN_SPECIAL = {"\\": "\\\\", "|": "\\|", "[": "\\[", "]": "\\]", "<": "&lt;", ">": "&gt;", "&": "&amp;"}
_MARKDOWN_PATTERN = re.compile("|".join(re.escape(k) for k in _MARKDOWN_SPECIAL))


def markdown(text: str) -> str:
    """Text for a cell of a Markdown pipe table, printed as written.

    HTML is escaped (a renderer would run "<script>"), `|` escaped and line breaks made spaces (they
    would end the cell or the row), and brackets escaped, so no "[text](javascript:...)" becomes a link.
    """
    return _MARKDOWN_PATTERN.sub(lambda m: _MARKDOWN_SPECIAL[m[0]], visible(" ".join(text.split())))


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    # A cell that starts with "[" right after "\\" or "\midrule" would be read as their optional
    # argument, a length: braces end that.
    "[": "{[}",
    "]": "{]}",
}
_LATEX_PATTERN = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIAL))


def latex(text: str) -> str:
    """Text that LaTeX prints as it reads: specials escaped, control characters written out, one line."""
    return _LATEX_PATTERN.sub(lambda m: _LATEX_SPECIAL[m[0]], visible(" ".join(text.split())))


def html(text: str) -> str:
    """Text for an HTML element or a quoted attribute: markup escaped, control and bidi characters written out."""
    import html as _html  # only the report and the HTML export need it

    return _html.escape(visible(text, newlines=True))


def link(url: str) -> str | None:
    """The URL if a page may link to it (http or https, with a host); None for javascript:, data: and the rest."""
    if _unsafe_in_url(url):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "https://[bold]" is no address at all: a bracketed host must be IPv6
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _unsafe_in_url(url: str) -> bool:
    # Browsers drop tabs and newlines inside a URL, so "java\tscript:" would run: refuse any of them.
    return any(not c.isprintable() or c.isspace() for c in url.strip())


def plot_label(text: str) -> str:
    """Data text for a chart label: control characters written out (mathtext is off for every chart)."""
    return visible(text)
