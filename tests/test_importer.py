"""Importing a spreadsheet of estimates: every cell format, every row accounted for, a dataset that loads."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from reconcile.cli.app import app
from reconcile.errors import DatasetError, SpreadsheetError
from reconcile.io import importer
from reconcile.io.importer import AliasEntry, AliasTable, import_csv, parse_date, parse_number
from reconcile.io.load import load
from reconcile.io.originators import SourceCell, acronyms, guess_kind, likely_duplicates, read_source
from reconcile.model.terms import SourceKind

TODAY = date(2025, 6, 1)

SHEET = """\
date,estimate_low,estimate_high,estimate,type,source,source_url,country,party,notes
12/01/2025,"140,000",,,casualties,UK MoD,https://www.gov.uk/update-1,Russia,no,
2025-01-12,"140,000",,,casualties,UK Ministry of Defence (via BBC),https://www.bbc.co.uk/news/x,Russia,,
3/1/2025,,"10,000",,deaths,US officials (via NYT),https://www.nytimes.com/a,North Korea,no,
15/01/2025,3000,4000,3800,casualties,Zelensky,,North Korea,yes,after Kursk
15/01/2025,,,,casualties,Zelensky,,North Korea,yes,
31/02/2025,100,,,deaths,ISW,,Russia,,
16/01/2025,500,,,POWs,Ukrainian General Staff,,North Korea,,
16/01/2025,500,,,burned tanks,Ukrainian General Staff,,North Korea,,
,,,,,,,,,
"""


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "estimates.csv"
    path.write_text(SHEET, encoding="utf-8")
    return path


def written(folder: Path, *lines: str) -> Path:
    """A spreadsheet of these lines in the folder."""
    path = folder / "s.csv"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def intervals(path: Path) -> dict[str, tuple[float | None, float, float | None]]:
    return {c.id: (c.interval.low, c.interval.best, c.interval.high) for c in load(path, today=TODAY).claims}


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("140,000", 140_000),
        ("140 000", 140_000),
        ("1,234,567", 1_234_567),
        ("1\u202f500", 1_500),
        ("300", 300),
        ("0.45", 0.45),
        ("2,500.5", 2_500.5),
        ("", None),
        (" - ", None),
        ("n/a", None),
    ],
)
def test_numbers_with_thousands_separators(cell: str, value: float | None) -> None:
    assert parse_number(cell) == value


@pytest.mark.parametrize("cell", ["1,5", "12,34", ">300", "300+", "1,000 000", "-5", "about 300"])
def test_what_is_not_a_number(cell: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(cell)


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("12/01/2025", date(2025, 1, 12)),
        ("3/1/2025", date(2025, 1, 3)),
        ("03/01/2025", date(2025, 1, 3)),
        ("2025-01-12", date(2025, 1, 12)),
        (" 2025-01-12 ", date(2025, 1, 12)),
    ],
)
def test_dates_are_day_first_or_iso(cell: str, day: date) -> None:
    assert parse_date(cell, today=TODAY) == day


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("31/02/2025", "'31/02/2025' is not a real calendar date"),
        ("12-01-2025", "'12-01-2025' is not dd/mm/yyyy, d/m/yyyy or YYYY-MM-DD"),
        ("Jan 12, 2025", "is not dd/mm/yyyy"),
        ("01/07/2025", "'01/07/2025' is in the future"),
    ],
)
def test_bad_dates_say_why(cell: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(cell, today=TODAY)


@pytest.mark.parametrize(
    ("cell", "split"),
    [
        ("US officials (via NYT)", ("US officials", "NYT")),
        ("UK MoD (through Reuters)", ("UK MoD", "Reuters")),
        ("Pentagon via The Washington Post", ("Pentagon", "The Washington Post")),
        ("ISW", ("ISW", None)),
        (
            "National Intelligence Service (South Korea)",
            ("National Intelligence Service (South Korea)", None),
        ),
    ],
)
def test_relay_is_split_from_the_originator(cell: str, split: tuple[str, str | None]) -> None:
    named = read_source(cell)
    assert (named.origin, named.relay, named.note) == (*split, "")


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("X estimate (leak via Y)", SourceCell("X", None, "Source as written: X estimate (leak via Y).")),
        (
            "Z (timing clarified via email)",
            SourceCell("Z", None, "Source as written: Z (timing clarified via email)."),
        ),
        (
            "Z (timing clarified via email) via Reuters",
            SourceCell("Z", "Reuters", "Source as written: Z (timing clarified via email)."),
        ),
        ("Ministry of Defence (UK) via Reuters", SourceCell("Ministry of Defence (UK)", "Reuters")),
        ("Pentagon, via AP", SourceCell("Pentagon", "AP")),
        (
            "Office (for deliveries via air)",
            SourceCell("Office", None, "Source as written: Office (for deliveries via air)."),
        ),
        ("A (b (via c))", SourceCell("A", None, "Source as written: A (b (via c)).")),
        ("Unbalanced (via X", SourceCell("Unbalanced (via X")),
        ("Viaduct Institute", SourceCell("Viaduct Institute")),
        ("via", SourceCell("via")),
    ],
)
def test_brackets_are_respected_when_reading_a_relay(cell: str, read: SourceCell) -> None:
    assert read_source(cell) == read


def test_alias_table_merges_spellings_and_can_be_extended() -> None:
    table = AliasTable()
    assert table.canonical("uk mod") == "UK Ministry of Defence"
    assert table.canonical("U.K.  MoD") == "UK Ministry of Defence"
    assert table.canonical("Oryx") is None
    extended = table.extended(
        {
            "Oryx": AliasEntry(aliases=["Oryx blog"], kind=SourceKind.analyst),
            "Defence Intelligence": AliasEntry(aliases=["UK MoD"]),
        }
    )
    assert extended.canonical("oryx BLOG") == "Oryx"
    assert extended.canonical("UK MoD") == "Defence Intelligence"
    assert extended.canonical("British MoD") == "UK Ministry of Defence"
    assert table.canonical("UK MoD") == "UK Ministry of Defence"


@pytest.mark.parametrize(
    ("low", "best", "high", "stated", "explicit_best"),
    [
        (3000, 3800, 4000, "between 3,000 and 4,000", 3800),
        (3000, 3500, 4000, "between 3,000 and 4,000", None),
        (3000, None, 4000, "between 3,000 and 4,000", None),
        (500, None, 500, "500", None),
        (140_000, None, None, "at least 140,000", None),
        (140_000, 150_000, None, "at least 140,000", 150_000),
        (None, None, 10_000, "up to 10,000", None),
        (None, 1_200, None, "1,200", None),
    ],
)
def test_stated_wording_reads_back_as_the_row(
    low: float | None, best: float | None, high: float | None, stated: str, explicit_best: float | None
) -> None:
    assert importer.stated_wording(low, best, high) == (stated, explicit_best)


def test_import_accounts_for_every_row(sheet: Path) -> None:
    report = import_csv(sheet, today=TODAY).report
    assert (report.rows, report.claims, report.merged, report.sources, report.documents) == (8, 4, 1, 4, 4)
    assert [(s.line, s.reason) for s in report.skipped] == [
        (6, "no figure in estimate_low, estimate or estimate_high"),
        (7, "date '31/02/2025' is not a real calendar date"),
        (
            9,
            (
                "type 'burned tanks' has no metric; add --map 'burned tanks=METRIC' (metrics: killed, wounded, "
                "killed_or_wounded, captured, deserted, missing, deployed, in_combat, reserve)"
            ),
        ),
    ]
    assert report.notes == ["1 blank row ignored"]


def test_imported_claims_have_the_rows_figures(sheet: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    out.write_text(import_csv(sheet, today=TODAY).yaml, encoding="utf-8")
    assert intervals(out) == {
        "us-officials-killed-2025-01-03": (None, 10_000, 10_000),
        "uk-mod-killed_or_wounded-2025-01-12": (140_000, 140_000, None),
        "zelensky-killed_or_wounded-2025-01-15": (3_000, 3_800, 4_000),
        "ua-general-staff-captured-2025-01-16": (500, 500, None),
    }


def test_same_figure_through_two_outlets_is_one_claim_with_two_citations(sheet: Path) -> None:
    dataset = import_csv(sheet, today=TODAY).dataset
    claim = dataset.claim("uk-mod-killed_or_wounded-2025-01-12")
    assert [c.document for c in claim.citations] == ["gov-uk-c7e0bb", "bbc-co-uk-ea5bd6"]
    assert claim.relay == ("BBC",)
    assert claim.citations[1].quote == (
        "estimates.csv line 3: date=2025-01-12; estimate_low=140,000; type=casualties; "
        "source=UK Ministry of Defence (via BBC); source_url=https://www.bbc.co.uk/news/x; country=Russia"
    )
    source = dataset.sources["uk-mod"]
    assert (source.name, source.short, source.kind, source.country, source.party, source.aliases) == (
        "UK Ministry of Defence",
        "UK MoD",
        SourceKind.government,
        "GB",
        False,
        ("UK MoD",),
    )


def test_documents_are_unarchived_one_per_url(sheet: Path) -> None:
    documents = import_csv(sheet, today=TODAY).dataset.documents
    assert {k: (d.file, d.outlet, d.url, d.published) for k, d in documents.items()} == {
        "gov-uk-c7e0bb": (None, "gov.uk", "https://www.gov.uk/update-1", date(2025, 1, 12)),
        "bbc-co-uk-ea5bd6": (None, "bbc.co.uk", "https://www.bbc.co.uk/news/x", date(2025, 1, 12)),
        "nytimes-com-717d7e": (None, "nytimes.com", "https://www.nytimes.com/a", date(2025, 1, 3)),
        "estimates": (None, "estimates.csv", None, date(2025, 1, 16)),
    }


def test_sources_take_party_flag_and_guessed_kind(sheet: Path) -> None:
    sources = import_csv(sheet, today=TODAY).dataset.sources
    zelensky = sources["zelensky"]  # in the built-in alias table
    assert (zelensky.name, zelensky.party, zelensky.kind) == (
        "Volodymyr Zelensky, President of Ukraine",
        True,
        SourceKind.government,
    )
    assert (sources["us-officials"].party, sources["us-officials"].kind) == (False, SourceKind.official)
    assert sources["ua-general-staff"].party is True  # from the alias table; the rows do not say


def test_map_reads_a_type_as_a_metric(sheet: Path) -> None:
    result = import_csv(sheet, mapping=importer.parse_mapping(["Burned tanks=killed"]), today=TODAY)
    assert result.report.claims == 5
    assert "ua-general-staff-killed-2025-01-16" in {c.id for c in result.dataset.claims}


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("tanks", "must be written TYPE=METRIC"),
        ("tanks=", "must be written TYPE=METRIC"),
        ("tanks=vehicles", "unknown metric 'vehicles'; known: killed, wounded"),
    ],
)
def test_bad_map_options(pair: str, message: str) -> None:
    with pytest.raises(SpreadsheetError, match=message):
        importer.parse_mapping([pair])


def test_semicolons_and_a_default_subject(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "Date;Estimate;Type;Source\n2025-01-05;1 200;Wounded;Kyiv Independent\n", encoding="utf-8"
    )
    with pytest.raises(SpreadsheetError, match="no subject or country column"):
        import_csv(path, today=TODAY)
    dataset = import_csv(path, default_subject="North Korean troops", today=TODAY).dataset
    [claim] = dataset.claims
    assert (claim.metric, claim.subject, claim.value.stated, dataset.sources[claim.source].kind) == (
        "wounded",
        "north-korean-troops",
        "1,200",
        SourceKind.unattributed,
    )
    assert "could not be told" in dataset.sources[claim.source].notes


def refusal(tmp_path: Path, table: str) -> tuple[Path, str]:
    """The path of a spreadsheet holding `table`, and the error importing it raises."""
    path = tmp_path / "s.csv"
    path.write_text(table, encoding="utf-8")
    with pytest.raises(SpreadsheetError) as info:
        import_csv(path, today=TODAY)
    return path, str(info.value)


def test_a_missing_column_is_an_error_naming_the_header(tmp_path: Path) -> None:
    path, message = refusal(tmp_path, "when,how many,who\n2025-01-05,3,x\n")
    assert message == (
        f"{path}: no column for date, type, source, estimate_low, estimate_high or estimate; "
        "the header has: when, how many, who"
    )


def test_nothing_importable_is_an_error_listing_every_row(tmp_path: Path) -> None:
    path, message = refusal(
        tmp_path, "date,estimate,type,source,country\n2025-01-05,,killed,X,Y\n5/5/2025,9,killed,,Y\n"
    )
    assert message == (
        f"{path}: none of the 2 rows could be imported (line 2: no figure in estimate_low, estimate or "
        "estimate_high; line 3: no source)"
    )


def test_bounds_out_of_order_and_extra_cells_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "date,estimate_low,estimate_high,estimate,type,source,country,party\n"
        "2025-01-05,900,300,,killed,X,Y,\n"
        "2025-01-05,100,300,400,killed,X,Y,\n"
        "2025-01-05,100,300,200,killed,X,Y,maybe\n"
        "2025-01-05,100,300,200,killed,X,Y,,surplus\n"
        "2025-01-06,100,300,200,killed,X,Y,no\n",
        encoding="utf-8",
    )
    report = import_csv(path, today=TODAY).report
    assert [(s.line, s.reason) for s in report.skipped] == [
        (2, "estimate_low 900 exceeds estimate_high 300"),
        (3, "estimate 400 exceeds estimate_high 300"),
        (
            4,
            (
                "party flag 'maybe' is not yes or no "
                "(accepted: yes, y, true, 1, x; no, n, false, 0; empty or unknown when not known)"
            ),
        ),
        (5, "9 cells but the header has 8 columns"),
    ]
    assert report.claims == 1


def test_a_row_spanning_lines_is_numbered_by_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        'date,estimate,type,source,country,notes\n2025-01-05,3,killed,X,Y,"two\nlines"\n'
        "2025-01-05,,killed,X,Y,\n",
        encoding="utf-8",
    )
    assert [s.line for s in import_csv(path, today=TODAY).report.skipped] == [4]


def test_alias_file_in_both_forms(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text(
        "Oryx: [Oryx blog, oryxspioenkop]\nKyiv Independent: {aliases: [KI], kind: media, party: false}\n",
        encoding="utf-8",
    )
    entries = importer.load_aliases(path)
    assert entries == {
        "Oryx": AliasEntry(aliases=["Oryx blog", "oryxspioenkop"]),
        "Kyiv Independent": AliasEntry(aliases=["KI"], kind=SourceKind.media, party=False),
    }


def test_a_bad_alias_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text("Oryx: [Oryx blog]\nKI:\n  kind: blog\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        importer.load_aliases(path)
    [problem] = info.value.problems
    assert (problem.line, problem.field) == (3, "KI.kind")
    assert "'government'" in problem.message


@pytest.mark.parametrize(
    ("text", "line"), [("Oryx: [Oryx blog\n", 2), ("- Oryx\n", 1), ("KI: {kind: blog}\n", 1)]
)
def test_a_bad_alias_file_is_called_the_alias_table(
    tmp_path: Path, sheet: Path, text: str, line: int
) -> None:
    """Whether YAML cannot read it, it is not a mapping, or an entry is wrong: never "the dataset"."""
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        importer.load_aliases(path)
    assert info.value.what == "the alias table" and info.value.problems[0].line == line
    result = CliRunner().invoke(app, ["import", str(sheet), "--aliases", str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines()[-1] == "Error: the alias table has 1 problem"


def test_a_spreadsheet_that_cannot_be_read_is_called_the_spreadsheet(tmp_path: Path) -> None:
    missing = tmp_path / "nosuch.csv"
    result = CliRunner().invoke(app, ["import", str(missing)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"{missing}: no such file\nError: the spreadsheet has 1 problem\n"
    binary = tmp_path / "sheet.csv"
    binary.write_bytes(b"date,estimate\n\x00\n")
    with pytest.raises(DatasetError) as info:
        import_csv(binary, today=TODAY)
    assert info.value.what == "the spreadsheet"


def test_cli_import_then_every_reading_command(sheet: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "imported.yaml"
    result = runner.invoke(app, ["import", str(sheet), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"{sheet}:7: skipped: date '31/02/2025' is not a real calendar date" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"8 rows: 5 imported as 4 claims (1 merged as second citations), 3 skipped; 4 sources, 4 documents; wrote {out}"
    )
    validated = runner.invoke(app, ["--data", str(out), "validate"])
    assert validated.exit_code == 0, validated.output
    assert validated.stdout.endswith(
        "4 claims, 9 metrics, 4 sources, 4 documents, 0 quotes found verbatim, "
        "5 not checked (no archived file)\n"
    )
    shown = runner.invoke(app, ["--data", str(out), "show", "casualties", "--subject", "korea", "--json"])
    assert shown.exit_code == 0, shown.output
    claims = [row["claim"] for c in json.loads(shown.stdout)["comparisons"] for row in c["rows"]]
    assert sorted(claims) == [
        "ua-general-staff-captured-2025-01-16",
        "us-officials-killed-2025-01-03",
        "zelensky-killed_or_wounded-2025-01-15",
    ]
    for command in (["metrics"], ["sources"], ["show", "killed_or_wounded", "--source", "UK MoD"]):
        assert runner.invoke(app, ["--data", str(out), *command]).exit_code == 0, command


def test_cli_import_to_stdout_and_json_report(sheet: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    plain = runner.invoke(app, ["import", str(sheet)])
    assert plain.exit_code == 0
    assert plain.stdout.startswith(
        "# Imported from estimates.csv by `reconcile import`: 5 rows -> 4 claims.\n"
    )
    out = tmp_path / "o.yaml"
    as_json = runner.invoke(app, ["import", str(sheet), "-o", str(out), "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["claims"] == 4
    assert out.read_text(encoding="utf-8") == plain.stdout
    needs_output = runner.invoke(app, ["import", str(sheet), "--json"])
    assert needs_output.exit_code == 2


def test_cli_import_errors_exit_1_and_write_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    out = tmp_path / "o.yaml"
    result = CliRunner().invoke(app, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: no column for date, type, source")
    assert not out.exists()


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_example_spreadsheet_gives_the_committed_example_dataset() -> None:
    """examples/imported.yaml is the import of examples/estimates.csv; regenerate it with UPDATE_GOLDEN=1."""
    result = import_csv(
        EXAMPLES / "estimates.csv", mapping=importer.parse_mapping(["killed in action=killed"])
    )
    committed = EXAMPLES / "imported.yaml"
    if os.environ.get("UPDATE_GOLDEN"):
        committed.write_text(result.yaml, encoding="utf-8")
    assert result.yaml == committed.read_text(encoding="utf-8")
    documents = result.dataset.documents
    assert {k: d.outlet for k, d in documents.items()} == {
        "estimates": "estimates.csv",
        "newsweek-in-estimates": "Newsweek",
        "the-diplomat-in-estimates": "The Diplomat",
    }
    # Two spellings of the South Korean service, merged by the alias table.
    nis = result.dataset.sources["nis"]
    assert (nis.name, nis.aliases) == (
        "National Intelligence Service (South Korea)",
        ("NIS", "South Korea's National Intelligence Service"),
    )


@pytest.mark.parametrize("header", ["Warring party?", "belligerent", "Combatant (yes/no)", "Parties"])
def test_a_column_flagging_warring_parties_is_the_party_column(tmp_path: Path, header: str) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        f'date,estimate,type,source,country,"{header}"\n'
        "2025-01-05,100,killed,Army A,Y,yes\n"
        "2025-01-05,200,killed,Think tank B,Y,no\n"
        "2025-01-05,300,killed,Paper C,Y,\n",
        encoding="utf-8",
    )
    result = import_csv(path, today=TODAY)
    assert {s.name: s.party for s in result.dataset.sources.values()} == {
        "Army A": True,
        "Think tank B": False,
        "Paper C": None,
    }
    assert "party" not in yaml.safe_load(result.yaml)["sources"]["paper-c"]  # absent: not known
    assert any(
        "1 source of unknown party status" in note and "Paper C" in note for note in result.report.notes
    )


def test_party_column_option_names_the_column(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "date,estimate,type,source,country,Side is fighting,party\n2025-01-05,100,killed,Army A,Y,1,0\n",
        encoding="utf-8",
    )
    result = import_csv(path, party_column="side is fighting", today=TODAY)
    assert result.dataset.sources["army-a"].party is True
    assert "ignored columns: party" in result.report.notes
    with pytest.raises(SpreadsheetError, match="--party-column 'Flag' is not in the header"):
        import_csv(path, party_column="Flag", today=TODAY)


def test_a_sheet_without_a_party_column_leaves_party_unknown(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("date,estimate,type,source,country\n2025-01-05,100,killed,Someone,Y\n", encoding="utf-8")
    source = import_csv(path, today=TODAY).dataset.sources["someone"]
    assert source.party is None
    assert "Not stated in the spreadsheet whether it is a party" in source.notes


def test_estimate_excluding_parties_names_the_unknown_ones_it_keeps(tmp_path: Path) -> None:
    path = written(
        tmp_path,
        "date,estimate,type,source,country,party",
        "2025-01-05,100,killed,Army A,Y,yes",
        "2025-01-05,300,killed,Paper C,Y,",
    )
    out = tmp_path / "d.yaml"
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(path), "-o", str(out)]).exit_code == 0
    result = runner.invoke(app, ["--data", str(out), "estimate", "killed", "--exclude-parties"])
    assert result.exit_code == 0, result.output
    assert "note: --exclude-parties keeps Paper C: not known whether it is a party" in result.stderr
    assert "best 300" in result.stdout
    checked = runner.invoke(app, ["--data", str(out), "check"])
    assert "party status unknown: Paper C (paper-c), killed" in checked.stdout


def test_acronyms_of_a_name() -> None:
    assert acronyms("The Centre for Strategic and International Studies") == {"CSIS", "CFSAIS"}
    assert acronyms("Royal United Services Institute (RUSI)") == {"RUSI"}
    assert acronyms("Oryx") == set()


def test_likely_duplicates_are_merged_into_one_name() -> None:
    names = [
        "CSIS",
        "The Centre for Strategic and International Studies",
        "Kyiv Post",
        "kyiv post.",
        "The Kyiv Post",
    ]
    found = likely_duplicates(names, {"CSIS": 3})
    assert found.canonical == {
        "CSIS": "The Centre for Strategic and International Studies",
        "The Centre for Strategic and International Studies": "The Centre for Strategic and International Studies",
        "Kyiv Post": "The Kyiv Post",
        "kyiv post.": "The Kyiv Post",
        "The Kyiv Post": "The Kyiv Post",
    }
    assert [(m.name, m.spellings) for m in found.merges] == [
        ("The Kyiv Post", ("Kyiv Post", "kyiv post.")),
        ("The Centre for Strategic and International Studies", ("CSIS",)),
    ]


def test_an_acronym_of_two_names_is_merged_with_neither() -> None:
    found = likely_duplicates(["MSI", "Military Studies Institute", "Maritime Security Initiative"], {})
    assert found.canonical["MSI"] == "MSI"
    assert found.ambiguous == [("MSI", ("Maritime Security Initiative", "Military Studies Institute"))]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Centre for Strategic and International Studies", SourceKind.analyst),
        ("Kiel Institute", SourceKind.analyst),
        ("A Washington think tank", SourceKind.analyst),
        ("Estonian research centre", SourceKind.analyst),
        ("French Ministry of Defence", SourceKind.government),
        ("Foreign intelligence service of Estonia", SourceKind.intelligence),
        ("Israeli spy agency", SourceKind.intelligence),
        ("Someone", None),
    ],
)
def test_common_kinds_are_told_from_names(name: str, kind: SourceKind | None) -> None:
    assert guess_kind(name) == kind


def test_import_merges_likely_duplicates_and_reports_the_alias(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "date,estimate,type,source,country\n"
        "2025-01-05,100,killed,CSIS,Y\n"
        "2025-02-05,200,killed,The Centre for Strategic and International Studies,Y\n"
        "2025-03-05,300,killed,CSIS estimate (leak via Politico),Y\n",
        encoding="utf-8",
    )
    result = import_csv(path, today=TODAY)
    (source,) = result.dataset.sources.values()
    assert (source.name, source.aliases, source.kind) == (
        "The Centre for Strategic and International Studies",
        ("CSIS",),
        SourceKind.analyst,
    )
    assert [c.notes for c in result.dataset.claims] == [
        "",
        "",
        "Source as written: CSIS estimate (leak via Politico).",
    ]
    shown = CliRunner().invoke(app, ["import", str(path), "-o", str(tmp_path / "d.yaml")])
    assert (
        "merged 'CSIS' into 'The Centre for Strategic and International Studies' (CSIS is the acronym of "
        "The Centre for Strategic and International Studies); alias to add to an --aliases file: "
        '"The Centre for Strategic and International Studies": ["CSIS"]'
    ) in " ".join(shown.stderr.split())


def test_the_example_tracker_keeps_what_the_sheet_says() -> None:
    """examples/tracker.csv: a warring-party column, bracketed names, an acronym and its expansion."""
    result = import_csv(EXAMPLES / "tracker.csv", today=TODAY)
    sources = result.dataset.sources
    assert {s.name: s.party for s in sources.values()} == {
        "US officials": None,
        "UK Ministry of Defence": False,
        "The Centre for Strategic and International Studies": False,
        "General Staff of the Armed Forces of Ukraine": True,
        "US intelligence": None,
        "Estonian Foreign Intelligence Service": None,
        "Russian Ministry of Defence": True,
        "Kiel research centre": None,
    }
    assert {s.name: s.kind for s in sources.values()}["Kiel research centre"] == SourceKind.analyst
    csis = sources["the-centre-for-strategic-and-international-studies"]
    assert (csis.short, csis.aliases) == (
        "CSIS",
        ("CSIS", "the centre for strategic and international studies."),
    )
    relays = {c.id: c.relay for c in result.dataset.claims if c.relay}
    assert set(relays.values()) == {("The New York Times",)}
    assert result.report.skipped == [] and result.report.claims == 12


def test_unreadable_cells_are_row_errors_and_the_rest_imports(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "date,estimate,type,source,country\n"
        f"2025-01-05,100,killed,{'A' * 140_000},Y\n"
        f"2025-01-05,{'9' * 400},killed,A,Y\n"
        "2025-01-05,0.1234567,killed,A,Y\n"
        "2025-01-06,200,killed,B,Y\n",
        encoding="utf-8",
    )
    result = import_csv(path, today=TODAY)
    assert [(s.line, s.reason[:60]) for s in result.report.skipped] == [
        (2, "a cell holds more than 131,072 characters, the most a cell m"),
        (3, "'" + "9" * 57 + ".."),
        (4, "'0.1234567' has more than 6 decimals"),
    ]
    assert "is larger than 1,000,000,000,000,000, the largest figure" in result.report.skipped[1].reason
    assert result.report.claims == 1


def test_small_decimals_are_written_so_that_they_read_back(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("date,estimate,type,source,country\n2025-01-05,0.00005,killed,A,Y\n", encoding="utf-8")
    result = import_csv(path, today=TODAY)
    assert 'stated: "0.00005"' in result.yaml
    assert result.dataset.claims[0].interval.best == 0.00005


def test_hostile_cells_are_kept_as_text_and_escaped_when_shown(tmp_path: Path) -> None:
    path = written(
        tmp_path,
        "date,estimate,type,source,country,notes",
        "2025-01-05,100,killed,=cmd|' /C calc'!A0,Y,\x85x\u2028y",
        "2025-01-06,200,killed,C\x7f\x1b[2J,Y\x9b,\ufeff",
    )
    out = tmp_path / "d.yaml"
    result = CliRunner().invoke(app, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stderr and r"C\x7f\x1b[2J" in result.stderr
    assert {s.name for s in load(out, today=TODAY).sources.values()} == {"=cmd|' /C calc'!A0", "C\x7f\x1b[2J"}


def test_an_output_name_with_a_control_character_is_refused(sheet: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["import", str(sheet), "-o", str(tmp_path / "a\x1bb.yaml")])
    assert result.exit_code == 1
    assert (
        "the name holds a control character (U+001B); choose a name of printable characters" in result.stderr
    )
    assert "\x1b" not in result.stderr and "/tmp/tmp" not in result.stderr
    assert list(tmp_path.iterdir()) == [sheet]


WIDE = importer.WideTable(
    source="Ministry of Defence of X",
    subject="Y",
    metrics={"killed": "Killed", "wounded": "Wounded", "killed_or_wounded": "Total"},
    party=False,
)


def test_a_wide_table_reads_one_claim_per_metric_and_day(tmp_path: Path) -> None:
    path = written(
        tmp_path,
        "Date,Killed,Wounded,Total,Comment",
        '2025-01-05,100,"1,000","about 2,800",first',
        '06/01/2025,,-,"more than 4,500",',
        "2025-01-07,lots,200,300,",
        "2025-01-32,1,2,3,",
        "2025-01-08,,,,",
    )
    result = import_csv(path, wide=WIDE, today=TODAY)
    claims = {
        c.id: (c.value.stated, c.interval.low, c.interval.best, c.interval.high)
        for c in result.dataset.claims
    }
    assert claims == {
        "ministry-of-defence-of-x-killed-2025-01-05": ("100", 50, 100, 150),
        "ministry-of-defence-of-x-wounded-2025-01-05": ("1,000", 500, 1000, 1500),
        "ministry-of-defence-of-x-killed_or_wounded-2025-01-05": ("about 2,800", 2520, 2800, 3080),
        "ministry-of-defence-of-x-killed_or_wounded-2025-01-06": ("more than 4,500", 4500, 4500, None),
    }
    assert [(s.line, s.reason[:71]) for s in result.report.skipped] == [
        (4, "column 'Killed': 'lots' matches none of the wording rules; write digits"),
        (5, "date '2025-01-32' is not a real calendar date"),
        (6, "no figure in Killed, Wounded, Total"),
    ]
    (source,) = result.dataset.sources.values()
    assert (source.name, source.party, source.kind) == (
        "Ministry of Defence of X",
        False,
        SourceKind.government,
    )
    assert "ignored columns: Comment" in result.report.notes
    assert result.dataset.claims[0].citations[0].quote == "s.csv line 2: Date=2025-01-05; Killed=100"


def test_a_wide_table_needs_its_columns_and_options(tmp_path: Path) -> None:
    path = written(tmp_path, "Day,Killed", "2025-01-05,100")
    with pytest.raises(
        SpreadsheetError, match=r"no column for a date column \(date, reported, ...\), Wounded, Total"
    ):
        import_csv(path, wide=WIDE, today=TODAY)
    with pytest.raises(SpreadsheetError, match="needs --source NAME and --subject NAME"):
        importer.wide_table(["killed=Killed"], None, None, None)
    with pytest.raises(SpreadsheetError, match="unknown metric 'kills'"):
        importer.wide_table(["kills=Killed"], "X", "Y", None)
    assert importer.wide_table([], None, "Y", None) is None


def test_cli_imports_the_example_daily_series(tmp_path: Path) -> None:
    out = tmp_path / "daily.yaml"
    runner = CliRunner()
    args = ["import", str(EXAMPLES / "daily.csv"), "--source", "Ministry of Defence of X", "--subject", "Y"]
    metrics = [f"--metric={m}" for m in ("killed=Killed", "wounded=Wounded", "killed_or_wounded=Total")]
    result = runner.invoke(app, [*args, "--party", *metrics, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().splitlines()[-1] == (
        f"1650 rows: 1650 imported as 4948 claims, 0 skipped; 1 source, 1 document; wrote {out}"
    )
    dataset = load(out)  # the series runs to 2026-08-31
    assert next(iter(dataset.sources.values())).party is True
    for command in (["show", "killed"], ["estimate", "casualties"], ["check"], ["timeline", "wounded"]):
        assert runner.invoke(app, ["--data", str(out), *command]).exit_code == 0, command
    refused = runner.invoke(app, [*args, "--metric", "killed=Nowhere"])
    assert refused.exit_code == 1
    assert "no column for Nowhere; the header has: Date, Killed, Wounded, Total" in refused.stderr


def test_a_party_column_of_yes_and_blanks_is_pointed_out(tmp_path: Path) -> None:
    path = written(
        tmp_path,
        "date,estimate,type,source,country,Warring party",
        "2025-01-05,100,killed,Army A,Y,yes",
        "2025-01-05,300,killed,Paper C,Y,",
    )
    notes = import_csv(path, today=TODAY).report.notes
    assert (
        "the party column 'Warring party' holds only yes and empty cells: an empty cell is taken as not known, "
        "not as no; say which sources are not parties with `party: false` in an --aliases file"
    ) in notes


def test_sources_table_says_when_party_status_is_not_known(tmp_path: Path) -> None:
    out = tmp_path / "tracker.yaml"
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(EXAMPLES / "tracker.csv"), "-o", str(out)]).exit_code == 0
    shown = runner.invoke(app, ["--data", str(out), "sources"], env={"COLUMNS": "200"})
    rows = {line.split()[0]: line.split() for line in shown.stdout.splitlines()[2:]}
    assert rows["us-officials"][-2:] == ["unknown", "2"]
    assert rows["uk-mod"][-2:] == ["no", "1"]
