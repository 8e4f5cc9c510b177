"""Arbitrary text in every text field of a dataset, through every output: none of it acts as a command.

Names, quotes, outlets, notes, titles and URLs are drawn from all of Unicode, weighted towards
what attacks an output: every C0 and C1 control, DEL, the bidi controls, terminal escape
sequences, rich markup and emoji codes, HTML, formula starts, TeX specials and mathtext. Each
export format (walked from the Format enum, so a new format needs a check here), each terminal
command, the report and the chart are made from it and checked for what would run.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reconcile.analysis.chart import chart
from reconcile.analysis.compare import Filters
from reconcile.cli.app import app
from reconcile.io.load import load
from reconcile.model.dataset import Dataset
from reconcile.output import export, report
from reconcile.output.formats import Format, View

PIECES = [
    *(chr(c) for c in range(0x20)),
    *(chr(c) for c in range(0x7F, 0xA0)),
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029",
    "\x1b[2J",
    "\x1b]52;c;aGk=\x07",
    "\x1b]8;;https://example.org\x1b\\",
    "\x9b31m",
    "[bold]",
    "[/]",
    "[link=https://example.org]x[/link]",
    ":fire:",
    "<script>alert(1)</script>",
    "</td></tr>",
    '" onmouseover="x',
    "&amp;",
    "$",
    "$x^2$",
    "$\\frac{a}{b}",
    "$\\undefined$",
    "$^$",
    "\\",
    "_",
    "^",
    "=",
    "=cmd|' /C calc'!A0",
    "+",
    "-",
    "@",
    "\uff1d",
    "|",
    "[x](javascript:alert(1))",
    "javascript:alert(1)",
    "data:text/html,x",
    "{",
    "}",
    "%",
    "#",
    "~",
    "[3pt]",
    "\u200b\ufeff\U000e0041",
]

hostile = (
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(st.characters(exclude_categories=["Cs"]), max_size=6)),
        min_size=1,
        max_size=5,
    )
    .map("".join)
    .filter(lambda s: bool(s.strip()))
)

FIELDS = (
    "label",
    "unit",
    "description",
    "subject",
    "source_a",
    "source_b",
    "short",
    "source_notes",
    "outlet",
    "title",
    "url",
    "stated",
    "relay",
    "place",
    "since",
    "period",
    "notes",
    "quote",
)
texts = st.fixed_dictionaries({name: hostile for name in FIELDS}).map(
    lambda t: t | {"short": t["short"][:24]}
)
# The URL is the one field where the scheme matters: draw it from the schemes that must not link too.
urls = st.tuples(
    st.sampled_from(["https://", "http://", "javascript:", "data:", "file://", " JavaScript:"]), hostile
)


def yaml_text(text: str) -> str:
    """A YAML double-quoted scalar that reads back as `text`, whatever it holds."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


# Every bound of a claim whose stated text is drawn is given: a drawn text that reads as a number
# (such as "0") would otherwise set the missing one, and could make the claim rightly invalid.
TEMPLATE = """\
version: 1
metrics:
  killed: {{label: {label}, unit: {unit}, description: {description}}}
subjects:
  troops: {{name: {subject}}}
sources:
  a: {{name: {source_a}, short: {short}, kind: military, party: true, notes: {source_notes}}}
  b: {{name: {source_b}, kind: analyst, party: false}}
documents:
  doc: {{outlet: {outlet}, title: {title}, published: 2025-01-10, url: {url}}}
claims:
  - id: a-killed
    metric: killed
    subject: troops
    place: {place}
    value: {{stated: {stated}, low: 100, best: 300, high: 400}}
    scope: {{kind: cumulative, since: {since}}}
    date: 2025-01-06
    source: a
    relay: [{relay}]
    notes: {notes}
    citations:
      - {{document: doc, quote: {quote}}}
  - id: b-killed
    metric: killed
    subject: troops
    value: {{stated: about 400}}
    scope: {{kind: cumulative}}
    date: 2025-01-07
    source: b
    citations:
      - {{document: doc, quote: {quote}}}
  - id: b-killed-week
    metric: killed
    subject: troops
    value: {{stated: {stated}, low: 40, best: 50, high: 60}}
    scope: {{kind: period, start: 2025-01-01, end: 2025-01-05, description: {period}}}
    date: 2025-01-06
    source: b
    citations:
      - {{document: doc, quote: {quote}}}
  - id: b-killed-early
    metric: killed
    subject: troops
    value: {{stated: about 500}}
    scope: {{kind: cumulative}}
    date: 2025-01-02
    source: b
    citations:
      - {{document: doc, quote: {quote}}}
"""


