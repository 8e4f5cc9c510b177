"""The cache of validated datasets: used only while it holds, rebuilt otherwise, never hiding an error."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import pytest

from reconcile.errors import DatasetError
from reconcile.io import cache
from reconcile.io import load as dataset
from reconcile.io.load import load
from reconcile.model.dataset import Dataset
from tests.conftest import CLAIMS, HEADER

TODAY = date(2026, 1, 1)
AN_HOUR_AGO = 3600


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(folder))
    monkeypatch.delenv("RECONCILE_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def dataset_file(small_dataset: Path) -> Path:
    """The small dataset, its files dated an hour back, as files that are not being edited are."""
    backdate(small_dataset.parent / "doc.txt")
    return small_dataset


def backdate(path: Path) -> None:
    # A document modified after a run started is not cached by that run (it may have changed while
    # its quotes were checked); files written by a test just now would be.
    past = path.stat().st_mtime - AN_HOUR_AGO
    os.utime(path, (past, past))


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.dataset")) if folder.is_dir() else []


def snapshot(ds: Dataset) -> object:
    """Everything a command can see of a dataset: its structs compare field by field, intervals too."""
    return msgspec.to_builtins(ds)


def split(entry: Path) -> tuple[dict[str, Any], bytes]:
    """The header and payload of an entry (after its checksum line)."""
    _checksum, header, payload = entry.read_bytes().split(b"\n", 2)
    return json.loads(header), payload


def rewrite(entry: Path, header: dict[str, Any], payload: bytes) -> None:
    """Write an entry whose checksum matches its content, as a forger who knows the layout would."""
    body = json.dumps(header).encode() + b"\n" + payload
    entry.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)


def forbid_building(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> Dataset:
        raise AssertionError("the dataset was read and validated again instead of coming from the cache")

    monkeypatch.setattr(dataset, "build", fail)


def count_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = dataset.build

    def counted(text: str, file: Path, today: date) -> Dataset:
        calls.append(1)
        return original(text, file, today)

    monkeypatch.setattr(dataset, "build", counted)
    return calls


def test_a_hit_returns_an_equal_dataset_without_reading_the_yaml(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load(dataset_file, today=TODAY)
    assert len(entries(cache_dir)) == 1
    forbid_building(monkeypatch)
    again = load(dataset_file, today=TODAY)
    assert again is not first
    assert again == first
    assert snapshot(again) == snapshot(first)


def test_claims_that_read_alike_read_alike_again(
    write_dataset: Callable[..., Path], cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = CLAIMS + CLAIMS.removeprefix("claims:\n").replace("id: ", "id: again-")
    path = write_dataset(HEADER + claims)
    backdate(path.parent / "doc.txt")
    first = load(path, today=TODAY)
    assert len(entries(cache_dir)) == 1
    forbid_building(monkeypatch)
    again = load(path, today=TODAY)
    assert snapshot(again) == snapshot(first)
    assert again.claims[0].interval == again.claims[5].interval


def cached_shipped(shipped: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Dataset:
    """The shipped dataset, loaded once so that it is cached; loading it again must then hit."""
    first = load(shipped)
    if not entries(cache_dir):
        pytest.skip("the shipped files were modified during this run, so nothing was cached")
    forbid_building(monkeypatch)
    return first


def test_the_shipped_dataset_comes_back_equal(
    shipped: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cached_shipped(shipped, cache_dir, monkeypatch)
    assert snapshot(load(shipped)) == snapshot(first)


def test_a_hit_for_one_metric_reads_back_only_its_claims_in_file_order(
    shipped: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = cached_shipped(shipped, cache_dir, monkeypatch)
    killed = load(shipped, only=["killed"])
    expected = [c for c in full.claims if c.metric == "killed"]
    assert 0 < len(killed.claims) < len(full.claims)
    assert list(killed.claims) == expected
    assert msgspec.structs.replace(killed, claims=()) == msgspec.structs.replace(full, claims=())


def test_a_group_reads_back_the_claims_of_its_metrics(
    shipped: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = cached_shipped(shipped, cache_dir, monkeypatch)
    members = set(full.groups["casualties"])
    casualties = load(shipped, only=["casualties", "deployed"])
    assert [c.id for c in casualties.claims] == [
        c.id for c in full.claims if c.metric in members | {"deployed"}
    ]


def test_an_unknown_name_reads_back_every_claim(
    shipped: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = cached_shipped(shipped, cache_dir, monkeypatch)
    # The command then reports the name as unknown, with the names it knows.
    assert snapshot(load(shipped, only=["kiled"])) == snapshot(full)


def test_a_miss_holds_every_claim_whatever_the_command_is_about(shipped: Path, cache_dir: Path) -> None:
    assert len(load(shipped, only=["killed"]).claims) == len(load(shipped, only=None).claims)


def test_a_changed_dataset_file_misses(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(dataset_file, today=TODAY)
    text = dataset_file.read_text(encoding="utf-8")
    dataset_file.write_text(
        text.replace("title: Losses mount", "title: Losses mount further"), encoding="utf-8"
    )
    builds = count_builds(monkeypatch)
    changed = load(dataset_file, today=TODAY)
    assert builds == [1]
    assert changed.documents["doc"].title == "Losses mount further"
    assert len(entries(cache_dir)) == 1  # replaced, not added


def test_a_changed_document_misses_and_its_error_shows(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(dataset_file, today=TODAY)
    document = dataset_file.parent / "doc.txt"
    document.write_text(
        document.read_text(encoding="utf-8").replace("more than 300", "some"), encoding="utf-8"
    )
    with pytest.raises(DatasetError) as caught:
        load(dataset_file, today=TODAY)
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.field) == (25, 32, "claims[0].citations[0].quote")
    assert "not found verbatim in doc.txt" in problem.message


def document_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the cache hashes from now on."""
    names: list[str] = []
    original = cache._digest

    def counted(path: Path, limit: int) -> str | None:
        names.append(path.name)
        return original(path, limit)

    monkeypatch.setattr(cache, "_digest", counted)
    return names


