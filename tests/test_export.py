"""`reconcile export`: one renderer per format, golden files, escaping, atomic writing, closed pipes.

The golden files under tests/golden/ are the exports of the `awkward_dataset` fixture. After a
deliberate change to a format, regenerate them and review the diff:

    UPDATE_GOLDEN=1 python -m pytest tests/test_export.py
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import msgspec.structs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import reconcile
from reconcile.analysis.claims import Filters
from reconcile.cli.app import app
from reconcile.errors import OutputError
from reconcile.io import atomic
from reconcile.io.load import load
from reconcile.model.dataset import Citation, Claim, Cumulative, Dataset, Incident, Interval, Period, Value
from reconcile.model.terms import Precision, number, raw
from reconcile.output.export import (
    DATE_PRECISION,
    RENDERERS,
    ExportTable,
    export,
    latex_escape,
    render,
    write,
)
from reconcile.output.formats import Format, View

GOLDEN = Path(__file__).resolve().parent / "golden"
SUFFIX = {
    Format.csv: "csv",
    Format.markdown: "md",
    Format.latex: "tex",
    Format.html: "html",
    Format.json: "json",
}


def test_every_format_has_a_renderer_and_a_golden_suffix() -> None:
    assert set(RENDERERS) == set(Format) == set(SUFFIX)
    table = ExportTable("t", (), [], [])
    for fmt in Format:
        assert isinstance(RENDERERS[fmt](table), str)


@pytest.mark.parametrize("view", list(View))
@pytest.mark.parametrize("fmt", list(Format))
def test_golden(awkward_dataset: Path, fmt: Format, view: View) -> None:
    text = render(export(load(awkward_dataset), view, Filters()), fmt)
    golden = GOLDEN / f"{view.value}.{SUFFIX[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8")


def cells(
    awkward_dataset: Path, fmt: Format, view: View = View.claims, metric: str | None = "wounded"
) -> str:
    return render(export(load(awkward_dataset), view, Filters(), metric=metric), fmt)


def test_csv_is_rfc_4180_with_raw_numbers(awkward_dataset: Path) -> None:
    text = cells(awkward_dataset, Format.csv)
    assert text.count("\r\n") == 3 and "\n" not in text.replace("\r\n", "")
    ministry, analysts = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(ministry)[:4] == ["claim_id", "metric", "subject", "unit"]
    assert [ministry[k] for k in ("stated", "low", "best", "high")] == ["about 1,200", "1080", "1200", "1320"]
    assert analysts["quote"] == 'said "about 1,500" | 50% of <units> cost $5 {x} #2 ~ ^ _ \\ were lost'
    more_than = next(
        csv.DictReader(io.StringIO(cells(awkward_dataset, Format.csv, metric="killed"), newline=""))
    )
    assert [more_than[k] for k in ("stated", "low", "best", "high")] == ["more than 300", "300", "300", ""]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (300, "300"),
        (300.0, "300"),
        (0.00005, "0.00005"),
        (1e-7, "0.0000001"),
        (1e15, "1000000000000000"),
        (2.5, "2.5"),
    ],
)
def test_raw_numbers_are_positional_without_separators(value: float, written: str) -> None:
    assert raw(value) == written
    assert float(written) == value


def test_csv_writes_a_tiny_figure_without_an_exponent(write_dataset: Callable[..., Path]) -> None:
    path = write_dataset(
        claims="""
        claims:
          - id: ministry-killed
            metric: killed
            subject: troops
            value: {stated: "0.00005", low: 0.00004, best: 0.00005, high: 0.00006}
            scope: {kind: cumulative}
            date: 2025-01-10
            source: ministry
            citations:
              - {document: doc, quote: "a share of 0.00005"}
        """,
        document="They put it at a share of 0.00005 of the force.",
    )
    [row] = csv.DictReader(io.StringIO(cells(path, Format.csv, metric="killed"), newline=""))
    assert [row[k] for k in ("low", "best", "high")] == ["0.00004", "0.00005", "0.00006"]


def test_csv_dates_are_iso_with_their_precision_beside_them(shipped: Path) -> None:
    rows = {
        r["claim_id"]: r
        for r in csv.DictReader(
            io.StringIO(render(export(load(shipped), View.claims, Filters()), Format.csv))
        )
    }
    approximate, month = rows["kr-lawmaker-killed-2024-12"], rows["nis-deployed-2024-10"]
    assert [approximate[k] for k in ("date", "date_precision", "date_approximate")] == [
        "2024-12-17",
        "day",
        "true",
    ]
    assert [month[k] for k in ("date", "date_precision", "date_approximate")] == [
        "2024-10-01",
        "month",
        "false",
    ]
    for row in rows.values():
        assert date.fromisoformat(row["date"]).isoformat() == row["date"]
        assert row["data_as_of"] == "2025-01-13" and row["reconcile_version"] == reconcile.__version__
    nis = rows["nis-killed-2025-01-13"]
    assert [nis[k] for k in ("source_id", "originator", "party", "relay")] == [
        "kr-nis",
        "NIS",
        "false",
        "Lee Sung-kwon (People Power Party); Park Son-won (Democratic Party)",
    ]
    assert rows["zelensky-deployed-2025-01-05"]["party"] == "true"
    assert all(r["url"] == "" or r["url"].startswith("https://") for r in rows.values())


def test_json_adds_names_party_urls_and_date_precision(shipped: Path) -> None:
    records = json.loads(render(export(load(shipped), View.claims, Filters(), metric="killed"), Format.json))
    nis = next(r for r in records if r["id"] == "nis-killed-2025-01-13")
    assert {
        k: nis[k] for k in ("source", "originator", "party", "date", "date_precision", "date_approximate")
    } == {
        "source": "kr-nis",
        "originator": "NIS",
        "party": False,
        "date": "2025-01-13",
        "date_precision": "day",
        "date_approximate": False,
    }
    assert nis["value"]["stated"] == "more than 300" and nis["interval"]["low"] == 300
    assert nis["metric_label"] == "Killed" and nis["data_as_of"] == "2025-01-13"


def test_markdown_escapes_pipes_and_formats_numbers(awkward_dataset: Path) -> None:
    text = cells(awkward_dataset, Format.markdown)
    lines = text.splitlines()
    assert lines[0].startswith("Wounded, Foreign troops: 2 claims as of 2025-01-09. Made with reconcile ")
    assert "**Wounded: Foreign troops (soldiers)**" in lines
    [row] = [line for line in lines if line.startswith("|") and "about 1,500" in line]
    assert row.startswith("| 2025-01-09 | ")
    assert "| 1,350 | 1,500 | 1,650 |" in row
    assert "R&amp;D unit \\| &lt;lab&gt;" in text
    assert (
        'said "about 1,500" \\| 50% of &lt;units&gt; cost $5 {x} #2 ~ ^ \\_' not in text
    )  # a quote is not a cell
    assert 'Quote: said "about 1,500" \\| 50% of &lt;units&gt; cost $5 {x} #2 ~ ^ _ \\\\ were lost' in (
        text.replace("\n    ", " ")
    )
    table = [line for line in lines if line.startswith("|")]
    assert all(line.count("|") - line.count("\\|") == table[0].count("|") for line in table)


@pytest.mark.parametrize("view", list(View))
def test_markdown_of_the_shipped_data_fits_100_columns_and_keeps_figures_whole(
    shipped: Path, view: View
) -> None:
    table = export(load(shipped), view, Filters())
    text = render(table, Format.markdown)
    assert max(len(line) for line in text.splitlines() if not line.startswith("[^")) <= 100
    for row in table.rows:
        for column, cell in zip(table.columns, row):
            if column.numeric and isinstance(cell, float | int) and not isinstance(cell, bool):
                assert number(cell) in text
            if column.key in ("date_text", "claim_id"):
                assert str(cell) in text


def test_latex_uses_booktabs_and_escapes() -> None:
    assert latex_escape(r"R&D 50% $5 #2 {x} _ ~ ^ \ <a|b>") == (
        r"R\&D 50\% \$5 \#2 \{x\} \_ \textasciitilde{} \textasciicircum{} \textbackslash{} "
        r"\textless{}a\textbar{}b\textgreater{}"
    )


def test_latex_table(awkward_dataset: Path) -> None:
    text = cells(awkward_dataset, Format.latex, View.summary, None)
    lines = text.splitlines()
    assert lines[0] == r"% Needs \usepackage{booktabs,longtable,array} in the preamble."
    assert lines[5].startswith(r"\begin{longtable}{@{}>{\raggedright\arraybackslash\hspace{0pt}}p{\dimexpr")
    assert lines[6].startswith(
        r"\caption{All metrics, Foreign troops: the spread of the claims as of 2025-01-09. Made with"
    )
    assert r"\endhead" in lines and r"\end{longtable}" in lines
    # The estimate of deployed troops as in tests/test_chart.py: 10,375 / 11,500 / 12,458.34.
    assert (
        r"cumulative & 10,000 & 12,500 & 11,500 & 1.09 & 11,500 (10,375 to 12,459) & 2 & 2025-01-09 \\"
        in lines
    )


def test_html_is_semantic_and_escaped(awkward_dataset: Path) -> None:
    text = cells(awkward_dataset, Format.html)
    assert text.startswith(
        "<table>\n  <caption>Wounded, Foreign troops: 2 claims as of 2025-01-09. Made with"
    )
    assert "<td>R&amp;D unit | &lt;lab&gt;</td>" in text
    assert '<td class="number">1,350</td>' in text and "<tbody>" in text
    assert "<units>" not in text


def test_a_party_not_known_is_said_so_for_people_and_left_empty_for_machines(
    write_dataset: Callable[..., Path],
) -> None:
    from tests.conftest import CLAIMS, HEADER

    header = HEADER.replace("kind: analyst, party: false}", "kind: analyst}")
    assert header != HEADER
    dataset = load(write_dataset(header + CLAIMS))
    table = export(dataset, View.claims, Filters(sources=("analysts",)))
    for fmt in (Format.markdown, Format.latex, Format.html):
        assert "not known" in render(table, fmt), fmt
    assert "Party to the conflict: not known" in render(table, Format.markdown)
    known = export(dataset, View.claims, Filters(sources=("official",)))
    assert "not known" not in render(known, Format.markdown)
    assert "Party to the conflict: no" in render(known, Format.markdown)
    header_line, first = render(table, Format.csv).splitlines()[:2]
    assert dict(zip(header_line.split(","), first.split(","), strict=False))["party"] == ""
    assert {record["party"] for record in json.loads(render(table, Format.json))} == {None}


def test_summary_matches_show(awkward_dataset: Path) -> None:
    [wounded] = json.loads(cells(awkward_dataset, Format.json, View.summary))
    # Latest per originator: about 1,200 (MoD) and about 1,500 (analysts).
    assert {
        k: wounded[k] for k in ("low", "high", "median", "ratio", "originators", "claims", "first", "last")
    } == {
        "low": 1080,
        "high": 1650,
        "median": 1350,
        "ratio": 1.25,
        "originators": 2,
        "claims": 2,
        "first": "2025-01-06",
        "last": "2025-01-09",
    }
    # The estimate `reconcile estimate wounded` makes: the median of 1,200 (1,080 to 1,320) and 1,500
    # (1,350 to 1,650), as of the newest claim; the first quartile of the lows 1,080 + 270 x 0.25 =
    # 1,147.5, the third of the highs 1,320 + 330 x 0.75 = 1,567.5. The MoD is a party, so no two
    # credible originators disagree, and the range is the quartiles'.
    assert {k: wounded[k] for k in wounded if k.startswith("estimate_")} == {
        "estimate_low": 1147.5,
        "estimate_best": 1350,
        "estimate_high": 1567.5,
        "estimate_method": "median",
        "estimate_as_of": "2025-01-09",
    }


CLAIM_FIELDS = {f.name for f in msgspec.structs.fields(Claim)}


def load_back(text: str) -> dict[str, Claim]:
    """Claims read from a JSON export with the models, intervals included; the added fields set aside."""
    claims = [
        msgspec.convert({k: v for k, v in record.items() if k in CLAIM_FIELDS}, Claim)
        for record in json.loads(text)
    ]
    return {claim.id: claim for claim in claims}


def test_a_document_cited_twice_is_named_once(shipped: Path) -> None:
    [nis] = [
        r
        for r in csv.DictReader(
            io.StringIO(
                render(
                    export(load(shipped), View.claims, Filters(sources=("kr-nis",)), metric="wounded"),
                    Format.csv,
                ),
                newline="",
            )
        )
    ]
    assert nis["document"] == "Over 300 North Korean Soldiers Have Died in Russia's Kursk Region (2025-01-13)"
    assert nis["quote"].count(" / ") == 1  # both quotes, though


def test_json_of_the_shipped_claims_loads_back(shipped: Path) -> None:
    dataset = load(shipped)
    loaded = load_back(render(export(dataset, View.claims, Filters()), Format.json))
    assert loaded == {c.id: c for c in dataset.claims}
    assert all(loaded[c.id].interval == c.interval for c in dataset.claims)


TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
AMOUNTS = st.none() | st.floats(min_value=0, max_value=1e12, allow_nan=False)
IDS = st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,8}", fullmatch=True)
SCOPES = st.one_of(
    st.builds(Cumulative, since=TEXT),
    st.builds(
        lambda days, words: Period(start=min(days), end=max(days), description=words),
        st.tuples(DAYS, DAYS),
        TEXT,
    ),
    st.builds(Incident, on=st.none() | DAYS, description=TEXT),
)
CLAIMS = st.builds(
    Claim,
    id=IDS,
    metric=st.sampled_from(["killed", "wounded"]),
    subject=st.just("troops"),
    place=TEXT,
    value=st.builds(
        Value, stated=TEXT.filter(bool), low=AMOUNTS, best=AMOUNTS, high=AMOUNTS, relative_to=st.none() | IDS
    ),
    scope=SCOPES,
    date=DAYS,
    precision=st.sampled_from(Precision),
    projection=st.booleans(),
    source=st.sampled_from(["ministry", "analysts"]),
    relay=st.lists(TEXT, max_size=2).map(tuple),
    citations=st.lists(
        st.builds(Citation, document=st.just("doc"), quote=TEXT.filter(bool)), min_size=1, max_size=2
    ).map(tuple),
    notes=TEXT,
    interval=st.builds(
        lambda figures, open_low, open_high, rule: Interval(
            low=None if open_low else figures[0],
            best=figures[1],
            high=None if open_high else figures[2],
            rule=rule,
        ),
        st.lists(st.floats(min_value=0, max_value=1e12), min_size=3, max_size=3).map(sorted),
        st.booleans(),
        st.booleans(),
        st.sampled_from(["exact", "floor", "explicit"]),
    ),
)


def vocabulary() -> dict[str, Any]:
    return {
        "version": 1,
        "metrics": {
            "killed": {"label": "Killed", "unit": "soldiers"},
            "wounded": {"label": "Wounded", "unit": "soldiers"},
        },
        "subjects": {"troops": {"name": "Foreign troops"}},
        "sources": {
            "ministry": {"name": "Ministry", "kind": "military", "party": True},
            "analysts": {"name": "Analysts", "kind": "analyst", "party": False},
        },
        "documents": {"doc": {"file": "doc.txt", "outlet": "Daily", "title": "T", "published": "2025-01-10"}},
    }


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CLAIMS, max_size=6, unique_by=lambda claim: claim.id))
def test_json_export_of_any_claims_loads_back(claims: list[Claim]) -> None:
    dataset = msgspec.convert({**vocabulary(), "claims": claims}, Dataset)
    loaded = load_back(render(export(dataset, View.claims, Filters()), Format.json))
    assert loaded == {c.id: c for c in dataset.claims}


def test_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "table.md"
    target.write_text("old\n")
    write("new table\n", target)
    assert target.read_text() == "new table\n"
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("fault", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_write_leaves_the_old_file_and_no_debris(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: BaseException
) -> None:
    target = tmp_path / "table.md"
    target.write_text("the old table\n")

    def fail(fd: int) -> None:
        raise fault

    # We run as root, so an unwritable folder proves nothing; fail the write itself instead.
    monkeypatch.setattr(atomic.os, "fsync", fail)
    with pytest.raises(OutputError if isinstance(fault, OSError) else KeyboardInterrupt):
        write("half a new table", target)
    assert target.read_text() == "the old table\n"
    assert list(tmp_path.iterdir()) == [target]


def test_cli_reports_a_failed_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "table.csv"
    target.write_text("kept\n")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", fail)
    result = CliRunner().invoke(app, ["export", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {target}: No space left on device\n"
    assert target.read_text() == "kept\n" and list(tmp_path.iterdir()) == [target]


def test_cli_writes_a_file_and_keeps_stdout_clean(tmp_path: Path) -> None:
    target = tmp_path / "summary.csv"
    result = CliRunner().invoke(
        app, ["export", "--format", "csv", "--view", "summary", "--group", "strength", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == f"wrote {target}\n"
    rows = list(csv.DictReader(io.StringIO(target.read_text(), newline="")))
    assert {r["metric"] for r in rows} == {"Deployed", "In combat", "In reserve", "Generals"}


def test_writing_to_a_closed_pipe_ends_quietly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "reconcile", "export", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader goes away before the first byte, like `| head -0`
    errors = process.stderr.read()
    assert process.wait() == 0
    assert errors == b""


def test_export_piped_into_head() -> None:
    result = subprocess.run(
        f"'{sys.executable}' -m reconcile export --format csv | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout == (
        b"claim_id,metric,subject,unit,date,date_precision,date_approximate,source_id,originator,party,"
        b"stated,low,best,high,scope,relay,outlets,document,url,quote,data_as_of,reconcile_version\r\n"
    )


def test_every_precision_is_written_as_a_precision_and_a_flag() -> None:
    assert set(DATE_PRECISION) == set(Precision)
    assert {precision for precision, _ in DATE_PRECISION.values()} <= {"day", "month", "year"}


def test_summary_csv_and_json_say_the_same_dates(shipped: Path) -> None:
    table = export(load(shipped), View.summary, Filters(), metric="killed")
    [first, *_] = csv.DictReader(io.StringIO(render(table, Format.csv), newline=""))
    [record, *_] = json.loads(render(table, Format.json))
    keys = ("first", "first_precision", "first_approximate", "last", "last_precision", "last_approximate")
    # NIS's more than 300 (2025-01-13) and the lawmaker's approximately 100 (~2024-12-17).
    assert [first[k] for k in keys] == ["2024-12-17", "day", "true", "2025-01-13", "day", "false"]
    assert [record[k] for k in keys] == ["2024-12-17", "day", True, "2025-01-13", "day", False]
    assert first["metric"] == "Killed" and first["metric_id"] == "killed"


def test_markdown_of_long_names_and_wordings_fits_100_columns() -> None:
    from tests.test_export_latex import long_dataset

    table = export(long_dataset(3), View.claims, Filters())
    text = render(table, Format.markdown)
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert rows and max(len(line) for line in rows) <= 100
    assert "| 900,000.5 | 1,000,000 | 1,100,000 |" in rows[2]
    # The wording is shortened between words, and given whole in the footnote.
    assert "| approximately 1,000,000… |" in rows[2]
    whole = text.replace("\n    ", " ")
    assert "As stated: approximately 1,000,000 according to the ministry's statement;" in whole
    assert "Claim: ministry-killed-in-action-cumulative-figure-number-0000;" in whole
    # A line of a footnote is longer only when it is one word (a URL) that cannot break.
    assert all(len(line) <= 100 or " " not in line.strip() for line in text.splitlines())
