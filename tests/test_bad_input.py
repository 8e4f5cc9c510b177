"""Broken and hostile datasets: each is refused with its file, line, column, field and what would be accepted.

Every file in tests/bad/ but ok.yaml is one edit away from ok.yaml (several_problems.yaml three) and
names the edit on its first line; CASES says what the loader must answer for it. The files were
written by hand-checked edits of ok.yaml; a new case is a new file and a new row.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from reconcile.cli.app import app
from reconcile.errors import DatasetError, SettingError
from reconcile.io import read, yamlsafe
from reconcile.io.load import load

BAD = Path(__file__).resolve().parent / "bad"
TODAY = date(2025, 6, 1)

#: file stem -> (line, column, what the message must say); line and column None when the file has none.
CASES: dict[str, tuple[int | None, int | None, str]] = {
    # The file itself
    "missing_path": (None, None, "no such file"),
    "directory": (None, None, "is a directory; give the path of a dataset file"),
    "empty": (1, 1, "the file is empty; a dataset needs version, metrics, subjects, sources and claims"),
    "comments_only": (
        1,
        1,
        "the file holds only comments; a dataset needs version, metrics, subjects, sources and claims",
    ),
    "not_utf8": (4, 21, "is not valid UTF-8 (byte 0xe9); save the file as UTF-8"),
    "utf16": (1, 1, "is UTF-16 or UTF-32 text; save the file as UTF-8"),
    "binary_garbage": (3, 1, "contains a NUL byte; this is a binary file, not YAML text"),
    "control_character": (
        4,
        22,
        "contains the control character U+0007, which YAML does not allow; remove it",
    ),
    # YAML syntax and structure
    "not_well_formed": (
        5,
        10,
        (
            "not well-formed YAML: did not find expected ',' or '}' "
            "(while parsing a flow mapping that starts at line 4, column 11)"
        ),
    ),
    "tab_indent": (
        5,
        1,
        "not well-formed YAML: found character that cannot start any token; indent with spaces, not tabs",
    ),
    "top_level_list": (
        2,
        1,
        "(top level): must be a mapping of version, metrics, subjects, sources and claims, not a list",
    ),
    "top_level_text": (
        2,
        1,
        (
            "(top level): must be a mapping of version, metrics, subjects, sources and claims, "
            "not 'just some text'"
        ),
    ),
    "two_documents": (3, 1, "(top level): holds more than one YAML document; keep one"),
    "billion_laughs": (2, 6, "lol: anchors (&name) are not allowed; write the value out"),
    "alias": (3, 10, "metrics: aliases (*name) are not allowed; write the value out"),
    "nested_too_deep": (7, 47, ": is nested more than 32 levels deep, the limit; a dataset needs about 5"),
    "duplicate_key": (
        6,
        3,
        "metrics.killed: duplicate key 'killed' (first at line 4); each key may appear once",
    ),
    "duplicate_field": (
        21,
        5,
        "claims[0].source: duplicate key 'source' (first at line 20); each key may appear once",
    ),
    "key_not_text": (7, 3, "subjects: mapping keys must be text, not 1; quote the key"),
    "tag_python_object": (
        7,
        11,
        "subjects.troops: tags such as !!python/object:os.system are not allowed; write a plain value",
    ),
    "tag_python_name": (
        3,
        6,
        "run: tags such as !!python/name:os.system are not allowed; write a plain value",
    ),
    "tag_binary": (12, 15, "documents.doc.file: tags such as !!binary are not allowed; write a plain value"),
    "tag_local": (17, 21, "claims[0].value.stated: tags such as !upper are not allowed; write a plain value"),
    # YAML 1.1 surprises
    "bool_no": (9, 64, "sources.ministry.party: must be true or false, not 'NO'"),
    "bool_on": (10, 62, "sources.official.party: must be true or false, not 'on'"),
    "bool_y": (21, 17, "claims[0].projection: must be true or false, not 'y'"),
    "octal_version": (2, 10, "version: must be 1, not '017'"),
    "octal_number": (17, 41, "claims[0].value.low: must be a number, not '017'"),
    "sexagesimal": (17, 42, "claims[0].value.best: must be a number, not '1:20'"),
    "underscore_number": (17, 42, "claims[0].value.high: must be a number, not '1_000'"),
    "version_true": (2, 10, "version: must be 1, not true"),
    "number_too_large": (17, 42, "claims[0].value.high: 1.0e+999 is too large a number"),
    "not_a_number": (17, 42, "claims[0].value.best: must be a number, not '.nan'"),
    "date_not_iso": (19, 11, "claims[0].date: must be a date written YYYY-MM-DD, not '06/01/2025'"),
    "date_as_number": (19, 11, "claims[0].date: must be a date written YYYY-MM-DD, not 20250106"),
    "date_with_time": (
        19,
        11,
        "claims[0].date: must be a date written YYYY-MM-DD, not '2025-01-06 10:00:00'",
    ),
    # The schema
    "number_replaced_by_text": (17, 42, "claims[0].value.best: must be a number, not 'many'"),
    "text_replaced_by_number": (
        17,
        21,
        ("claims[0].value.stated: must be text (quote it if YAML reads it as something else), not 300"),
    ),
    "unknown_field": (
        20,
        5,
        (
            "claims[0].sorce: unknown field 'sorce' (did you mean 'source'?); the fields here are: id, "
            "metric, subject, place, value, scope, date, precision, projection, source, relay, citations, "
            "notes"
        ),
    ),
    "missing_field": (14, 5, "claims[0].subject: is required"),
    "scope_kind": (
        18,
        12,
        "claims[0].scope: kind must be 'cumulative', 'period' or 'incident', not 'forever'",
    ),
    "unknown_source_kind": (
        9,
        47,
        (
            "sources.ministry.kind: must be 'government', 'intelligence', 'military', 'official', "
            "'media', 'analyst' or 'unattributed', not 'army'"
        ),
    ),
    "bad_id": (
        14,
        9,
        (
            "claims[0].id: must be an id of lowercase letters, digits, '.', '_' and '-', starting with a "
            "letter or digit, not 'Ministry Killed'"
        ),
    ),
    "bad_metric_key": (
        4,
        3,
        (
            "metrics.Killed Soldiers: must be an id of lowercase letters, digits, '.', '_' and '-', "
            "starting with a letter or digit, not 'Killed Soldiers'"
        ),
    ),
    "no_citations": (21, 16, "claims[0].citations: must have at least 1 item, not 0"),
    "negative_count": (17, 41, "claims[0].value.low: must be at least 0, not -5"),
    "impossible_date": (19, 11, "claims[0].date: '2025-02-30' is not a real calendar date"),
    "period_backwards": (
        27,
        12,
        "claims[1].scope: the period ends (2025-01-01) before it starts (2025-01-07)",
    ),
    # Cross-references, quotes and intervals
    "low_above_high": (17, 41, "claims[0].value.low: must not exceed high (900 > 400)"),
    "range_inverted": (
        17,
        21,
        (
            "claims[0].value.stated: 'between five hundred and three hundred' reads as low 500 "
            "above high 300; write the smaller figure first"
        ),
    ),
    "future_claim": (28, 11, "claims[1].date: 2099-01-08 is in the future (today is 2025-06-01)"),
    "unknown_metric": (15, 13, "claims[0].metric: unknown metric 'kiled'; known: killed, wounded"),
    "unknown_source": (29, 13, "claims[1].source: unknown source 'oficial'; known: ministry, official"),
    "unknown_document": (22, 20, "claims[0].citations[0].document: unknown document 'dok'; known: doc"),
    "duplicate_id": (
        23,
        9,
        (
            "claims[1].id: duplicate id 'ministry-killed' (first at line 14); "
            "each claim needs an id of its own"
        ),
    ),
    "quote_missing": (
        22,
        32,
        (
            "claims[0].citations[0].quote: not found verbatim in doc.txt; "
            "copy the words exactly, with '...' where text is left out"
        ),
    ),
    "document_file_missing": (12, 15, f"documents.doc.file: no such file: {BAD / 'missing.txt'}"),
    "document_not_utf8": (
        12,
        15,
        (
            f"documents.doc.file: {BAD / 'latin1.txt'} is not valid UTF-8 (byte 0xe9); "
            "save the file as UTF-8 (line 1, column 70)"
        ),
    ),
    "several_problems": (19, 11, "claims[0].date: '2025-02-30' is not a real calendar date"),
    "vague_table_order": (
        3,
        30,
        ("wording.vague.a handful: must be [low, best, high] with 0 <= low <= best <= high, not [5, 3, 1]"),
    ),
}
#: Cases that rightly give more than one problem: a misspelt field is unknown and the real one missing.
PROBLEM_COUNTS = {"unknown_field": 2, "several_problems": 3}


def case_path(case: str) -> Path:
    return {"missing_path": BAD / "does_not_exist.yaml", "directory": BAD}.get(case, BAD / f"{case}.yaml")


def problems_of(path: Path) -> list[Any]:
    with pytest.raises(DatasetError) as info:
        load(path, today=TODAY)
    return info.value.problems


def test_the_corpus_is_one_edit_away_from_a_valid_dataset() -> None:
    dataset = load(BAD / "ok.yaml", today=TODAY)
    assert [c.id for c in dataset.claims] == ["ministry-killed", "official-killed-week"]


def test_every_bad_file_has_an_expectation() -> None:
    files = {p.stem for p in BAD.glob("*.yaml")} - {"ok"}
    assert files == set(CASES) - {"missing_path", "directory"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_with_position_field_and_remedy(case: str) -> None:
    path = case_path(case)
    line, column, expected = CASES[case]
    problems = problems_of(path)
    assert len(problems) == PROBLEM_COUNTS.get(case, 1), [str(p) for p in problems]
    where = str(path) + ("" if line is None else f":{line}:{column}")
    assert any(str(p).startswith(f"{where}: ") and expected in str(p) for p in problems), [
        str(p) for p in problems
    ]


def test_several_problems_in_different_claims_are_all_reported() -> None:
    """A schema error in one claim does not hide the cross-reference errors in the others."""
    assert [
        f"{p.line}:{p.column}: {p.field}: {p.message}" for p in problems_of(BAD / "several_problems.yaml")
    ] == [
        "19:11: claims[0].date: '2025-02-30' is not a real calendar date",
        "28:11: claims[1].date: 2099-01-08 is in the future (today is 2025-06-01)",
        "29:13: claims[1].source: unknown source 'oficial'; known: ministry, official",
    ]


def test_a_reference_to_a_malformed_claim_is_not_reported_twice(tmp_path: Path) -> None:
    text = (
        (BAD / "ok.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "value: {stated: nearly 500}", "value: {stated: nearly a third, relative_to: ministry-killed}"
        )
        .replace("date: 2025-01-06", "date: 06/01/2025")
    )
    (tmp_path / "doc.txt").write_text((BAD / "doc.txt").read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "relative.yaml"
    path.write_text(text, encoding="utf-8")
    assert [p.field for p in problems_of(path)] == ["claims[0].date"]


@pytest.mark.parametrize(
    ("plain", "value"),
    [
        ("NO", "NO"),
        ("on", "on"),
        ("y", "y"),
        ("yes", "yes"),
        ("Off", "Off"),
        ("017", "017"),
        ("0o17", "0o17"),
        ("0x1F", "0x1F"),
        ("1:20", "1:20"),
        ("1_000", "1_000"),
        ("1,000", "1,000"),
        ("2025-01-06", "2025-01-06"),
        (".inf", ".inf"),
        (".nan", ".nan"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("0", 0),
        ("12", 12),
        ("-3", -3),
        ("+7", 7),
        ("1.5", 1.5),
        ("0.25", 0.25),
        (".5", 0.5),
        # Exponents only as PyYAML writes them, so that text it leaves unquoted reads back as text.
        ("1.0e+3", 1000.0),
        ("1e3", "1e3"),
        ("1.5e3", "1.5e3"),
        ("-.5", "-.5"),
    ],
)
def test_plain_scalars_follow_the_narrow_rule(plain: str, value: object) -> None:
    data, _ = yamlsafe.parse(f"key: {plain}\n", Path("x.yaml"))
    assert data == {"key": value} and type(data["key"]) is type(value)


def test_quoted_scalars_are_always_text() -> None:
    data, _ = yamlsafe.parse("a: '12'\nb: \"true\"\nc: 'null'\n", Path("x.yaml"))
    assert data == {"a": "12", "b": "true", "c": "null"}


def test_yaml_1_1_lookalikes_stay_text_where_text_is_expected(tmp_path: Path) -> None:
    """A date in a text field, and NO (Norway), on, y, 017, 1:20, 1_000 in text fields, load as written."""
    text = (
        (BAD / "ok.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "    source: ministry\n",
            "    source: ministry\n    place: NO\n    relay: [on, y, 017, 1:20, 1_000]\n    notes: 2025-01-02\n",
        )
    )
    (tmp_path / "doc.txt").write_text((BAD / "doc.txt").read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "lookalikes.yaml"
    path.write_text(text, encoding="utf-8")
    claim = load(path, today=TODAY).claims[0]
    assert (claim.place, claim.relay, claim.notes) == (
        "NO",
        ("on", "y", "017", "1:20", "1_000"),
        "2025-01-02",
    )


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text((BAD / "doc.txt").read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (BAD / "ok.yaml").read_bytes())
    assert len(load(path, today=TODAY).claims) == 2


@pytest.fixture(params=["C", "pure"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml's event parser and again with PyYAML's pure-Python one."""
    if request.param == "C":
        if not getattr(yaml, "__with_libyaml__", False):
            pytest.skip("PyYAML was built without libyaml")
        monkeypatch.setattr(yamlsafe, "_loader_class", lambda: yaml.CSafeLoader)
    else:
        monkeypatch.setattr(yamlsafe, "_loader_class", lambda: yaml.SafeLoader)
    return str(request.param)


