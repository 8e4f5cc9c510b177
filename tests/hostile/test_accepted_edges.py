"""Whatever `validate` accepts, every command handles: datasets at the edges of the format, through every
command and format, with no traceback and only strict JSON; and just past the edges, validation errors.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli.app import app
from reconcile.output.formats import Format, View

runner = CliRunner()

#: YAML escapes (the file itself may not hold C1 controls) for names holding C1 and bidi controls.
HEADER = """\
version: 1
metrics:
  killed: {label: Killed, unit: soldiers}
  wounded: {label: "Wounded \\x85\\x9b2J", unit: soldiers}
groups:
  casualties: [killed, wounded]
subjects:
  troops: {name: "Troops \\u202e\\x9d0;x\\x9c"}
sources:
  ministry: {name: Ministry, kind: military, party: true}
  analysts: {name: Analysts, kind: analyst, party: false}
documents:
  doc: {file: doc.txt, outlet: Daily, title: Losses, published: 1900-01-01}
claims:
"""

DOCUMENT = "up to 1 million million were killed; none were wounded; about 3 were killed.\n"


def claim(ident: str, metric: str, value: str, date: str, source: str, quote: str, scope: str) -> str:
    return textwrap.indent(
        textwrap.dedent(f"""\
        - id: {ident}
          metric: {metric}
          subject: troops
          value: {value}
          scope: {scope}
          date: {date}
          source: {source}
          citations:
            - {{document: doc, quote: "{quote}"}}
        """),
        "  ",
    )


#: Datasets validate accepts, each at an edge: the largest figures and the earliest dates allowed,
#: zero, a span of a century, one claim alone.
EDGES: dict[str, str] = {
    "largest_figures": (
        claim(
            "a",
            "killed",
            "{stated: up to 1 million million}",
            "1900-01-01",
            "ministry",
            "up to 1 million million",
            "{kind: cumulative}",
        )
        + claim(
            "b",
            "killed",
            "{stated: up to 1 million million, low: 0, best: 1000000000000000, high: 1000000000000000}",
            "2020-01-01",
            "analysts",
            "up to 1 million million",
            "{kind: cumulative}",
        )
    ),
    "earliest_dates": (
        claim(
            "a",
            "killed",
            "{stated: about 3}",
            "1900-01-01",
            "ministry",
            "about 3",
            "{kind: period, start: 1900-01-01, end: 1900-01-01}",
        )
        + claim(
            "b",
            "killed",
            "{stated: about 3}",
            "2025-06-01",
            "analysts",
            "about 3",
            "{kind: period, start: 1900-01-01, end: 2025-06-01}",
        )
        + claim(
            "c",
            "wounded",
            "{stated: none, best: 0}",
            "1900-01-02",
            "ministry",
            "none",
            "{kind: incident, on: 1900-01-01}",
        )
    ),
    "zero_and_tiny": (
        claim(
            "a",
            "killed",
            "{stated: about 3, low: 0, best: 0.000001, high: 0.000002}",
            "2025-01-01",
            "ministry",
            "about 3",
            "{kind: cumulative}",
        )
        + claim(
            "b", "wounded", "{stated: none, best: 0}", "2025-01-02", "analysts", "none", "{kind: cumulative}"
        )
    ),
}

# Controls and bidi controls from the data, which strict JSON allows raw but a terminal would run.
RAW = tuple("\x85\x9b\x9c\x9d\u202e")


def commands(out: Path) -> list[list[str]]:
    """Every command, with --json where it has it and every export format and view."""
    listed: list[list[str]] = [
        ["validate"],
        ["validate", "--json"],
        ["metrics"],
        ["metrics", "--json"],
        ["sources"],
        ["sources", "--json"],
        ["check"],
        ["check", "--json"],
        ["schema"],
    ]
    for query in ("killed", "casualties"):
        listed += [
            ["show", query],
            ["show", query, "--json"],
            ["timeline", query],
            ["timeline", query, "--json"],
            ["estimate", query],
            ["estimate", query, "--json"],
            ["estimate", query, "--method", "envelope", "--json"],
            ["estimate", query, "--method", "conservative"],
            ["estimate", query, "--method", "weighted"],
            ["plot", query, "-o", str(out / f"{query}.svg"), "--json"],
            ["plot", query, "-o", str(out / f"{query}.png")],
        ]
    listed += [
        ["diff", "ministry", "analysts"],
        ["diff", "ministry", "analysts", "--json"],
        ["report", "-o", str(out / "report.html"), "--json"],
    ]
    for fmt in Format:
        for view in View:
            listed.append(["export", "--format", fmt.value, "--view", view.value])
    return listed


def strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise AssertionError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
@pytest.mark.parametrize("edge", sorted(EDGES))
def test_every_command_handles_what_validate_accepts(edge: str, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    (tmp_path / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    path = tmp_path / "estimates.yaml"
    path.write_text(HEADER + EDGES[edge], encoding="utf-8")
    valid = runner.invoke(app, ["validate", str(path)])
    assert valid.exit_code == 0, valid.output
    for args in commands(tmp_path):
        result = runner.invoke(app, ["--data", str(path), *args], env={"NO_COLOR": "1", "COLUMNS": "200"})
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        assert result.exit_code == 0, (args, result.output)
        for text in (result.stdout, result.stderr):
            assert "Traceback" not in text
            found = [c for c in RAW if c in text]
            assert not found, (args, found, text)
        if "--json" in args or args[-1] == "json" or args[0] == "schema":
            strict_json(result.stdout)


def test_json_escapes_controls_and_bidi_controls_from_the_data(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    path = tmp_path / "estimates.yaml"
    path.write_text(HEADER + EDGES["zero_and_tiny"], encoding="utf-8")
    shown = runner.invoke(app, ["--data", str(path), "show", "casualties", "--json"])
    assert shown.exit_code == 0, shown.output
    assert r"Troops \u202e\u009d0;x\u009c" in shown.stdout
    assert r"Wounded \u0085\u009b2J" in shown.stdout
    data = strict_json(shown.stdout)
    assert "Troops \u202e\x9d0;x\x9c" in json.dumps(data, ensure_ascii=False)


Write = Callable[[str], Path]


@pytest.mark.parametrize(
    ("value", "date", "expected"),
    [
        (
            "{stated: about 3, best: 1.7e+308}",
            "2025-01-01",
            ":4:36: claims[0].value.best: must be at most 1,000,000,000,000,000, not 1.7e+308",
        ),
        (
            "{stated: about 3, low: 1000000000000001}",
            "2025-01-01",
            ":4:35: claims[0].value.low: must be at most 1,000,000,000,000,000, not 1000000000000001",
        ),
        (
            "{stated: about 3, best: .inf}",
            "2025-01-01",
            ":4:36: claims[0].value.best: must be a number, not '.inf'",
        ),
        (
            "{stated: '" + "9" * 400 + "'}",
            "2025-01-01",
            (
                ":4:21: claims[0].value.stated: cannot read '99999999999999999999999999999999999999999999999999999999...: "
                "states a figure larger than 1,000,000,000,000,000"
            ),
        ),
        (
            "{stated: about 3}",
            "0001-01-01",
            ":6:11: claims[0].date: must be between 1900-01-01 and 2100-12-31, not 0001-01-01",
        ),
        (
            "{stated: about 3}",
            "1899-12-31",
            ":6:11: claims[0].date: must be between 1900-01-01 and 2100-12-31, not 1899-12-31",
        ),
        (
            "{stated: about 3}",
            "9999-12-31",
            ":6:11: claims[0].date: must be between 1900-01-01 and 2100-12-31, not 9999-12-31",
        ),
    ],
)
def test_figures_and_dates_past_the_edges_are_validation_errors(
    tmp_path: Path, value: str, date: str, expected: str
) -> None:
    (tmp_path / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    path = tmp_path / "estimates.yaml"
    body = claim("a", "killed", value, date, "ministry", "about 3", "{kind: cumulative}")
    path.write_text(HEADER + body, encoding="utf-8")
    lines = len(HEADER.splitlines())
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    line, rest = expected[1:].split(":", 1)
    assert f"{path}:{lines + int(line)}:{rest}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
