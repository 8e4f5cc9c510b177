"""A cache of validated datasets in the user's cache folder, so that an unchanged file loads quickly.

An entry holds one valid dataset as JSON: everything but the claims, the intervals its claims read
as, then the claims of each metric in a block of their own, so that a command about one metric or
group reads back only the claims it needs. It is used only when all of these still hold, each
checked on every read:
- the SHA-256 of the dataset file's bytes is the one the entry was built from;
- each document the dataset cites has the SHA-256 it had when its quotes were checked (on POSIX
  systems, a document whose size, modification and change times, inode and device are all as they
  were then is taken as unchanged without reading it, as make and git do: any write to a file sets
  its change time, which no program can set back short of moving the system clock);
- the program (its version and the SHA-256 of its own source files, pydantic's version), the
  RECONCILE_* settings and the entry format are the same;
- the entry's own SHA-256 matches its content, and each part read is validated again: by pydantic,
  or, on the short path of `show` (reconcile.cli.launch), by the type checks of reconcile.io.records;
- today is not before the day of the build (checks of dates "in the future" only ever pass later).
Anything else, a missing, corrupt or tampered entry included, is a miss: the file is loaded and
validated as if there were no cache, and a valid result replaces the entry. Invalid datasets are
never stored, so the cache cannot hide an error. Entries are written to a temporary file and moved
into place, so two runs racing leave one whole entry. Nothing read from the cache is executed: it
is JSON.

The folder is RECONCILE_CACHE_DIR, else $XDG_CACHE_HOME/reconcile, else ~/.cache/reconcile;
RECONCILE_NO_CACHE=1 turns the cache off.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from reconcile import __version__
from reconcile.io.yamlsafe import max_bytes, read_text

if TYPE_CHECKING:
    from reconcile.model.dataset import Dataset

#: An entry that still holds: its payload and its header.
Entry = tuple[bytes, dict[str, Any]]


#: Bump when the layout of an entry changes.
FORMAT = 4
#: Entries kept; the least recently written beyond this are removed.
MAX_ENTRIES = 16
_SUFFIX = ".dataset"
# Settings that change where the cache is, not what a valid dataset is.
_CACHE_SETTINGS = {"RECONCILE_CACHE_DIR", "RECONCILE_NO_CACHE", "RECONCILE_DATA"}


def folder() -> Path | None:
    """Where entries are kept, or None when the cache is turned off."""
    if os.environ.get("RECONCILE_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("RECONCILE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "reconcile"
    try:
        return Path.home() / ".cache" / "reconcile"
    except (RuntimeError, KeyError):
        return None  # no home folder to keep it in


def load(
    file: Path,
    today: date,
    build: Callable[[str], Dataset],
    metrics: Callable[[Dataset], Collection[str] | None] | None = None,
) -> Dataset:
    """The dataset in `file`: from the cache when it still holds, else `build(text)`, then cached.

    `metrics`, given the dataset without its claims, may name the only metrics whose claims the
    caller needs; from the cache, only those claims are read back (the others are left out of
    `claims`). None, or a call that returns None, means every claim.
    """
    entry = _entry(file)
    if entry is None:
        return build(read_text(file))
    with _bulk():
        found = _lookup(entry, file, today)
        if found is not None:
            with suppress(
                ValueError, KeyError, TypeError, RecursionError
            ):  # content pydantic refuses: rebuild
                return _revive(*found, metrics)
        started = _now()
        text = read_text(file)
        dataset = build(text)
        _write(entry, file, text, dataset, today, started)
    return dataset


def lookup(file: Path, today: date) -> Entry | None:
    """The entry for `file` when one exists and still holds, else None; its content is not yet read.

    For a caller that reads the content itself (see reconcile.io.records); `load` does the rest.
    """
    entry = _entry(file)
    return None if entry is None else _lookup(entry, file, today)


def _entry(file: Path) -> Path | None:
    """Where the entry for `file` is kept, or None when the cache is turned off."""
    where = folder()
    if where is None:
        return None
    try:
        return where / (hashlib.sha256(os.fsencode(file.resolve())).hexdigest()[:32] + _SUFFIX)
    except (OSError, RuntimeError):
        return None


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of objects are made.

    They hold no reference cycles, and without the pause collection passes take a large share of
    the time on big files.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _now() -> int:
    # File times come from the kernel's coarse clock, which may lag the precise one.
    coarse = getattr(time, "CLOCK_REALTIME_COARSE", None)
    if coarse is not None:
        return time.clock_gettime_ns(coarse)
    return time.time_ns() - 50_000_000


def program() -> str:
    """What the cached result depends on besides the data: this program, pydantic, the format."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for source in sorted(package.rglob("*.py")):
        name = source.relative_to(package).as_posix()
        digest.update(name.encode() + b"\0" + source.read_bytes() + b"\0")
    return f"{FORMAT}:{__version__}:{digest.hexdigest()}:{_pydantic_version()}:{sys.version_info[:2]}"