def counting_events(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the events the reader pulls from the parser, to show that it stops early."""
    counter = [0]
    real = yamlsafe._events

    def events(loader_class: Any, text: str) -> Any:
        for event in real(loader_class, text):
            counter[0] += 1
            yield event

    monkeypatch.setattr(yamlsafe, "_events", events)
    return counter


@pytest.mark.parametrize(
    "text",
    [
        # Under a key: a list at the top is refused as not a mapping before its depth shows.
        "a: " + "[" * 50_000 + "]" * 50_000,
        "a: " + "{b: " * 50_000 + "1" + "}" * 50_000,
        "".join("  " * i + "a:\n" for i in range(2_000)) + "  " * 2_000 + "1\n",
        "a:\n" + "- " * 50_000 + "x\n",
    ],
    ids=["brackets", "braces", "block-mappings", "block-sequences"],
)
def test_deep_nesting_is_refused_without_a_crash(
    text: str, loader: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PyYAML's C constructor segfaults on 50,000 brackets and the pure one raises RecursionError."""
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    events = counting_events(monkeypatch)
    [problem] = problems_of(path)
    assert f"is nested more than {yamlsafe.MAX_DEPTH} levels deep" in problem.message
    assert events[0] <= yamlsafe.MAX_DEPTH * 2 + 4


def test_billion_laughs_stops_at_the_first_anchor(loader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    events = counting_events(monkeypatch)
    [problem] = problems_of(BAD / "billion_laughs.yaml")
    assert (problem.line, problem.column) == (2, 6) and "anchors (&name) are not allowed" in problem.message
    assert events[0] <= 5  # stream, document, mapping, the key: nothing is expanded


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # The two parsers word syntax errors differently; the position and the advice are the same.
        ("not_well_formed", "(while parsing a flow mapping that starts at line 4, column 11)"),
        ("tab_indent", "; indent with spaces, not tabs"),
        ("control_character", CASES["control_character"][2]),
        ("alias", CASES["alias"][2]),
        ("tag_python_object", CASES["tag_python_object"][2]),
    ],
)
def test_both_parsers_give_the_same_position_and_advice(case: str, expected: str, loader: str) -> None:
    line, column, _ = CASES[case]
    [problem] = problems_of(BAD / f"{case}.yaml")
    assert (problem.line, problem.column) == (line, column) and expected in str(problem)


