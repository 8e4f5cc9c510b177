"""Owning and editing a dataset: where commands find it, `init`, names that are nearly right, help."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli.app import _globals_first, app, complete_metric, complete_source, complete_subject
from reconcile.io.where import default_path, discover

runner = CliRunner()


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder of its own, with no RECONCILE_DATA."""
    monkeypatch.delenv("RECONCILE_DATA", raising=False)
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_data_may_follow_the_command(small_dataset: Path) -> None:
    after = runner.invoke(app, ["show", "killed", "--data", str(small_dataset), "--json"])
    before = runner.invoke(app, ["--data", str(small_dataset), "show", "killed", "--json"])
    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout
    joined = runner.invoke(app, ["show", f"--data={small_dataset}", "killed", "--json"])
    assert joined.stdout == before.stdout


def test_globals_first_leaves_what_follows_a_double_dash() -> None:
    assert _globals_first(["show", "killed", "--data", "x.yaml"]) == ["--data", "x.yaml", "show", "killed"]
    assert _globals_first(["show", "--", "--data"]) == ["show", "--", "--data"]
    assert _globals_first(["--data", "x.yaml", "show"]) == ["--data", "x.yaml", "show"]
    assert _globals_first(["show", "--allow-outside", "k"]) == ["--allow-outside", "show", "k"]
    # Some of the program's options before the command, some after it.
    assert _globals_first(["--allow-outside", "sources", "--data", "x.yaml"]) == [
        "--allow-outside",
        "--data",
        "x.yaml",
        "sources",
    ]
    assert _globals_first(["--data", "a.yaml", "show", "--data=b.yaml"]) == [
        "--data",
        "a.yaml",
        "--data=b.yaml",
        "show",
    ]
    assert _globals_first(["--data"]) == ["--data"]
    assert _globals_first(["--allow-outside", "--help"]) == ["--allow-outside", "--help"]


def test_data_after_the_command_without_a_value() -> None:
    result = runner.invoke(app, ["show", "killed", "--data"])
    assert result.exit_code == 2
    assert (
        "Invalid value for '--data': no value follows it; write one, e.g. --data data/estimates.yaml"
        in result.output
    )


@pytest.mark.parametrize(
    ("argv", "meant"),
    [
        (["show", "killed_or_wonded"], "killed_or_wounded"),
        (["show", "casualty"], "casualties"),
        (["show", "killed", "--source", "us-oficials"], "us-officials"),
        (["show", "killed", "--subject", "dprk-froces"], "dprk-forces"),
        (["diff", "zelenski", "nis"], "ua-president"),
        (["shw"], "show"),
    ],
)
def test_did_you_mean(argv: list[str], meant: str) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code in (1, 2)
    assert re.search(rf"[Dd]id you mean '?{meant}", result.stderr), result.stderr


def test_a_short_name_matches_a_source_by_word() -> None:
    result = runner.invoke(app, ["diff", "us", "nis", "--json"])
    # "us" is a word of three US sources' names, never part of "Russia"
    assert "ru-mod" not in result.stderr
    assert "us-officials" in result.stderr and "ambiguous" in result.stderr
    white = runner.invoke(app, ["diff", "white house", "zelensky", "--json"])
    assert white.exit_code == 0, white.output


def test_a_dataset_in_the_folder_or_above_is_used(
    elsewhere: Path, write_dataset: Callable[..., Path]
) -> None:
    path = write_dataset()  # estimates.yaml in the folder above `elsewhere`
    (elsewhere / "deeper").mkdir()
    os.chdir(elsewhere / "deeper")
    assert discover(Path.cwd()) == path
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert str(path) in result.stdout and "5 claims" in result.stdout


def test_a_config_file_names_the_dataset(elsewhere: Path, write_dataset: Callable[..., Path]) -> None:
    path = write_dataset(name="mine.yaml")
    (elsewhere / ".reconcile.toml").write_text('data = "../mine.yaml"\n', encoding="utf-8")
    assert discover(elsewhere) == elsewhere / "../mine.yaml"
    assert runner.invoke(app, ["validate"]).exit_code == 0
    (elsewhere / ".reconcile.toml").write_text("data = [\n", encoding="utf-8")
    broken = runner.invoke(app, ["validate"])
    assert broken.exit_code == 1 and ".reconcile.toml" in broken.stderr and "Traceback" not in broken.output
    assert path.is_file()