def _pydantic_version() -> str:
    """The text of pydantic's version module, read without importing pydantic (a tenth of a second)."""
    spec = importlib.util.find_spec("pydantic")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("pydantic is not installed")
    return hashlib.sha256(Path(spec.origin).with_name("version.py").read_bytes()).hexdigest()


def _settings() -> dict[str, str]:
    return {
        k: v for k, v in sorted(os.environ.items()) if k.startswith("RECONCILE_") and k not in _CACHE_SETTINGS
    }


def _digest(path: Path, limit: int) -> str | None:
    """The SHA-256 of a file no larger than `limit`, or None if it cannot be read."""
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > limit:
                return None
            data = handle.read(limit + 1)
    except (OSError, ValueError):
        return None
    if len(data) > limit:
        return None
    return hashlib.sha256(data.removeprefix(b"\xef\xbb\xbf")).hexdigest()


def _signature(path: Path) -> list[int] | None:
    """A file's size, modification and change times, inode and device; None if they cannot be read."""
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _lookup(entry: Path, file: Path, today: date) -> Entry | None:
    """The payload and header of the entry for `file`, if it exists and still holds; else None."""
    try:
        with entry.open("rb") as handle:
            # An entry someone else wrote (in a shared folder) is not taken as this user's own check.
            if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                return None
            raw = handle.read()
    except OSError:
        return None
    header_end = raw.find(b"\n")
    try:
        header = json.loads(raw[:header_end])
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            return None
        payload = raw[header_end + 1 :]
        if hashlib.sha256(payload).hexdigest() != header["payload"]:
            return None
        if header["program"] != program() or header["settings"] != _settings():
            return None
        if date.fromisoformat(header["built_on"]) > today:
            return None
        limit = max_bytes()
        if _digest(file, limit) != header["dataset"]:
            return None
        for name, digest, signature in header["documents"]:
            path = file.parent / name
            if signature is not None and _signature(path) == signature:
                continue
            if _digest(path, limit) != digest:
                return None
    except (ValueError, KeyError, TypeError, RecursionError):
        return None  # not JSON, or not the layout written here: rebuild
    return payload, header


def _revive(
    payload: bytes, header: dict[str, Any], metrics: Callable[[Dataset], Collection[str] | None] | None
) -> Dataset:
    """The dataset of an entry's payload, with the claims of the metrics `metrics` names."""
    from pydantic import TypeAdapter

    from reconcile.model.dataset import Claim, Dataset, Interval

    dataset = Dataset.model_validate_json(part(payload, header, "base"))
    intervals = TypeAdapter(list[Interval]).validate_json(part(payload, header, "intervals"))
    wanted = None if metrics is None else metrics(dataset)
    reader = TypeAdapter(tuple[list[int], list[Claim], list[int]])
    placed: list[tuple[int, Claim]] = []
    for metric, size, block in blocks(payload, header, wanted):
        for index, claim, number in claims_of(metric, size, reader.validate_json(block), len(intervals)):
            claim.resolve(intervals[number])
            placed.append((index, claim))
    placed.sort(key=lambda item: item[0])
    count = sum(size for *_, size in header["blocks"])
    if count != header["claims"] or (wanted is None and [i for i, _ in placed] != list(range(count))):
        raise ValueError("the entry's blocks do not hold its claims")
    dataset.claims = [claim for _, claim in placed]
    if header["claims_set"]:
        dataset.model_fields_set.add("claims")
    return dataset


def part(payload: bytes, header: dict[str, Any], name: Literal["base", "intervals"]) -> bytes:
    """The JSON of the dataset without its claims ("base"), or of the distinct intervals of its claims."""
    start, end = header[name]
    return payload[start:end]


def blocks(
    payload: bytes,
    header: dict[str, Any],
    wanted: Collection[str] | None,
) -> Iterator[tuple[str, int, bytes]]:
    """The metric, number of claims and JSON of each block of the metrics `wanted` (None: every one).

    The blocks of other metrics are never parsed: the payload's checksum vouches for them all the same.
    """
    for metric, start, end, size in header["blocks"]:
        if wanted is None or metric in wanted:
            yield metric, size, payload[start:end]


class _OfMetric(Protocol):
    @property
    def metric(self) -> str: ...


C = TypeVar("C", bound=_OfMetric)


