"""The output side under faults: an existing file survives a failed or interrupted export, pipes close quietly."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Self

import pytest
from typer.testing import CliRunner

from reconcile.cli.app import app
from reconcile.errors import OutputError
from reconcile.io import atomic

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


def test_a_folder_that_refuses_new_files_keeps_the_old_file(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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

    monkeypatch.setattr("reconcile.io.atomic.os.fdopen", lambda fd, mode: FillingFile(real_fdopen(fd, mode)))
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
from reconcile.io import atomic

signal.signal(signal.SIGINT, signal.default_int_handler)  # even where the caller ignores SIGINT

real_fsync = os.fsync

def interrupted(fd):
    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, delivered while the new file is half done
    real_fsync(fd)

atomic.os.fsync = interrupted
from reconcile.cli.app import main
sys.argv = ["reconcile", "export", "--format", "csv", "-o", sys.argv[1]]
main()
"""


def test_ctrl_c_in_the_middle_of_an_export_leaves_the_old_file(target: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CTRL_C_DURING_THE_WRITE, str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert_kept(target)


def environment(*, buffered: bool) -> dict[str, str]:
    """The shipped dataset, and stdout buffered (written at the end) or not (written as it goes)."""
    env = {k: v for k, v in os.environ.items() if k not in ("RECONCILE_DATA", "PYTHONUNBUFFERED")}
    return env if buffered else env | {"PYTHONUNBUFFERED": "1"}


# Writing with rich, with print(), with sys.stdout.write, and typer's own option --version.
WRITERS = [["show", "casualties"], ["validate"], ["export"], ["--version"]]


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("args", WRITERS, ids=" ".join)
def test_a_closed_pipe_ends_quietly_with_success(args: list[str], buffered: bool) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "reconcile", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(buffered=buffered),
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first byte, like `| head -0`
    errors = process.stderr.read()
    assert process.wait(timeout=120) == 0  # the reader chose to stop; nothing went wrong
    assert errors == b""


def first_line_then_close(args: list[str]) -> tuple[bytes, int, bytes]:
    """`reconcile ARGS | head -1`: the first line, and reconcile's own exit status and stderr.

    The reader takes the first line and goes, as head -1 does. The pipe is cut to one page, so the
    rest of the output cannot all wait in it and reconcile is still writing when the reader leaves.
    """
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    process = subprocess.Popen(
        [sys.executable, "-m", "reconcile", *args],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env=environment(buffered=True),
    )
    os.close(write_end)
    line = b""
    while not line.endswith(b"\n"):
        byte = os.read(read_end, 1)
        if not byte:
            break
        line += byte
    os.close(read_end)
    assert process.stderr is not None
    errors = process.stderr.read()
    return line, process.wait(timeout=120), errors


@pytest.mark.skipif(not hasattr(fcntl, "F_SETPIPE_SZ"), reason="needs a pipe whose size can be set (Linux)")
@pytest.mark.parametrize(
    ("args", "first"), [(["show", "casualties"], b"Headline"), (["sources"], b"Sources")]
)
def test_piped_into_head(args: list[str], first: bytes) -> None:
    line, status, errors = first_line_then_close(args)
    assert line.strip().startswith(first)
    assert status == 0 and errors == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full")
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("args", WRITERS, ids=" ".join)
def test_a_full_disk_on_stdout_is_an_error_without_a_traceback(args: list[str], buffered: bool) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "reconcile", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            env=environment(buffered=buffered),
            timeout=120,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr == b"Error: cannot write to standard output: No space left on device\n"


def test_an_oserror_that_names_a_file_is_not_blamed_on_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a failure to write stdout is reported as one; anything else stays a visible crash."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device", "/somewhere/else")

    monkeypatch.setattr("reconcile.analysis.compare.show", fail)
    result = runner.invoke(app, ["show", "killed"])
    assert isinstance(result.exception, OSError) and result.exception.filename == "/somewhere/else"
    assert "standard output" not in result.stderr


def test_a_fifo_is_not_replaced_by_an_output_file(tmp_path: Path) -> None:
    fifo = tmp_path / "table.csv"
    os.mkfifo(fifo)
    result = export_to(fifo)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"Error: cannot write {fifo}: not a regular file\n"
    assert stat.S_ISFIFO(fifo.stat().st_mode) and list(tmp_path.iterdir()) == [fifo]


def test_the_atomic_writer_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "chart.svg"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="not a regular file"):
        atomic.write_text(fifo, "<svg/>")
    with pytest.raises(OutputError, match="not a regular file"):
        atomic.write_text(tmp_path, "a folder")
    assert stat.S_ISFIFO(fifo.stat().st_mode) and list(tmp_path.iterdir()) == [fifo]