def dataset_file(folder: Path, texts: dict[str, str]) -> Path:
    path = folder / "estimates.yaml"
    path.write_text(TEMPLATE.format(**{k: yaml_text(v) for k, v in texts.items()}), encoding="utf-8")
    return path


@pytest.fixture
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


# --- what may not appear ----------------------------------------------------------------------------

# Controls, bidi controls, separators, and the zero-width and tag characters that hide text.
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\u2028\u2029\ufeff"
    "\U000e0000-\U000e007f]"
)
SGR = re.compile("\x1b\\[[0-9;]*m")  # rich's own colours, on a terminal
FORMULA = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def assert_inert_lines(text: str) -> None:
    """No control, bidi or separator character but the newlines between lines."""
    found = UNSAFE.search(text.replace("\r\n", "\n"))
    assert found is None, f"raw {found[0]!r} in {text!r}"


def check_csv(text: str, table: export.ExportTable) -> None:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    columns = [c for c in table.columns if c.place is not export.Place.people]
    assert rows[0] == [c.key for c in columns]
    assert len(rows) == len(table.rows) + 1
    for row in rows[1:]:
        assert len(row) == len(columns)
        for column, cell in zip(columns, row):
            assert UNSAFE.search(cell) is None, cell
            if column.numeric:
                assert cell == "" or NUMBER.fullmatch(cell), cell
            elif not NUMBER.fullmatch(cell):
                assert not cell.lstrip(" ").startswith(FORMULA), cell


def check_markdown(text: str, table: export.ExportTable) -> None:
    assert "<" not in text
    assert_inert_lines(text)
    tables = [
        list(group)
        for pipe, group in groupby(text.splitlines(), key=lambda line: line.startswith("|"))
        if pipe
    ]
    assert sum(len(lines) - 2 for lines in tables) == len(table.rows)

    def pipes(line: str) -> int:
        return len(re.findall(r"(?<!\\)\|", re.sub(r"\\\\", "", line)))

    for lines in tables:
        # Outside escapes, each row has exactly the pipes of its table's header.
        assert all(pipes(line) == lines[0].count("|") for line in lines), lines
    assert "](" not in re.sub(r"\\.", "", text)  # no unescaped link syntax


def check_latex(text: str, table: export.ExportTable) -> None:
    assert_inert_lines(text)
    lines = text.splitlines()
    body = [
        line
        for line in lines[lines.index(r"\endfoot") + 1 :]
        if not line.startswith((r"\multicolumn", r"\addlinespace", r"\end"))
    ]
    assert len(body) == len(table.rows)
    shown = [c for c in table.columns if c.place in (export.Place.table, export.Place.people)]
    for line in body:
        bare = re.sub(r"\\.", "", line.removesuffix(" \\\\"))
        assert bare.count("&") == len(shown) - 1, line
        assert "$" not in bare and "%" not in bare and "#" not in bare and "[" not in bare.replace("{[}", "")
        assert bare.count("{") == bare.count("}"), line