def claims_of(
    metric: str, size: int, block: tuple[list[Any], list[C], list[Any]], intervals: int
) -> Iterator[tuple[int, C, int]]:
    """Each claim of a block read back, with its index in the dataset's claims and that of its interval.

    Raises ValueError when the block does not hold what the header says.
    """
    indices, claims, which = block
    if (
        not size == len(indices) == len(claims) == len(which)
        or any(c.metric != metric for c in claims)
        or any(type(i) is not int for i in indices)
        or any(type(n) is not int or not 0 <= n < intervals for n in which)
    ):
        raise ValueError("a block of the entry does not match its claims")
    return zip(indices, claims, which, strict=True)


def _write(entry: Path, file: Path, text: str, dataset: Dataset, today: date, started: int) -> None:
    """Store a valid dataset, unless a document changed while it was being checked."""
    limit = max_bytes()
    documents = []
    for name in sorted({d.file for d in dataset.documents.values() if d.file is not None}):
        path = file.parent / name
        before = _signature(path)
        digest = _digest(path, limit)
        after = _signature(path)
        if digest is None or after is None or after != before or after[1] >= started:
            return
        # Only on POSIX systems does every write set the change time. A change in the same tick of the
        # clock as the run's start might leave the times as they were: such a document is read again
        # on every use of the entry.
        steady = os.name == "posix" and after[2] < started
        documents.append([name, digest, after if steady else None])
    payload, layout = _layout(dataset)
    header = {
        "format": FORMAT,
        "program": program(),
        "settings": _settings(),
        "built_on": today.isoformat(),
        "dataset": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "documents": documents,
        "payload": hashlib.sha256(payload).hexdigest(),
        **layout,
    }
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Written beside the entry and moved over it in one step, so that a reader never sees half an
        # entry and the last of two racing writers wins whole.
        with tempfile.NamedTemporaryFile(
            "wb", dir=entry.parent, prefix=".", suffix=".tmp", delete=False
        ) as handle:
            temporary = handle.name
            try:
                handle.write(json.dumps(header).encode() + b"\n")
                handle.write(payload)
            except BaseException:
                handle.close()
                os.unlink(temporary)
                raise
        try:
            os.replace(temporary, entry)
        except OSError:
            os.unlink(temporary)
            raise
        _prune(entry.parent)
    except OSError:
        pass  # a cache that cannot be written is only slower


def _layout(dataset: Dataset) -> tuple[bytes, dict[str, Any]]:
    """The payload of an entry, and where its parts are: the dataset without claims, the distinct
    intervals of its claims, then a block per metric.

    A block is the JSON array [indices in `claims`, the claims, indices of their intervals].
    """
    from pydantic import TypeAdapter

    from reconcile.model.dataset import Claim, Interval

    base = dataset.model_dump_json(exclude_unset=True, exclude={"claims"}).encode()
    by_metric: dict[str, list[int]] = {}
    # Claims that read alike share one interval (see dataset._Checker): each is written once.
    distinct: dict[int, int] = {}
    intervals: list[Interval] = []
    which = []
    for index, claim in enumerate(dataset.claims):
        by_metric.setdefault(claim.metric, []).append(index)
        interval = claim.interval
        number = distinct.get(id(interval))
        if number is None:
            number = distinct[id(interval)] = len(intervals)
            intervals.append(interval)
        which.append(number)
    table = TypeAdapter(list[Interval]).dump_json(intervals)
    claims = TypeAdapter(list[Claim])
    parts, blocks, offset = [base, table], [], len(base) + len(table)
    for metric, indices in by_metric.items():
        written = claims.dump_json([dataset.claims[i] for i in indices], exclude_unset=True)
        block = b"".join(
            (
                b"[",
                json.dumps(indices).encode(),
                b",",
                written,
                b",",
                json.dumps([which[i] for i in indices]).encode(),
                b"]",
            )
        )
        parts.append(block)
        blocks.append([metric, offset, offset + len(block), len(indices)])
        offset += len(block)
    layout = {
        "base": [0, len(base)],
        "intervals": [len(base), len(base) + len(table)],
        "blocks": blocks,
        "claims": len(dataset.claims),
        "claims_set": "claims" in dataset.model_fields_set,
    }
    return b"".join(parts), layout


def _prune(where: Path) -> None:
    """Remove the oldest entries beyond MAX_ENTRIES, and temporary files left by killed runs."""
    now = time.time()
    entries = []
    for path in where.iterdir():
        with suppress(OSError):
            modified = path.stat().st_mtime
            if path.name.endswith(_SUFFIX):
                entries.append((modified, path))
            elif path.name.endswith(".tmp") and now - modified > 3600:
                path.unlink()
    for _modified, path in sorted(entries, reverse=True)[MAX_ENTRIES:]:
        with suppress(OSError):
            path.unlink()
