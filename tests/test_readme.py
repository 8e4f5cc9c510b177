"""The transcripts of the README and of docs/ are the commands' real output.

Every ```console block whose first line is `$ reconcile ...`, in README.md and docs/*.md, is run at
80 columns without colour and compared with what follows it. Regenerate them all with:

    UPDATE_README=1 python -m pytest tests/test_readme.py
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ (reconcile [^\n]*)\n(.*?)```", re.DOTALL)


def run(command: str) -> str:
    argv = shlex.split(command)[1:]
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, argv, env={"COLUMNS": "80", "NO_COLOR": "1", "RECONCILE_DATA": None})
    finally:
        os.chdir(cwd)
    return "\n".join(line.rstrip() for line in result.output.splitlines()) + "\n"


DOCUMENTS = [README, *sorted((ROOT / "docs").glob("*.md"))]


def transcripts() -> list[tuple[Path, str, str]]:
    return [
        (path, m[1], m[2]) for path in DOCUMENTS for m in BLOCK.finditer(path.read_text(encoding="utf-8"))
    ]


def test_ci_runs_exactly_the_set_up_commands() -> None:
    set_up = README.read_text(encoding="utf-8").split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", set_up, re.DOTALL)
    assert len(commands) == 2
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert all(command in script for command in commands)


def test_readme_and_docs_have_transcripts() -> None:
    assert sum(path == README for path, _, _ in transcripts()) >= 4
    assert len(transcripts()) >= 20


def test_the_readme_is_a_short_front_door() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 200


@pytest.mark.parametrize(
    ("path", "command", "shown"), transcripts(), ids=[f"{p.name}: {c}" for p, c, _ in transcripts()]
)
def test_transcript_is_real_output(path: Path, command: str, shown: str) -> None:
    if os.environ.get("UPDATE_README"):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(f"$ {command}\n{shown}```", f"$ {command}\n{run(command)}```", 1), encoding="utf-8"
        )
        return
    assert run(command) == shown