class Tags(html.parser.HTMLParser):
    """The tags and attributes of a page, to see what its text made of it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs


def parsed(text: str) -> Tags:
    tags = Tags()
    tags.feed(text)
    tags.close()
    return tags


def check_html(text: str, table: export.ExportTable) -> None:
    tags = parsed(text)
    assert set(tags.tags) <= {"table", "caption", "thead", "tbody", "tr", "th", "td"}
    assert tags.tags.count("tr") == len(table.rows) + 1
    assert {name for name, _ in tags.attributes} <= {"scope", "class"}
    assert_inert_lines(text)


def no_constants(name: str) -> None:
    raise ValueError(f"not strict JSON: {name}")


def lists(data: object) -> object:
    """The data as JSON reads it back: tuples as lists."""
    if isinstance(data, dict):
        return {key: lists(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [lists(value) for value in data]
    return data


def check_json(text: str, table: export.ExportTable) -> None:
    assert json.loads(text, parse_constant=no_constants) == lists(table.records)


CHECKS: dict[Format, Callable[[str, export.ExportTable], None]] = {
    Format.csv: check_csv,
    Format.markdown: check_markdown,
    Format.latex: check_latex,
    Format.html: check_html,
    Format.json: check_json,
}


def test_every_export_format_is_checked() -> None:
    assert set(CHECKS) == set(Format)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=texts, url=urls)
def test_every_export_format_keeps_data_text_inert(
    folder: Path, texts: dict[str, str], url: tuple[str, str]
) -> None:
    dataset = load(dataset_file(folder, texts | {"url": "".join(url)}))
    for view in View:
        table = export.export(dataset, view, Filters())
        assert table.rows
        for fmt in Format:
            CHECKS[fmt](export.render(table, fmt), table)


runner = CliRunner()

COMMANDS = (
    ["show", "killed"],
    ["show", "killed", "--all", "--incidents"],
    ["summary"],
    ["metrics"],
    ["sources"],
    ["estimate", "killed", "--explain"],
    ["timeline", "killed"],
    ["diff", "a", "b"],
    ["check"],
    ["validate"],
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=texts)
def test_terminal_output_and_messages_never_carry_a_control_character(
    folder: Path, texts: dict[str, str]
) -> None:
    path = dataset_file(folder, texts)
    for colour in ({"NO_COLOR": "1", "FORCE_COLOR": None}, {"FORCE_COLOR": "1", "NO_COLOR": None}):
        for command in COMMANDS:
            result = runner.invoke(app, ["--data", str(path), *command], env={"COLUMNS": "80", **colour})
            assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
            assert_inert_lines(SGR.sub("", result.stdout))
            assert_inert_lines(result.stderr)


def test_the_terminal_commands_checked_are_every_command_that_prints_a_dataset() -> None:
    # Commands that write files (export, plot, report, schema, import) are checked on their own.
    names = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback is not None}
    # changes compares two datasets: tests/test_changes.py checks its escaping; init prints no data
    assert names - {c[0] for c in COMMANDS} == {
        "export",
        "plot",
        "report",
        "schema",
        "import",
        "changes",
        "init",
    }


def dataset_of(folder: Path, texts: dict[str, str], url: tuple[str, str]) -> Dataset:
    return load(dataset_file(folder, texts | {"url": "".join(url)}))


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # drawn as boxes: harmless
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=texts, url=urls)
def test_the_report_and_its_charts_link_only_to_the_web_and_run_nothing(
    folder: Path, texts: dict[str, str], url: tuple[str, str]
) -> None:
    pytest.importorskip("matplotlib")
    from reconcile.output import plot

    dataset = dataset_of(folder, texts, url)
    page = report.to_html(report.build(dataset, ["killed"], Filters()), plot.inline_svg)
    tags = parsed(page)
    assert "script" not in tags.tags
    links = [value for name, value in tags.attributes if name == "href"]
    assert all(link is not None and (link.startswith(("https://", "http://", "#"))) for link in links), links
    assert not [name for name, _ in tags.attributes if name.startswith("on")]
    assert plot.render(chart(dataset, "killed", Filters()), plot.ImageFormat.png).startswith(b"\x89PNG")
