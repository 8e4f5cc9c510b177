"""`reconcile validate --json`: the counts of a valid dataset, or every problem, as data."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reconcile.cli.app import app
from reconcile.io.validation import ProblemView, Validation, summary_line, validate_file


def test_a_valid_dataset_gives_its_counts(small_dataset: Path) -> None:
    assert validate_file(small_dataset) == Validation(
        file=str(small_dataset),
        valid=True,
        claims=5,
        metrics=3,
        sources=3,
        documents=1,
        quotes_found=5,
        quotes_unchecked=0,
    )


def test_an_invalid_dataset_gives_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nmetrics: {}\n", encoding="utf-8")
    result = validate_file(path)
    assert (result.valid, result.claims) == (False, 0)
    assert result.problems == [
        ProblemView(file=str(path), line=1, column=1, field="subjects", message="is required"),
        ProblemView(file=str(path), line=1, column=1, field="sources", message="is required"),
        ProblemView(
            file=str(path), line=2, column=10, field="metrics", message="must have at least 1 entry, not 0"
        ),
    ]


def test_summary_line_counts_unarchived_quotes_apart() -> None:
    result = Validation(
        file="x.yaml",
        valid=True,
        claims=2,
        metrics=1,
        sources=1,
        documents=1,
        quotes_found=1,
        quotes_unchecked=1,
    )
    assert summary_line(result) == (
        "x.yaml: valid: 2 claims, 1 metrics, 1 sources, 1 documents, "
        "1 quotes found verbatim, 1 not checked (no archived file)"
    )


def test_cli_validate_json(small_dataset: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["validate", str(small_dataset), "--json"])
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)["claims"] == 5
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 2\n", encoding="utf-8")
    failed = runner.invoke(app, ["validate", str(bad), "--json"])
    assert failed.exit_code == 1
    data = json.loads(failed.stdout)
    assert data["valid"] is False
    assert {
        "line": 1,
        "column": 10,
        "field": "version",
        "message": "must be 1, not 2",
        "file": str(bad),
    } in data["problems"]
    assert failed.stderr == ""
