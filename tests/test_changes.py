"""`reconcile changes`: claims added, removed and revised between two datasets, and estimates moved."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.analysis.changes import FieldChange, changes
from reconcile.analysis.claims import Filters
from reconcile.analysis.estimate import estimates
from reconcile.cli.app import app
from reconcile.io.load import load
from tests.conftest import CLAIMS, HEADER

NEW_CLAIM = """\
  - id: analysts-killed
    metric: killed
    subject: troops
    value: {stated: "between 10,000 and 12,000"}
    scope: {kind: cumulative}
    date: 2025-01-09
    source: analysts
    citations:
      - {document: doc, quote: "between 10,000 and 12,000"}
"""


def revised_claims() -> str:
    """The small dataset a week on: one figure, one date and one attribution revised, a claim gone, one new."""
    text = CLAIMS.replace("value: {stated: more than 300}", "value: {stated: more than 300, high: 400}")
    text = text.replace(
        '    date: 2025-01-08\n    source: official\n    citations:\n      - {document: doc, quote: "12,000',
        '    date: 2025-01-09\n    source: official\n    citations:\n      - {document: doc, quote: "12,000',
    )
    text = text.replace(
        '    source: ministry\n    citations:\n      - {document: doc, quote: "about 1,200 wounded"}',
        '    source: ministry\n    relay: [Daily Example]\n    citations:\n      - {document: doc, quote: "about 1,200 wounded"}',
    )
    kept, _, _ = text.partition("  - id: analysts-deployed")
    return kept + NEW_CLAIM


@pytest.fixture
def two(tmp_path: Path, write_dataset: Callable[..., Path]) -> tuple[Path, Path]:
    old = write_dataset()
    new = write_dataset(HEADER + revised_claims(), name="later.yaml")
    return old, new


def test_lists_claims_added_removed_and_revised(two: tuple[Path, Path]) -> None:
    old, new = (load(p) for p in two)
    found = changes(old, new)
    assert [c.id for c in found.added] == ["analysts-killed"]
    assert [c.id for c in found.removed] == ["analysts-deployed"]
    by_id = {r.claim.id: r.changes for r in found.revised}
    assert by_id == {
        "ministry-killed": [
            FieldChange("figure", "more than 300 [300, 300, open]", "more than 300 [300, 300, 400]")
        ],
        "ministry-wounded": [
            FieldChange("attribution", "Ministry of Defence", "Ministry of Defence via Daily Example")
        ],
        "official-deployed": [FieldChange("date", "2025-01-08", "2025-01-09")],
    }


def test_estimates_moved_are_the_estimates_of_each_side(two: tuple[Path, Path]) -> None:
    old, new = (load(p) for p in two)
    found = changes(old, new)
    moved = {(m.metric, m.subject): m for m in found.estimates}
    assert set(moved) >= {("killed", "troops"), ("deployed", "troops")}
    for (metric, subject), move in moved.items():
        (was,) = [e for e in estimates(old, metric, Filters()).estimates if e.subject == subject]
        (now,) = [e for e in estimates(new, metric, Filters()).estimates if e.subject == subject]
        assert (move.old_low, move.old_best, move.old_high) == (was.low, was.best, was.high)
        assert (move.new_low, move.new_best, move.new_high) == (now.low, now.best, now.high)
    assert ("wounded", "troops") not in moved or moved[("wounded", "troops")].moved


def test_a_dataset_against_itself_has_no_changes(small_dataset: Path) -> None:
    data = load(small_dataset)
    assert changes(data, data).empty


def test_cli_json_markdown_and_tables(two: tuple[Path, Path]) -> None:
    old, new = (str(p) for p in two)
    runner = CliRunner()
    shown = runner.invoke(app, ["changes", old, new])
    assert shown.exit_code == 0, shown.output
    assert "1 added, 1 removed, 3 revised" in shown.output
    assert "analysts-killed" in shown.output and "300, 300, 400" in shown.output
    as_json = runner.invoke(app, ["changes", old, new, "--json"])
    data = json.loads(as_json.stdout, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
    assert set(data) == {"old", "new", "added", "removed", "revised", "estimates"}
    assert data["revised"][0]["changes"][0]["field"] == "figure"
    note = runner.invoke(app, ["changes", old, new, "--markdown"]).stdout
    assert note.startswith("# Changes from ")
    assert "## Added" in note and "## Removed" in note and "## Revised" in note and "## Estimates" in note
    assert "| official-deployed | date | 2025-01-08 | 2025-01-09 |" in note


def test_text_from_the_data_is_escaped(write_dataset: Callable[..., Path]) -> None:
    old = write_dataset()
    hostile = HEADER.replace("name: Independent analysts", 'name: "<script>x</script> \\e[2J"')
    new = write_dataset(hostile + revised_claims(), name="later.yaml")
    runner = CliRunner()
    note = runner.invoke(app, ["changes", str(old), str(new), "--markdown"]).stdout
    assert "<script>" not in note and "\x1b" not in note
    shown = runner.invoke(app, ["changes", str(old), str(new)]).stdout
    assert "\x1b" not in shown and "\\x1b[2J" in shown


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


def test_git_revision_against_the_working_file(tmp_path: Path, write_dataset: Callable[..., Path]) -> None:
    path = write_dataset()
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "estimates.yaml", "doc.txt")
    _git(tmp_path, "commit", "-q", "-m", "first")
    path.write_text(HEADER + revised_claims(), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["--data", str(path), "changes", "git:HEAD", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [c["id"] for c in data["added"]] == ["analysts-killed"]
    assert data["old"] == "git:HEAD"


def test_git_revision_problems_name_the_revision(tmp_path: Path, write_dataset: Callable[..., Path]) -> None:
    path = write_dataset()
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "estimates.yaml")  # the document is not committed
    _git(tmp_path, "commit", "-q", "-m", "first")
    runner = CliRunner()
    result = runner.invoke(app, ["--data", str(path), "changes", "git:HEAD", str(path)])
    assert result.exit_code == 1
    assert "git:HEAD:estimates.yaml:" in result.stderr and "git:HEAD:doc.txt" in result.stderr
    assert "reconcile-" not in result.stderr  # no temporary folder


@pytest.mark.parametrize(
    ("side", "message"),
    [
        ("git:no-such-rev", "no such revision"),
        ("git:--output=x", "names no revision"),
        ("git:", "names no revision"),
    ],
)
def test_bad_revisions(tmp_path: Path, write_dataset: Callable[..., Path], side: str, message: str) -> None:
    path = write_dataset()
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "estimates.yaml", "doc.txt")
    _git(tmp_path, "commit", "-q", "-m", "first")
    result = CliRunner().invoke(app, ["--data", str(path), "changes", side, str(path)])
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output


def test_outside_a_repository(write_dataset: Callable[..., Path]) -> None:
    path = write_dataset()
    result = CliRunner().invoke(app, ["--data", str(path), "changes", "git:HEAD", str(path)])
    assert result.exit_code == 1
    assert "is not in a git repository" in result.stderr