def test_a_file_above_the_size_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as sparse:
        sparse.truncate(2**40)  # a terabyte that takes no space; reading it would never finish
    [problem] = problems_of(path)
    assert problem.message == (
        f"is 1,099,511,627,776 bytes; the limit is {read.DEFAULT_MAX_BYTES:,} (set RECONCILE_MAX_BYTES to change it)"
    )
    monkeypatch.setenv("RECONCILE_MAX_BYTES", "100")
    small = tmp_path / "small.yaml"
    small.write_text("version: 1\n" * 10, encoding="utf-8")
    [problem] = problems_of(small)
    assert problem.message == "is 110 bytes; the limit is 100 (set RECONCILE_MAX_BYTES to change it)"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_without_a_size_is_read_no_further_than_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECONCILE_MAX_BYTES", "4096")
    [problem] = problems_of(Path("/dev/zero"))
    assert problem.message == "is more than 4,096 bytes, the limit (set RECONCILE_MAX_BYTES to change it)"


@pytest.mark.parametrize("value", ["0", "-1", "lots", "1e6"])
def test_an_unusable_size_limit_is_a_setting_error(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECONCILE_MAX_BYTES", value)
    with pytest.raises(
        SettingError, match=f"RECONCILE_MAX_BYTES must be a positive whole number of bytes, not '{value}'"
    ):
        load(BAD / "ok.yaml", today=TODAY)


# The command line: exit 1, the problems on stderr, nothing on stdout, never a traceback.

# Built once: typer's CliRunner rebuilds the command for every call, which would dominate these tests.
COMMAND = typer.main.get_command(app)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command line in this process; any exception but the exit propagates and fails the test."""
    with pytest.raises(SystemExit) as info:
        COMMAND.main(args=args, prog_name="reconcile")
    out = capsys.readouterr()
    return int(info.value.code or 0), out.out, out.err


def assert_refused(exit_code: int, stdout: str, stderr: str, expected: str) -> None:
    assert exit_code == 1, stderr
    assert stdout == ""
    assert expected in stderr and "Traceback" not in stderr
    assert stderr.splitlines()[-1].startswith("Error: ")


@pytest.mark.parametrize("command", ["validate", "show"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_cli_refuses_bad_input_cleanly(
    case: str, command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("RECONCILE_DATA", raising=False)
    path = str(case_path(case))
    args = ["validate", path] if command == "validate" else ["--data", path, "show", "killed"]
    exit_code, stdout, stderr = run_cli(args, capsys)
    line, column, expected = CASES[case]
    where = path + ("" if line is None else f":{line}:{column}")
    assert_refused(exit_code, stdout, stderr, f"{where}: ")
    assert expected.replace(f" (today is {TODAY})", "") in stderr  # the command line's today is the real one
    count = PROBLEM_COUNTS.get(case, 1)
    assert stderr.endswith(f"Error: the dataset has {count} problem{'s' if count > 1 else ''}\n")


def test_an_unusable_size_limit_is_reported_by_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RECONCILE_MAX_BYTES", "lots")
    assert_refused(
        *run_cli(["validate", str(BAD / "ok.yaml")], capsys),
        "Error: RECONCILE_MAX_BYTES must be a positive whole number of bytes, not 'lots'",
    )


@pytest.mark.parametrize(
    "args",
    [
        ["show"],
        ["--no-such-option"],
        ["show", "killed", "--as-of", "yesterday"],
        ["estimate", "killed", "--method", "nosuch"],
        ["export", "--format", "nosuch"],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    exit_code, stdout, stderr = run_cli(args, capsys)
    assert exit_code == 2 and stdout == "" and "Traceback" not in stderr
    assert "Value error" not in stderr  # the validator's kind of error, which says nothing to a user


def test_a_bad_choice_names_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, stderr = run_cli(["estimate", "killed", "--method", "nosuch"], capsys)
    assert (
        "Error: Invalid value for '--method': 'nosuch' is not one of 'envelope', 'median', 'conservative', "
        "'weighted'." in stderr
    )


def test_refusing_bad_input_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in BAD.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    monkeypatch.chdir(tmp_path)
    for path in sorted(tmp_path.glob("*.yaml")):
        run_cli(["validate", path.name], capsys)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def reconcile(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RECONCILE_")}
    return subprocess.run(
        [sys.executable, "-m", "reconcile", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("case", "command"),
    [
        ("tab_indent", "validate"),
        ("tag_python_name", "show"),
        ("directory", "show"),
        ("missing_path", "validate"),
    ],
)
def test_a_real_process_refuses_bad_input_cleanly(case: str, command: str) -> None:
    path = str(case_path(case))
    result = reconcile(*(["validate", path] if command == "validate" else ["--data", path, "show", "killed"]))
    assert_refused(result.returncode, result.stdout, result.stderr, CASES[case][2])


def test_a_real_process_survives_50000_nested_brackets(tmp_path: Path) -> None:
    """The process neither segfaults nor overflows its stack: libyaml's constructor would, on this file."""
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 50_000 + "]" * 50_000, encoding="utf-8")
    result = reconcile("--data", str(path), "show", "killed")
    assert_refused(result.returncode, result.stdout, result.stderr, f"{path}:1:35: ")


