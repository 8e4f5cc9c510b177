"""The short path of `show`: the same output as the full command line, from plain objects, or no answer."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from reconcile.cli import launch
from reconcile.cli.app import app
from reconcile.cli.launch import ShowRequest, answer, parse_show
from reconcile.io import cache, records
from reconcile.io.load import load
from reconcile.io.where import default_path
from reconcile.model import dataset as models
from tests.test_cache import backdate, rewrite_payload

runner = CliRunner()

# Command lines the short path answers, each with what the full command line prints for it.
ANSWERED = [
    ["show", "casualties"],
    ["show", "killed"],
    ["show", "casualties", "--all"],
    ["show", "--all", "killed"],
    ["show", "casualties", "--as-of", "2024-12-20"],
    ["show", "casualties", "--as-of=2024-12-20"],
    ["show", "killed", "--since", "2024-12-20", "--until", "2025-01-31"],
    ["show", "casualties", "--source", "nis", "--source", "ua-hur"],
    ["show", "casualties", "--source=NIS"],
    ["show", "casualties", "--subject", "sent to russia"],
    ["show", "deployed", "--as-of", "2025-1-5"],  # strptime reads a month and a day of one digit
]
# Command lines left to the full command line: other commands, JSON, help, usage errors, unknown names.
LEFT = [
    [],
    ["--version"],
    ["show"],
    ["show", "--help"],
    ["show", "casualties", "--json"],
    ["metrics"],
    ["show", "casualties", "killed"],
    ["show", "casualties", "--as-of", "2024-13-01"],
    ["show", "casualties", "--as-of", "2024-12-20", "--as-of", "2024-12-21"],
    ["show", "casualties", "--all=1"],
    ["show", "casualties", "--source"],
    ["show", "casualties", "--source", "--all"],
    ["show", "--", "casualties"],
    ["show", "casualties", "-x"],
    ["show", "no-such-metric"],
    ["show", "casualties", "--source", "nobody"],
    ["show", "casualties", "--source", "a"],  # ambiguous
    ["--data", "show", "show", "killed"],
    ["--data=", "show", "killed"],
    ["timeline", "show"],
]


@pytest.fixture
def cached() -> Path:
    """The shipped dataset, with its cache entry written by a first run."""
    path = default_path()
    load(path)
    return path


def full(args: list[str]) -> Any:
    return runner.invoke(app, args)


@pytest.mark.parametrize("args", ANSWERED, ids=" ".join)
def test_the_short_path_prints_what_the_command_line_prints(
    cached: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    expected = full(args)
    assert expected.exit_code == 0, expected.output
    assert answer(args)
    out, err = capsys.readouterr()
    assert out == expected.stdout and err == ""


@pytest.mark.parametrize("args", LEFT, ids=lambda a: " ".join(a) or "(nothing)")
def test_anything_else_is_left_to_the_command_line(
    cached: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert not answer(args)
    assert capsys.readouterr() == ("", "")


def test_the_parser_reads_every_option() -> None:
    assert parse_show(
        [
            "--data",
            "x.yaml",
            "show",
            "killed",
            "--all",
            "--as-of",
            "2025-01-02",
            "--since=2024-12-01",
            "--until",
            "2025-01-01",
            "--source",
            "nis",
            "--source=gur",
            "--subject",
            "dprk",
        ]
    ) == ShowRequest(
        metric="killed",
        data=Path("x.yaml"),
        all_claims=True,
        as_of=date(2025, 1, 2),
        since=date(2024, 12, 1),
        until=date(2025, 1, 1),
        sources=("nis", "gur"),
        subject="dprk",
    )


def test_no_entry_no_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert not answer(["show", "casualties"])
    assert capsys.readouterr() == ("", "")


def test_data_from_the_option_and_from_the_setting(
    small_dataset: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    backdate(small_dataset.parent / "doc.txt")
    load(small_dataset)
    expected = full(["--data", str(small_dataset), "show", "killed"]).stdout
    assert answer(["--data", str(small_dataset), "show", "killed"])
    assert capsys.readouterr().out == expected
    monkeypatch.setenv("RECONCILE_DATA", str(small_dataset))
    assert answer(["show", "killed"])
    assert capsys.readouterr().out == expected
    monkeypatch.setenv("RECONCILE_DATA", "")
    assert not answer(["show", "killed"])


def test_large_datasets_are_read_by_pydantic(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launch, "LARGE", 10)
    assert not answer(["show", "casualties"])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"date":"2024-12-17"', b'"date":20241217'),
        (b'"party":false', b'"party":"no"'),
        (b'"stated":"approximately 100"', b'"stated":"approximately 100","colour":"red"'),
        (b'"kind":"cumulative"', b'"kind":"running"'),
    ],
)
def test_an_entry_of_the_wrong_shape_is_not_answered_from(
    cached: Path, private_cache: Path, old: bytes, new: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = full(["show", "casualties"]).stdout

    def change(payload: bytes) -> bytes:
        assert old in payload
        return payload.replace(old, new, 1)

    [entry] = private_cache.glob("*.dataset")
    rewrite_payload(entry, change)
    assert not answer(["show", "casualties"])
    assert capsys.readouterr() == ("", "")
    assert full(["show", "casualties"]).stdout == expected  # read from the file, and cached again
    assert answer(["show", "casualties"])


def same(record: Any, model: Any, where: str) -> None:
    """Every field of a model, as the record holds it, recursively."""
    if isinstance(model, BaseModel):
        assert type(record).__name__ == type(model).__name__, where
        names = set(type(model).model_fields)
        assert set(type(record).FIELDS) == names, where
        for name in names:
            same(getattr(record, name), getattr(model, name), f"{where}.{name}")
    elif isinstance(model, dict):
        assert isinstance(record, dict) and record.keys() == model.keys(), where
        for key in model:
            same(record[key], model[key], f"{where}[{key}]")
    elif isinstance(model, list):
        assert isinstance(record, list) and len(record) == len(model), where
        for i, (r, m) in enumerate(zip(record, model, strict=True)):
            same(r, m, f"{where}[{i}]")
    else:
        assert type(record) is type(model) and record == model, where


def revived(path: Path) -> tuple[records.Dataset, models.Dataset]:
    dataset = load(path)
    found = cache.lookup(path, date.today())
    assert found is not None
    plain = records.revive(*found, [*dataset.metrics])
    assert plain is not None
    return plain, dataset


def test_records_hold_what_the_models_hold(cached: Path) -> None:
    plain, dataset = revived(cached)
    same(plain, dataset, "dataset")
    for record, claim in zip(plain.claims, dataset.claims, strict=True):
        same(record.interval, claim.interval, f"{claim.id}.interval")


def test_records_hold_what_the_models_hold_on_generated_data(tmp_path: Path) -> None:
    from tests.conftest import generator

    generator().write(tmp_path / "claims.yaml", 400, seed=11)
    for document in (tmp_path / "claims-docs").rglob("*.txt"):
        backdate(document)
    plain, dataset = revived(tmp_path / "claims.yaml")
    same(plain, dataset, "dataset")
    for record, claim in zip(plain.claims, dataset.claims, strict=True):
        same(record.interval, claim.interval, f"{claim.id}.interval")


@pytest.mark.parametrize(
    "name",
    [
        "Metric",
        "Subject",
        "Source",
        "Document",
        "Wording",
        "Value",
        "Interval",
        "Cumulative",
        "Period",
        "Incident",
        "Citation",
        "Claim",
        "Dataset",
    ],
)
def test_records_have_the_defaults_of_the_models(name: str) -> None:
    model, record = getattr(models, name), getattr(records, name)
    assert list(record.FIELDS) == list(model.model_fields)
    for field, info in model.model_fields.items():
        _read, default = record.FIELDS[field]
        if info.is_required():
            assert default is records._REQUIRED, field
        else:
            made = default() if callable(default) else default
            expected = info.get_default(call_default_factory=True)
            if isinstance(expected, BaseModel):
                made = {n: getattr(made, n) for n in made.FIELDS}
                expected = dict(expected)
            assert made == expected, field


SHORT_PATH = """
import sys
from reconcile.cli.launch import main
sys.argv = ["reconcile", "show", "casualties"]
main()
print("imported:", *sorted(m for m in ("typer", "pydantic", "reconcile.model.dataset") if m in sys.modules), file=sys.stderr)
"""


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "RECONCILE_DATA"}


def test_the_console_script_answers_without_typer_or_pydantic(cached: Path) -> None:
    expected = full(["show", "casualties"]).stdout
    result = subprocess.run(
        [sys.executable, "-c", SHORT_PATH],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout == expected
    assert result.stderr == "imported:\n"


def test_the_console_script_falls_back_to_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reconcile", "show", "casualties"],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and result.stdout == full(["show", "casualties"]).stdout
    unknown = subprocess.run(
        [sys.executable, "-m", "reconcile", "show", "nothing"],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=120,
        check=False,
    )
    assert unknown.returncode == 1 and unknown.stderr.startswith("Error: unknown metric or group 'nothing'")


def test_a_closed_pipe_on_the_short_path_ends_quietly(cached: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "reconcile", "show", "casualties"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    assert process.wait(timeout=120) == 0
    assert process.stderr.read() == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full")
def test_a_full_disk_on_the_short_path_is_an_error_without_a_traceback(cached: Path) -> None:
    with open("/dev/full", "wb") as device:
        result = subprocess.run(
            [sys.executable, "-m", "reconcile", "show", "casualties"],
            stdout=device,
            stderr=subprocess.PIPE,
            env=environment(),
            timeout=120,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr.decode().startswith("Error: cannot write to standard output")
