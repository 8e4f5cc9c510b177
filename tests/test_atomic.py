"""Output files: a replaced file keeps its mode, and a stopped write leaves nothing behind."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reconcile.io import atomic

ROOT = Path(__file__).resolve().parent.parent


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "private.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o600)
    atomic.write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o640)
    atomic.write_text(target, "newer\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        atomic.write_text(tmp_path / "new.csv", "x\n")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644


# The signal arrives while the temporary file is being written, every time: from inside fsync.
# The signals get their usual handling even where the caller ignores them (SIGINT in a job started in
# the background, SIGHUP under nohup): Python's own handler for SIGINT, the default for the others.
STOPPED = """\
import os, signal, sys
from pathlib import Path
from reconcile.io import atomic
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGHUP, signal.SIG_DFL)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
os.fsync = lambda fd: os.kill(os.getpid(), signal.{name})
atomic.write_text(Path(sys.argv[1]), "new\\n")
print("not stopped")
"""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_during_a_write_leaves_no_temporary_file(tmp_path: Path, name: str) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old\n", encoding="utf-8")
    script = textwrap.dedent(STOPPED.format(name=name))
    done = subprocess.run(
        [sys.executable, "-c", script, str(target)], capture_output=True, text=True, check=False
    )
    if name == "SIGINT":  # KeyboardInterrupt: a traceback from Python, exit status 1
        assert "KeyboardInterrupt" in done.stderr
    else:
        assert done.returncode == -getattr(signal, name), done.stderr
    assert "not stopped" not in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]
    assert target.read_text(encoding="utf-8") == "old\n"


# The signal arrives the moment the temporary file exists, before write_bytes has listed it for removal.
STOPPED_AT_CREATION = """\
import os, signal, sys, tempfile
from pathlib import Path
from reconcile.io import atomic
signal.signal(signal.SIGTERM, signal.SIG_DFL)
made = tempfile.mkstemp
def mkstemp(*args, **kwargs):
    found = made(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGTERM)
    return found
tempfile.mkstemp = mkstemp
atomic.write_text(Path(sys.argv[1]), "new\\n")
print("not stopped")
"""


def test_a_signal_as_the_temporary_file_is_made_leaves_none(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", STOPPED_AT_CREATION, str(target)], capture_output=True, text=True, check=False
    )
    assert done.returncode == -signal.SIGTERM, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]
    assert target.read_text(encoding="utf-8") == "old\n"


def test_sigterm_during_a_large_export_leaves_no_temporary_file(tmp_path: Path) -> None:
    dataset = tmp_path / "large.yaml"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate.py"),
            "--claims",
            "20000",
            "--output",
            str(dataset),
        ],
        check=True,
        capture_output=True,
    )
    out = tmp_path / "out"
    out.mkdir()
    command = [sys.executable, "-m", "reconcile", "--data", str(dataset), "export", "--format", "json"]
    running = subprocess.Popen([*command, "-o", str(out / "claims.json")], stderr=subprocess.PIPE)
    # Stop it once its temporary file exists, as a user pressing the stop button of a job would.
    deadline = time.monotonic() + 120
    seen = False
    while running.poll() is None and time.monotonic() < deadline:
        if any(p.name.endswith(".tmp") for p in out.iterdir()):
            seen = True
            running.send_signal(signal.SIGTERM)
            break
        time.sleep(0.0005)
    running.wait(60)
    if not seen:
        pytest.skip("the export finished before a temporary file was seen")
    assert running.returncode in (-signal.SIGTERM, 0)
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