def test_data_and_the_environment_win_over_the_folder(
    elsewhere: Path, write_dataset: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_dataset()
    shipped = str(default_path())
    assert "38 claims" in runner.invoke(app, ["--data", shipped, "validate"]).stdout
    monkeypatch.setenv("RECONCILE_DATA", shipped)
    assert "38 claims" in runner.invoke(app, ["validate"]).stdout


def test_init_writes_a_copy_whose_documents_resolve(elsewhere: Path) -> None:
    made = runner.invoke(app, ["init", "mine"])
    assert made.exit_code == 0, made.output
    os.chdir(elsewhere / "mine")
    checked = runner.invoke(app, ["validate"])
    assert checked.exit_code == 0, checked.output
    assert "data/estimates.yaml: valid: 38 claims" in checked.stdout
    assert "44 quotes found verbatim" in checked.stdout
    assert (elsewhere / "mine" / "schema" / "estimates.schema.json").is_file()
    os.chdir(elsewhere)
    again = runner.invoke(app, ["init", "mine"])
    assert again.exit_code == 1 and "--force" in again.stderr
    assert runner.invoke(app, ["init", "mine", "--force"]).exit_code == 0


def test_completion_offers_the_datasets_names(small_dataset: Path) -> None:
    ctx = app_context(small_dataset)
    assert complete_metric(ctx, "k") == ["killed"]
    assert complete_metric(ctx, "cas") == ["casualties"]
    assert complete_source(ctx, "mi") == ["ministry"]
    assert complete_source(ctx, "mo") == ["MoD"]
    assert complete_subject(ctx, "") == ["troops"]


def app_context(dataset: Path) -> object:
    import typer

    command = typer.main.get_command(app)
    root = command.make_context(
        "reconcile", ["--data", str(dataset), "show", "killed"], resilient_parsing=True
    )
    return root


def test_completion_through_the_shell_protocol(small_dataset: Path) -> None:
    env = {
        **os.environ,
        "_RECONCILE_COMPLETE": "complete_bash",
        "COMP_WORDS": f"reconcile --data {small_dataset} diff mi",
        "COMP_CWORD": "4",
    }
    done = subprocess.run(
        [sys.executable, "-m", "reconcile"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.stdout.split() == ["ministry"]


def _commands() -> list[str]:
    import typer

    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", _commands())
def test_help_shows_no_type_placeholders(name: str) -> None:
    shown = runner.invoke(app, [name, "--help"], env={"COLUMNS": "100"}).stdout
    for placeholder in ("<str>", "<int>", "<list", "<path>", "<file>", "<float>", "%Y", "<datetime"):
        assert placeholder not in shown, (name, placeholder)


def test_a_bad_date_says_how_to_write_one() -> None:
    result = runner.invoke(app, ["show", "killed", "--as-of", "2025/01/01"])
    assert result.exit_code == 2
    assert "'2025/01/01' is not a date; write YYYY-MM-DD" in result.stderr
    assert "Value error" not in result.stderr and "%Y" not in result.stderr


@pytest.mark.parametrize("command", ["plot", "report"])
def test_output_is_marked_required(command: str) -> None:
    shown = " ".join(runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).stdout.split())
    assert re.search(r"-o, --output FILE .*\[required unless --json\]", shown), shown


@pytest.mark.parametrize(
    "command",
    [
        ["show", "killed"],
        ["estimate", "killed"],
        ["timeline", "killed"],
        ["diff", "ministry", "official"],
        ["check"],
        ["validate"],
        ["plot", "killed"],
        ["report"],
    ],
)
def test_every_json_object_names_its_dataset(
    command: list[str], small_dataset: Path, elsewhere: Path
) -> None:
    shown = runner.invoke(app, [*command, "--json", "--data", str(small_dataset)])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["dataset"] == str(small_dataset)


def test_the_dataset_is_named_relative_to_the_working_folder_below_it(
    small_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(small_dataset.parent)
    shown = runner.invoke(app, ["show", "killed", "--json", "--data", str(small_dataset)])
    assert json.loads(shown.stdout)["dataset"] == small_dataset.name


@pytest.mark.parametrize("command", [["schema"], ["import", "{sheet}"]])
def test_commands_that_do_not_read_the_dataset_still_keep_its_documents(
    command: list[str], small_dataset: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "date,metric,source,subject,value\n2025-01-05,killed,Ministry,troops,300\n", encoding="utf-8"
    )
    document = small_dataset.parent / "doc.txt"
    before = document.read_bytes()
    args = [a.replace("{sheet}", str(sheet)) for a in command]
    refused = runner.invoke(app, ["--data", str(small_dataset), *args, "-o", str(document)])
    assert refused.exit_code == 1, refused.output
    assert "is a document the dataset cites" in refused.stderr and "give --force" in refused.stderr
    assert document.read_bytes() == before
    forced = runner.invoke(app, ["--data", str(small_dataset), *args, "-o", str(document), "--force"])
    assert forced.exit_code == 0, forced.output


def test_a_broken_dataset_does_not_stop_a_command_that_does_not_read_it(tmp_path: Path) -> None:
    broken = tmp_path / "estimates.yaml"
    broken.write_text("version: [\n", encoding="utf-8")
    written = runner.invoke(app, ["--data", str(broken), "schema", "-o", str(tmp_path / "schema.json")])
    assert written.exit_code == 0, written.output
