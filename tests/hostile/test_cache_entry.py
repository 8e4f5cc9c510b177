"""Hostile cache entries, through the command line: an entry cannot change what a command prints.

The cache's own tests (tests/test_cache.py) flip every byte of an entry and forge checksummed ones;
here a command runs on a cached dataset whose entry or documents an attacker changed, and must print
what an uncached run prints, or refuse as an uncached run would, without hanging.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli.app import app
from tests.conftest import CLAIMS, DOCUMENT, HEADER

runner = CliRunner()
COMMANDS = (["estimate", "killed", "--json"], ["show", "casualties"], ["timeline", "killed"])


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A dataset whose entry is in a cache folder of its own, its files an hour old."""
    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RECONCILE_NO_CACHE", raising=False)
    path = tmp_path / "estimates.yaml"
    path.write_text(HEADER + CLAIMS, encoding="utf-8")
    document = tmp_path / "doc.txt"
    document.write_text(DOCUMENT, encoding="utf-8")
    an_hour_ago = time.time() - 3600
    for file in (path, document):
        os.utime(file, (an_hour_ago, an_hour_ago))
    assert runner.invoke(app, ["--data", str(path), "validate"]).exit_code == 0
    return path


def uncached(path: Path, command: list[str]) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--data", str(path), *command], env={"RECONCILE_NO_CACHE": "1"})
    return result.exit_code, result.stdout, result.stderr


def run(path: Path, command: list[str]) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--data", str(path), *command])
    return result.exit_code, result.stdout, result.stderr


def entry(path: Path) -> Path:
    [found] = (path.parent / "cache").glob("*.dataset")
    return found


@pytest.mark.parametrize("command", COMMANDS)
def test_a_byte_flipped_in_the_header_changes_nothing_printed(cached: Path, command: list[str]) -> None:
    expected = uncached(cached, command)
    original = entry(cached).read_bytes()
    header_end = original.index(b"\n", original.index(b"\n") + 1)
    for position in range(0, header_end, 13):  # a spread of the checksum line and the header
        damaged = bytearray(original)
        damaged[position] ^= 0x20
        entry(cached).write_bytes(bytes(damaged))
        assert run(cached, command) == expected, position
    entry(cached).write_bytes(original)


def test_a_document_replaced_by_a_fifo_after_caching_is_refused_not_waited_on(cached: Path) -> None:
    document = cached.parent / "doc.txt"
    document.unlink()
    os.mkfifo(document)
    status, out, err = run(cached, ["show", "killed"])  # a hang here is a failure of the run itself
    assert status == 1 and out == ""
    assert (status, out, err) == uncached(cached, ["show", "killed"])


def test_files_the_cache_did_not_write_are_never_pruned(cached: Path) -> None:
    folder = cached.parent / "cache"
    strangers = [folder / "notes.tmp", folder / ("0" * 64 + ".dataset"), folder / "mine.dataset"]
    long_ago = time.time() - 7 * 24 * 3600
    for stranger in strangers:
        stranger.write_text("not an entry\n", encoding="utf-8")
        os.utime(stranger, (long_ago, long_ago))
    for i in range(20):  # more datasets than the cache keeps, so that it prunes
        other = cached.parent / f"other{i}.yaml"
        other.write_text(HEADER + CLAIMS, encoding="utf-8")
        os.utime(other, (long_ago, long_ago))
        assert run(other, ["metrics"])[0] == 0
    assert all(stranger.read_text(encoding="utf-8") == "not an entry\n" for stranger in strangers)