# The calendar's ends are valid dates: every command that takes one gives a result or says why not.
EDGES = [["--as-of", "9999-12-31"], ["--until", "9999-12-31"], ["--since", "0001-01-01"]]
DATED = [
    ["show", "casualties"],
    ["summary"],
    ["estimate", "killed"],
    ["estimate", "killed", "--every", "month"],
    ["timeline", "killed"],
    ["diff", "kr-nis", "zelensky"],
    ["export", "--format", "csv"],
    ["export", "--view", "estimate", "--format", "csv"],
    ["check"],
    ["plot", "killed", "-o", "{out}/chart.svg"],
    ["report", "-o", "{out}/report.html"],
]


@pytest.mark.parametrize("edge", EDGES, ids=lambda e: e[0].strip("-"))
@pytest.mark.parametrize("command", DATED, ids=lambda c: " ".join(c[:3]))
def test_the_ends_of_the_calendar_are_answered_without_a_crash(
    command: list[str], edge: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if command[0] == "plot":
        pytest.importorskip("matplotlib")
    args = [part.format(out=tmp_path) for part in command] + edge
    exit_code, stdout, stderr = run_cli(args, capsys)
    if exit_code == 2:  # an option the command does not take
        assert "No such option" in stderr
        return
    assert "Traceback" not in stderr
    if exit_code == 1:
        assert stdout == "" and stderr.splitlines()[-1].startswith("Error: "), stderr
        assert list(tmp_path.iterdir()) == []
    else:
        assert exit_code == 0, stderr