@pytest.mark.skipif(os.name != "posix", reason="only POSIX change times follow every write")
def test_an_unchanged_document_is_not_read_again(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    time.sleep(0.05)  # past the clock tick of the document's last change (see cache._write)
    load(dataset_file, today=TODAY)
    reads = document_reads(monkeypatch)
    forbid_building(monkeypatch)
    load(dataset_file, today=TODAY)
    assert reads == []
    document = dataset_file.parent / "doc.txt"
    os.utime(document)  # touched, not changed: read again, and still a hit
    load(dataset_file, today=TODAY)
    assert reads == ["doc.txt"]


def test_a_document_rewritten_with_its_old_size_and_times_misses(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    time.sleep(0.05)
    load(dataset_file, today=TODAY)
    document = dataset_file.parent / "doc.txt"
    before = document.stat()
    document.write_text(
        document.read_text(encoding="utf-8").replace("more than 300", "more than 900"), encoding="utf-8"
    )
    os.utime(document, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert document.stat().st_size == before.st_size
    with pytest.raises(DatasetError) as caught:
        load(dataset_file, today=TODAY)
    assert "not found verbatim in doc.txt" in caught.value.problems[0].message


def test_another_program_version_misses(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(dataset_file, today=TODAY)
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    builds = count_builds(monkeypatch)
    load(dataset_file, today=TODAY)
    assert builds == [1]
    forbid_building(monkeypatch)
    load(dataset_file, today=TODAY)  # rebuilt for the new version


def test_changed_program_source_misses(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(dataset_file, today=TODAY)
    fingerprint = cache.program()
    monkeypatch.setattr(cache, "program", lambda: fingerprint + "-edited")
    builds = count_builds(monkeypatch)
    load(dataset_file, today=TODAY)
    assert builds == [1]


@pytest.mark.parametrize("changed", ["__init__.py", "_internal/_validators.py"])
def test_a_library_written_again_misses(
    dataset_file: Path, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str
) -> None:
    # A stand-in for pydantic: a package whose files are written again, as an installer would, or
    # edited in place, at its top or in a subfolder.
    package = tmp_path / "lib" / "validator"
    (package / "_internal").mkdir(parents=True)
    (package / "__init__.py").write_text("VERSION = '1'\n")
    (package / "_internal" / "_validators.py").write_text("RULE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    monkeypatch.setattr(cache, "LIBRARIES", ("validator", "not_installed_anywhere"))
    load(dataset_file, today=TODAY)
    builds = count_builds(monkeypatch)
    # Bytecode that Python writes beside the sources is not the library changing.
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"compiled")
    load(dataset_file, today=TODAY)
    assert builds == []  # unchanged: a hit
    (package / changed).write_text("RULE = 2  # in place\n")
    os.utime(package / changed, ns=(1, 1))
    load(dataset_file, today=TODAY)
    assert builds == [1]


def test_a_changed_setting_misses(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(dataset_file, today=TODAY)
    monkeypatch.setenv("RECONCILE_MAX_BYTES", "100")
    with pytest.raises(DatasetError, match="the limit is 100"):
        load(dataset_file, today=TODAY)


def test_an_earlier_day_misses(dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Built on 1 January 2026, when no claim was in the future; on 9 January 2025 one is.
    load(dataset_file, today=TODAY)
    with pytest.raises(DatasetError, match="in the future"):
        load(dataset_file, today=date(2025, 1, 9))


@pytest.mark.parametrize("damage", ["truncate", "flip", "not json", "empty", "header only", "other dataset"])
def test_a_damaged_entry_is_ignored_and_rebuilt(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    first = load(dataset_file, today=TODAY)
    [entry] = entries(cache_dir)
    raw = entry.read_bytes()
    checksum, header, payload = raw.split(b"\n", 2)
    if damage == "truncate":
        raw = raw[: len(raw) // 2]
    elif damage == "flip":
        # A one-byte change in a value, still valid JSON: only the checksum can tell.
        raw = checksum + b"\n" + header + b"\n" + payload.replace(b"Losses mount", b"Lossez mount")
    elif damage == "not json":
        raw = b"\x80\x81 not json at all"
    elif damage == "empty":
        raw = b""
    elif damage == "header only":
        raw = checksum + b"\n" + header
    entry.write_bytes(raw)
    if damage == "other dataset":
        # A consistent entry, checksum and all, but for other content than the file holds.
        fields = json.loads(header)
        fields["dataset"] = "0" * 64
        rewrite(entry, fields, payload)
        raw = entry.read_bytes()
    builds = count_builds(monkeypatch)
    again = load(dataset_file, today=TODAY)
    assert builds == [1]
    assert snapshot(again) == snapshot(first)
    assert entry.read_bytes() != raw  # rebuilt
    forbid_building(monkeypatch)
    assert snapshot(load(dataset_file, today=TODAY)) == snapshot(first)


def test_a_tampered_payload_with_a_matching_checksum_is_still_validated(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(dataset_file, today=TODAY)
    [entry] = entries(cache_dir)
    # A value the model refuses: the entry is read back strictly, so it is not taken.
    rewrite_payload(entry, lambda payload: payload.replace(b'"version":1', b'"version":"1; import os"'))
    builds = count_builds(monkeypatch)
    assert load(dataset_file, today=TODAY).version == 1
    assert builds == [1]


def rewrite_payload(entry: Path, change: Callable[[bytes], bytes]) -> None:
    """Pass the payload of an entry through `change`, then make its checksum match again."""
    header, payload = split(entry)
    rewrite(entry, header, change(payload))


def rewrite_blocks(entry: Path, change: Callable[[list[Any]], None]) -> None:
    """Pass each block of an entry through `change`, then make its offsets and checksum match again."""
    fields, payload = split(entry)
    offset = fields["blocks"][0][1]
    parts, blocks = [payload[:offset]], []
    for metric, start, end, size in fields["blocks"]:
        block = json.loads(payload[start:end])
        change(block)
        written = json.dumps(block).encode()
        parts.append(written)
        blocks.append([metric, offset, offset + len(written), size])
        offset += len(written)
    fields["blocks"] = blocks
    rewrite(entry, fields, b"".join(parts))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda claim: claim["interval"].update(low=1e9), id="low above best"),
        pytest.param(lambda claim: claim["interval"].update(best=-1), id="negative best"),
        pytest.param(lambda claim: claim.update(source="nobody"), id="unknown source"),
        pytest.param(lambda claim: claim.update(metric="wounded"), id="claim in another block"),
        pytest.param(lambda claim: claim.update(extra=1), id="unknown field"),
        pytest.param(lambda claim: claim["citations"][0].update(document="elsewhere"), id="unknown document"),
    ],
)
def test_a_revived_claim_must_pass_the_invariants_of_a_fresh_load(
    change: Callable[[dict[str, Any]], None],
    dataset_file: Path,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = load(dataset_file, today=TODAY)
    [entry] = entries(cache_dir)

    def tamper(block: list[Any]) -> None:
        change(block[1][0])

    rewrite_blocks(entry, tamper)
    builds = count_builds(monkeypatch)
    assert snapshot(load(dataset_file, today=TODAY)) == snapshot(first)
    assert builds == [1]


@pytest.mark.parametrize("label", ["nothing", "swapped"])
def test_a_header_that_maps_blocks_wrongly_is_not_taken(
    label: str, dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = snapshot(load(dataset_file, today=TODAY, only=["killed"]))
    [entry] = entries(cache_dir)
    fields, payload = split(entry)
    names = [block[0] for block in fields["blocks"]]
    assert "killed" in names and len(names) >= 2
    if label == "nothing":
        # Read as it says, `killed` would have no claims at all.
        fields["blocks"][names.index("killed")][0] = "not-a-metric"
    else:
        fields["blocks"][0][0], fields["blocks"][1][0] = names[1], names[0]
    rewrite(entry, fields, payload)
    builds = count_builds(monkeypatch)
    assert snapshot(load(dataset_file, today=TODAY, only=["killed"])) == fresh
    assert builds == [1]


def test_every_flipped_byte_of_an_entry_rebuilds_or_answers_as_an_uncached_run(
    dataset_file: Path, cache_dir: Path
) -> None:
    fresh = snapshot(load(dataset_file, today=TODAY))
    [entry] = entries(cache_dir)
    original = entry.read_bytes()
    # Every byte of the checksum line and the header, and a spread of the payload's.
    header_end = original.index(b"\n", 65) + 1
    positions = list(range(header_end)) + list(range(header_end, len(original), 7))
    for position in positions:
        damaged = bytearray(original)
        damaged[position] ^= 0x01
        entry.write_bytes(bytes(damaged))
        assert snapshot(load(dataset_file, today=TODAY)) == fresh, position
        entry.write_bytes(original)


def test_an_entry_written_by_another_user_is_not_used(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(dataset_file, today=TODAY)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache_dir).st_uid + 1)
    builds = count_builds(monkeypatch)
    load(dataset_file, today=TODAY)
    assert builds == [1]


def test_an_invalid_dataset_is_never_cached_and_errors_keep_their_positions(
    write_dataset: Callable[..., Path], cache_dir: Path
) -> None:
    path = write_dataset(
        claims="""\
        claims:
          - id: bad
            metric: killed
            subject: troops
            value: {stated: "about 1,200", low: 900, high: 300}
            scope: {kind: cumulative}
            date: 2025-01-06
            source: ministry
            citations:
              - {document: doc, quote: "about 1,200 wounded"}
        """
    )
    backdate(path.parent / "doc.txt")
    for _ in range(2):
        with pytest.raises(DatasetError) as caught:
            load(path, today=TODAY)
        [problem] = caught.value.problems
        assert str(problem) == f"{path}:20:41: claims[0].value.low: must not exceed high (900 > 300)"
    assert entries(cache_dir) == []


def test_a_cached_dataset_that_becomes_invalid_reports_exact_positions(
    dataset_file: Path, cache_dir: Path
) -> None:
    load(dataset_file, today=TODAY)
    text = dataset_file.read_text(encoding="utf-8")
    dataset_file.write_text(text.replace("date: 2025-01-08", "date: 2025-02-30", 1), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load(dataset_file, today=TODAY)
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.field) == (40, 11, "claims[2].date")


def test_a_document_edited_during_the_run_is_not_cached(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if the run had started before the document's last change.
    monkeypatch.setattr(cache, "clock", lambda: 0)
    load(dataset_file, today=TODAY)
    assert entries(cache_dir) == []


def test_no_cache_setting_reads_and_writes_nothing(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECONCILE_NO_CACHE", "1")
    builds = count_builds(monkeypatch)
    load(dataset_file, today=TODAY)
    load(dataset_file, today=TODAY)
    assert builds == [1, 1]
    assert not cache_dir.exists()


def test_the_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("RECONCILE_CACHE_DIR", "RECONCILE_NO_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.folder() == tmp_path / "home" / ".cache" / "reconcile"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "reconcile"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored, as the spec says
    assert cache.folder() == tmp_path / "home" / ".cache" / "reconcile"
    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.folder() == tmp_path / "mine"
    monkeypatch.setenv("RECONCILE_NO_CACHE", "1")
    assert cache.folder() is None


def test_an_unwritable_cache_folder_only_costs_time(
    dataset_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(blocker / "cache"))
    assert load(dataset_file, today=TODAY).claims


def test_old_entries_are_removed(tmp_path: Path, cache_dir: Path, write_dataset: Callable[..., Path]) -> None:
    for i in range(cache.MAX_ENTRIES + 3):
        path = write_dataset(name=f"set{i}.yaml")
        backdate(path.parent / "doc.txt")
        load(path, today=TODAY)
    assert len(entries(cache_dir)) == cache.MAX_ENTRIES


RACER = """
import sys
from datetime import date
from pathlib import Path
from reconcile.io.load import load
for _ in range(8):
    load(Path(sys.argv[1]), today=date(2026, 1, 1))
"""


def test_concurrent_writers_leave_one_whole_entry(
    dataset_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    expected = snapshot(load(dataset_file, today=TODAY))
    # Each racer has its own setting, so each finds the others' entry stale and writes its own.
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(dataset_file)], env=dict(os.environ, RECONCILE_RACER=str(i))
        )
        for i in range(4)
    ]
    assert [racer.wait(timeout=300) for racer in racers] == [0, 0, 0, 0]
    [entry] = entries(cache_dir)
    assert list(cache_dir.glob(".*.tmp")) == []
    checksum, body = entry.read_bytes().split(b"\n", 1)
    assert checksum == hashlib.sha256(body).hexdigest().encode()
    assert snapshot(load(dataset_file, today=TODAY)) == expected
    forbid_building(monkeypatch)
    assert snapshot(load(dataset_file, today=TODAY)) == expected
