"""`reconcile --help` lists the commands in the order a new user needs them."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from reconcile.cli.app import COMMAND_ORDER, app, for_command


def test_help_lists_commands_in_the_order_a_new_user_needs_them() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    listed = re.findall(r"^  (\S+)  ", result.output.split("Commands:", 1)[1], flags=re.MULTILINE)
    ordered = [name for name in listed if name in COMMAND_ORDER]
    assert ordered == [name for name in COMMAND_ORDER if name in listed]
    assert listed[: len(ordered)] == ordered  # commands not in COMMAND_ORDER come after
    assert listed[0] == "show"


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["show", "killed"], "show"),
        (["--data", "x.yaml", "estimate", "killed"], "estimate"),
        (["--data=x.yaml", "--allow-outside", "import", "sheet.csv"], "import"),
        (["show", "killed", "--data", "x.yaml"], "show"),
    ],
)
def test_a_command_line_builds_only_the_command_it_runs(args: list[str], command: str) -> None:
    names = [
        info.name or info.callback.__name__ for info in for_command(args).registered_commands if info.callback
    ]
    assert names == [command]


@pytest.mark.parametrize(
    "args", [[], ["--help"], ["--version"], ["sho", "killed"], ["--data"], ["--bogus", "show"], ["-h"]]
)
def test_help_mistakes_and_unknown_commands_get_every_command(args: list[str]) -> None:
    assert for_command(args) is app


def test_shell_completion_gets_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_RECONCILE_COMPLETE", "complete_bash")
    assert for_command(["show", "killed"]) is app


@pytest.mark.parametrize(
    "args",
    [
        ["show", "--help"],
        ["show", "killed", "--bogus"],
        ["--data", "data/estimates.yaml", "estimate", "killed", "--json"],
        ["export", "--format", "nope"],
        ["show"],
    ],
)
def test_the_one_command_app_answers_as_the_whole_app_does(args: list[str]) -> None:
    whole = CliRunner().invoke(app, args, prog_name="reconcile")
    one = CliRunner().invoke(for_command(args), args, prog_name="reconcile")
    assert (one.exit_code, one.output) == (whole.exit_code, whole.output)
