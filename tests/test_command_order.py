"""`reconcile --help` lists the commands in the order a new user needs them."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from reconcile.cli.app import COMMAND_ORDER, app


def test_help_lists_commands_in_the_order_a_new_user_needs_them() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    listed = re.findall(r"^  (\S+)  ", result.output.split("Commands:", 1)[1], flags=re.MULTILINE)
    ordered = [name for name in listed if name in COMMAND_ORDER]
    assert ordered == [name for name in COMMAND_ORDER if name in listed]
    assert listed[: len(ordered)] == ordered  # commands not in COMMAND_ORDER come after
    assert listed[0] == "show"
