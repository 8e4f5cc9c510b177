"""The README and docs/ show the commands' real output, and their links lead somewhere.

Every ```console block whose first line is `$ reconcile ...`, in README.md and in docs/*.md, is run
at 80 columns without colour and compared with what follows it. After a change to what a command
prints, rewrite them all from the real output with:

    python -m pytest tests/test_readme.py --update-transcripts

and review the diff.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from reconcile.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
BLOCK = re.compile(r"```console\n\$ (reconcile [^\n]*)\n(.*?)```", re.DOTALL)
#: A Markdown link or image: [text](target), the target without spaces.
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
PYTHON = re.compile(r"```python\n(.*?)```", re.DOTALL)
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
#: The longest the README may grow: a front door, with the rest in docs/.
README_LINES = 200


def documents() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def run(command: str) -> str:
    argv = shlex.split(command)[1:]
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, argv, env={"COLUMNS": "80", "NO_COLOR": "1", "RECONCILE_DATA": None})
    finally:
        os.chdir(cwd)
    return "\n".join(line.rstrip() for line in result.output.splitlines()) + "\n"


def transcripts(path: Path) -> list[tuple[str, str]]:
    return [(m[1], m[2]) for m in BLOCK.finditer(path.read_text(encoding="utf-8"))]


def every_transcript() -> list[tuple[Path, str, str]]:
    return [(path, command, shown) for path in documents() for command, shown in transcripts(path)]


def rewrite(path: Path, command: str, shown: str) -> None:
    """Replace the first block of `command` that still shows `shown` with the command's real output.

    Identical blocks are rewritten one per test, first to last, since each rewrite stops matching.
    """
    text = path.read_text(encoding="utf-8")
    old, new = f"$ {command}\n{shown}```", f"$ {command}\n{run(command)}```"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commands() -> dict[str, Any]:
    return dict(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(path.read_text(encoding="utf-8")):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def test_ci_runs_exactly_the_set_up_commands() -> None:
    set_up = README.read_text(encoding="utf-8").split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", set_up, re.DOTALL)
    assert len(commands) == 2
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert all(command in script for command in commands)


def test_readme_is_a_front_door() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= README_LINES


def test_readme_tours_show_diff_export_and_estimate() -> None:
    toured = {shlex.split(command)[1] for command, _ in transcripts(README)}
    assert {"show", "diff", "export", "estimate"} <= toured


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_has_a_section_with_a_transcript_in_docs(name: str) -> None:
    """Each command is described under a heading of its own, and at least one transcript runs it."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in documents())
    assert re.search(rf"^#+ .*`reconcile {name}\b", text, re.MULTILINE), name
    assert any(re.search(rf"\b{name}\b", command) for _, command, _ in every_transcript()), name


@pytest.mark.parametrize("path", documents(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_links_lead_to_files_and_headings_that_exist(path: Path) -> None:
    broken = []
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # a web address, not checked offline
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        if not linked.exists() or (anchor and linked.suffix == ".md" and anchor not in anchors(linked)):
            broken.append(target)
    assert broken == []


@pytest.mark.parametrize(
    "code",
    [m[1] for path in documents() for m in PYTHON.finditer(path.read_text(encoding="utf-8"))],
)
def test_python_examples_run(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The library examples are the library's real API, run as shown from the repository's root."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("RECONCILE_DATA", raising=False)
    exec(compile(code, "<example>", "exec"), {})  # noqa: S102 (the repository's own documentation)


@pytest.mark.parametrize(
    ("path", "command", "shown"),
    every_transcript(),
    ids=[f"{path.relative_to(ROOT).as_posix()}: {command}" for path, command, _ in every_transcript()],
)
def test_transcript_is_real_output(
    path: Path, command: str, shown: str, request: pytest.FixtureRequest
) -> None:
    if request.config.getoption("update_transcripts"):
        rewrite(path, command, shown)
        return
    assert run(command) == shown
