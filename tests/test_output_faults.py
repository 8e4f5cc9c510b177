"""The output side under faults: an existing file survives a failed or interrupted export, pipes close quietly."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Self

import pytest
from typer.testing import CliRunner

from reconcile.cli import app

runner = CliRunner()
OLD = "the old table\n"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """An export target that already holds a file worth keeping."""
    path = tmp_path / "out" / "table.csv"
    path.parent.mkdir()
    path.write_text(OLD, encoding="utf-8")
    return path


def export_to(path: Path) -> Any:
    return runner.invoke(app, ["export", "--format", "csv", "-o", str(path)])


def assert_kept(target: Path) -> None:
    """The old file is intact and no temporary file is left beside it."""
    assert target.read_text(encoding="utf-8") == OLD
    assert list(target.parent.iterdir()) == [target]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="permissions do not bind root")
def test_a_read_only_folder_keeps_the_old_file(target: Path) -> None:
    target.parent.chmod(0o555)
    try:
        result = export_to(target)
    finally:
        target.parent.chmod(0o755)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"Error: cannot write {target}: Permission denied\n"
    assert_kept(target)


def test_a_folder_that_refuses_new_files_keeps_the_old_file(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only folder does, for runs as root, where permissions do not bind."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = export_to(target)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"Error: cannot write {target}: Permission denied\n"
    assert_kept(target)


def test_a_disk_that_fills_in_the_middle_of_the_write_keeps_the_old_file(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fdopen = os.fdopen

    class FillingFile:
        """Writes half of what it is given, then reports a full disk."""

        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

        def __enter__(self) -> Self:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    monkeypatch.setattr("reconcile.atomic.os.fdopen", lambda fd, mode: FillingFile(real_fdopen(fd, mode)))
    result = export_to(target)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"Error: cannot write {target}: No space left on device\n"
    assert_kept(target)


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "table.csv"
    result = export_to(missing)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"Error: cannot write {missing}: No such file or directory\n"
    assert not (tmp_path / "no").exists()


def test_a_folder_as_the_output_is_a_usage_error(target: Path) -> None:
    result = export_to(target.parent)
    assert result.exit_code == 2 and result.stdout == ""
    assert_kept(target)


CTRL_C_DURING_THE_WRITE = """
import os, signal, sys
from reconcile import atomic

real_fsync = os.fsync

def interrupted(fd):
    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, delivered while the new file is half done
    real_fsync(fd)

atomic.os.fsync = interrupted
from reconcile.cli import main
sys.argv = ["reconcile", "export", "--format", "csv", "-o", sys.argv[1]]
main()
"""


def test_ctrl_c_in_the_middle_of_an_export_leaves_the_old_file(target: Path) -> None:
    result = subprocess.run([sys.executable, "-c", CTRL_C_DURING_THE_WRITE, str(target)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert_kept(target)


@pytest.mark.parametrize("args", [["show", "casualties"], ["validate"]])
def test_a_closed_pipe_ends_quietly(args: list[str]) -> None:
    process = subprocess.Popen([sys.executable, "-m", "reconcile", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={k: v for k, v in os.environ.items() if k != "RECONCILE_DATA"})
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first byte, like `| head -0`
    errors = process.stderr.read()
    process.wait(timeout=120)
    assert errors == b""
