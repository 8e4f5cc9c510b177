"""A cache of validated datasets in the user's cache folder, so that an unchanged file loads quickly.

An entry holds one valid dataset as JSON: everything but the claims, then the claims of each
metric in a block of their own, so that a command about one metric or group reads back only the
claims it needs. It is used only when all of these still hold, each checked on every read:
- the entry's first line is the SHA-256 of everything after it (header and payload alike), and the
  header has the layout written here;
- the SHA-256 of the dataset file's text is the one the entry was built from;
- each document the dataset cites has the SHA-256 it had when its quotes were checked (on POSIX
  systems, a document whose size, modification and change times, inode and device are all as they
  were then is taken as unchanged without reading it, as make and git do: any write to a file sets
  its change time, which no program can set back short of moving the system clock); a document
  that is no longer a regular file is a miss, found without opening it;
- the program (its version and the SHA-256 of its own source files), the libraries it relies on
  (the version of msgspec, which reads the entry; the names, sizes and modification times of the
  installed files of pydantic, which decided what is valid, and of PyYAML), the RECONCILE_*
  settings and the entry format are the same;
- today is not before the day of the build (checks of dates "in the future" only ever pass later);
- what is read back passes the model's own invariants again: every field of the right type and no
  other (msgspec, strictly), each interval ordered, each claim in the block of its metric, and every
  reference to a metric, subject, source or document resolving.
Anything else, a missing, corrupt or tampered entry included, is a miss: the file is loaded and
validated as if there were no cache, and a valid result replaces the entry. Invalid datasets are
never stored, so the cache cannot hide an error. Entries are written to a temporary file and moved
into place, so two runs racing leave one whole entry; pruning removes only files named and headed
as this module writes them. Nothing read from the cache is executed: it is JSON.

The folder is RECONCILE_CACHE_DIR, else $XDG_CACHE_HOME/reconcile, else ~/.cache/reconcile;
RECONCILE_NO_CACHE=1 turns the cache off.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import stat
import sys
import time
from collections.abc import Sequence
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from reconcile import __version__
from reconcile.io.read import max_bytes
from reconcile.io.where import ROOT_SETTING
from reconcile.model.dataset import Claim, Dataset
from reconcile.model.terms import metrics_named

#: Bump when the layout of an entry changes.
FORMAT = 5
#: Entries kept; the least recently written beyond this are removed.
MAX_ENTRIES = 16
_SUFFIX = ".dataset"
_TEMPORARY_PREFIX = ".reconcile-"
_ENTRY_NAME = re.compile(r"[0-9a-f]{32}\.dataset")
_TEMPORARY_NAME = re.compile(r"\.reconcile-[A-Za-z0-9_]+\.tmp")
_DIGEST = re.compile(rb"[0-9a-f]{64}")
# Settings that change where the cache is, not what a valid dataset is.
_CACHE_SETTINGS = {"RECONCILE_CACHE_DIR", "RECONCILE_NO_CACHE", "RECONCILE_DATA"}
_HEADER_KEYS = {
    "format",
    "program",
    "settings",
    "built_on",
    "dataset",
    "documents",
    "base",
    "blocks",
    "claims",
}
_claims = msgspec.json.Decoder(tuple[Claim, ...])
_base = msgspec.json.Decoder(Dataset)
_encode = msgspec.json.Encoder().encode


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


def lookup(file: Path, text: str, today: date, only: Sequence[str] | None = None) -> Dataset | None:
    """The dataset of `file` (whose content is `text`) from its entry if the entry still holds, else None.

    `only` names the metrics or groups the caller needs: only their claims are read back. None, or a
    name that is neither, means every claim (the command then reports the name as usual).
    """
    entry = _entry(file)
    if entry is None:
        return None
    found = _read(entry)
    if found is None:
        return None
    header, payload = found
    if not _holds(header, file, text, today):
        return None
    try:
        return _revive(header, payload, only)
    except (msgspec.ValidationError, msgspec.DecodeError, ValueError, KeyError, TypeError):
        return None  # an entry that does not hold what it says: the file is read again


def clock() -> int:
    """Now, as file times count it: a document changed after this was changed during the build."""
    # File times come from the kernel's coarse clock, which may lag the precise one.
    coarse = getattr(time, "CLOCK_REALTIME_COARSE", None)
    if coarse is not None:
        return time.clock_gettime_ns(coarse)
    return time.time_ns() - 50_000_000


def store(file: Path, text: str, dataset: Dataset, today: date, started: int) -> None:
    """Keep a valid dataset, unless a document changed while it was checked or the cache is off."""
    entry = _entry(file)
    if entry is None:
        return
    documents = _documents(file, dataset, started)
    if documents is None:
        return
    payload, layout = _layout(dataset)
    header = {
        "format": FORMAT,
        "program": program(),
        "settings": _settings(),
        "built_on": today.isoformat(),
        "dataset": _text_digest(text),
        "documents": documents,
        **layout,
    }
    body = msgspec.json.encode(header) + b"\n" + payload
    _write(entry, hashlib.sha256(body).hexdigest().encode() + b"\n" + body)


def program() -> str:
    """What a cached result depends on besides the data: this program, its validator and reader, the format."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        name = source.relative_to(package).as_posix()
        digest.update(name.encode() + b"\0" + source.read_bytes() + b"\0")
    return f"{FORMAT}:{__version__}:{digest.hexdigest()}:{_versions()}:{sys.version_info[:2]}"


#: The libraries whose installed code decides what a cached dataset holds: the validator, and the
#: strict reader that parses what the fast reader leaves to it.
LIBRARIES = ("pydantic", "pydantic_core", "yaml")


def _versions() -> str:
    """The installed validator and readers: msgspec's version, the files of each of LIBRARIES.

    The libraries are found, not imported: importing pydantic to ask its version would cost a cache
    hit some 50 ms, and a hit needs nothing of pydantic. Every file of each package counts (its
    name, size and modification time; compiled bytecode in __pycache__ aside, which Python writes
    as it pleases): installing any other release, or editing a file in place, changes the key.
    """
    digest = hashlib.sha256()
    for name in LIBRARIES:
        digest.update(name.encode() + b"\0")
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        for top in [] if spec is None else sorted(spec.submodule_search_locations or ()):
            for folder, subfolders, files in os.walk(top):
                subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
                for file in sorted(files):
                    path = os.path.join(folder, file)
                    with suppress(OSError):
                        info = os.stat(path)
                        where = os.path.relpath(path, top)
                        digest.update(f"{where}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return f"msgspec {msgspec.__version__}, {digest.hexdigest()}"


def _entry(file: Path) -> Path | None:
    """Where the entry for `file` is kept, or None when the cache is turned off."""
    where = folder()
    if where is None:
        return None
    try:
        return where / (hashlib.sha256(os.fsencode(file.resolve())).hexdigest()[:32] + _SUFFIX)
    except (OSError, RuntimeError):
        return None


def _settings() -> dict[str, str]:
    return {
        k: v for k, v in sorted(os.environ.items()) if k.startswith("RECONCILE_") and k not in _CACHE_SETTINGS
    }


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _regular(path: Path) -> os.stat_result | None:
    """The status of a regular file (symbolic links followed); None for anything else or nothing."""
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def _digest(path: Path, limit: int) -> str | None:
    """The SHA-256 of a regular file no larger than `limit`, or None; a FIFO or device is never opened."""
    info = _regular(path)
    if info is None or info.st_size > limit:
        return None
    try:
        # O_NONBLOCK: should the path become a FIFO between the check and the open, open does not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        data = handle.read(limit + 1)
    if len(data) > limit:
        return None
    return hashlib.sha256(data.removeprefix(b"\xef\xbb\xbf")).hexdigest()


def _signature(path: Path) -> list[int] | None:
    """A regular file's size, modification and change times, inode and device; None for anything else."""
    info = _regular(path)
    if info is None:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _read(entry: Path) -> tuple[dict[str, Any], bytes] | None:
    """The header and payload of an entry that is this user's, whole and of the layout written here."""
    info = _regular(entry)
    # An entry someone else wrote (in a shared folder) is not taken as this user's own check.
    if info is None or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        return None
    try:
        fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read()
    checksum, _, body = raw.partition(b"\n")
    if not _DIGEST.fullmatch(checksum) or hashlib.sha256(body).hexdigest().encode() != checksum:
        return None
    line, _, payload = body.partition(b"\n")
    try:
        header = msgspec.json.decode(line)
    except (msgspec.DecodeError, RecursionError):
        return None
    if not _well_formed(header, len(payload)):
        return None
    return header, payload


def _well_formed(header: Any, size: int) -> bool:
    """Whether a header has exactly the layout written here, every span inside the payload."""
    if not isinstance(header, dict) or header.keys() != _HEADER_KEYS or header["format"] != FORMAT:
        return False

    def span(value: Any) -> bool:
        return (
            isinstance(value, list)
            and len(value) == 2
            and all(type(v) is int for v in value)
            and 0 <= value[0] <= value[1] <= size
        )

    blocks = header["blocks"]
    return (
        span(header["base"])
        and type(header["claims"]) is int
        and isinstance(blocks, list)
        and all(
            isinstance(b, list)
            and len(b) == 4
            and isinstance(b[0], str)
            and span(b[1:3])
            and type(b[3]) is int
            and b[3] >= 0
            for b in blocks
        )
        and sum(b[3] for b in blocks) == header["claims"]
        and len({b[0] for b in blocks}) == len(blocks)
        and isinstance(header["documents"], list)
        and all(
            isinstance(d, list) and len(d) == 3 and isinstance(d[0], str) and isinstance(d[1], str)
            for d in header["documents"]
        )
    )


def _holds(header: dict[str, Any], file: Path, text: str, today: date) -> bool:
    """Whether what the entry was built from is still as it was: program, settings, day, file, documents."""
    try:
        if header["program"] != program() or header["settings"] != _settings():
            return False
        if date.fromisoformat(header["built_on"]) > today:
            return False
    except (ValueError, TypeError):
        return False
    if header["dataset"] != _text_digest(text):
        return False
    limit = max_bytes()
    for name, digest, signature in header["documents"]:
        path = file.parent / name
        if signature is not None and _signature(path) == signature:
            continue
        if _digest(path, limit) != digest:
            return False
    return True


def _revive(header: dict[str, Any], payload: bytes, only: Sequence[str] | None) -> Dataset:
    """The dataset of an entry, with the claims of the metrics or groups `only` names.

    Raises msgspec.ValidationError or ValueError when the entry does not hold what its header says.
    """
    start, end = header["base"]
    base = _base.decode(payload[start:end])
    wanted = None if only is None else metrics_named(only, base.metrics, base.groups)
    if any(metric not in base.metrics for metric, *_ in header["blocks"]):
        raise ValueError("the entry has a block for a metric the dataset does not define")
    placed: list[tuple[int, Claim]] = []
    for metric, start, end, size in header["blocks"]:
        if wanted is not None and metric not in wanted:
            continue  # never parsed: the entry's checksum vouches for it all the same
        indices, claims = msgspec.json.decode(
            payload[start:end], type=tuple[tuple[int, ...], tuple[Claim, ...]]
        )
        if not size == len(indices) == len(claims):
            raise ValueError("a block of the entry does not hold as many claims as its header says")
        for index, claim in zip(indices, claims, strict=True):
            if claim.metric != metric:
                raise ValueError("a claim stands in the block of another metric")
            placed.append((index, claim))
    placed.sort(key=lambda item: item[0])
    order = [index for index, _ in placed]
    if len(set(order)) != len(order) or (wanted is None and order != list(range(header["claims"]))):
        raise ValueError("the entry's blocks do not hold its claims")
    claims = tuple(claim for _, claim in placed)
    _resolves(base, claims)
    return msgspec.structs.replace(base, claims=claims)


def _resolves(dataset: Dataset, claims: Sequence[Claim]) -> None:
    """Raise ValueError unless every name the claims and groups use is defined in the dataset."""
    metrics, subjects, sources, documents = (
        dataset.metrics,
        dataset.subjects,
        dataset.sources,
        dataset.documents,
    )
    if any(member not in metrics for members in dataset.groups.values() for member in members):
        raise ValueError("a group names an unknown metric")
    for claim in claims:
        if (
            claim.metric not in metrics
            or claim.subject not in subjects
            or claim.source not in sources
            or any(citation.document not in documents for citation in claim.citations)
        ):
            raise ValueError(f"claim {claim.id} refers to what the dataset does not define")


def _documents(file: Path, dataset: Dataset, started: int) -> list[list[Any]] | None:
    """Each archived document's name, digest and signature; None if one changed while it was checked."""
    limit = max_bytes()
    documents: list[list[Any]] = []
    # The setting that names where documents may lie decides what is valid, as the documents do.
    names = {d.file for d in dataset.documents.values() if d.file is not None}
    if (file.parent / ROOT_SETTING).exists():
        names.add(ROOT_SETTING)
    for name in sorted(names):
        path = file.parent / name
        before = _signature(path)
        digest = _digest(path, limit)
        after = _signature(path)
        if digest is None or after is None or after != before or after[1] >= started:
            return None
        # Only on POSIX systems does every write set the change time. A change in the same tick of the
        # clock as the run's start might leave the times as they were: such a document is read again
        # on every use of the entry.
        steady = os.name == "posix" and after[2] < started
        documents.append([name, digest, after if steady else None])
    return documents


def _layout(dataset: Dataset) -> tuple[bytes, dict[str, Any]]:
    """The payload of an entry and where its parts are: the dataset without claims, then a block per metric.

    A block is the JSON array [indices in `claims`, the claims].
    """
    base = _encode(msgspec.structs.replace(dataset, claims=()))
    by_metric: dict[str, list[int]] = {}
    for index, claim in enumerate(dataset.claims):
        by_metric.setdefault(claim.metric, []).append(index)
    parts, blocks, offset = [base], [], len(base)
    for metric, indices in by_metric.items():
        block = _encode((indices, [dataset.claims[i] for i in indices]))
        parts.append(block)
        blocks.append([metric, offset, offset + len(block), len(indices)])
        offset += len(block)
    layout = {"base": [0, len(base)], "blocks": blocks, "claims": len(dataset.claims)}
    return b"".join(parts), layout


def _write(entry: Path, content: bytes) -> None:
    """Put an entry in place whole, then prune; a cache that cannot be written is only slower."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Written beside the entry and moved over it in one step, so that a reader never sees half an
        # entry and the last of two racing writers wins whole.
        import tempfile  # only when an entry is written

        with tempfile.NamedTemporaryFile(
            "wb", dir=entry.parent, prefix=_TEMPORARY_PREFIX, suffix=".tmp", delete=False
        ) as handle:
            temporary = handle.name
            try:
                handle.write(content)
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
        pass


def _prune(where: Path) -> None:
    """Remove this module's oldest entries beyond MAX_ENTRIES, and its temporary files left by killed runs.

    A file is this module's only when its name is one it gives and it starts with an entry's checksum
    line; anything else in the folder is left alone.
    """
    now = time.time()
    entries = []
    for path in where.iterdir():
        named_entry = _ENTRY_NAME.fullmatch(path.name) is not None
        if not (named_entry or _TEMPORARY_NAME.fullmatch(path.name)):
            continue
        with suppress(OSError):
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode) or not _starts_as_entry(path, temporary=not named_entry):
                continue
            if named_entry:
                entries.append((info.st_mtime, path))
            elif now - info.st_mtime > 3600:
                path.unlink()
    for _modified, path in sorted(entries, reverse=True)[MAX_ENTRIES:]:
        with suppress(OSError):
            path.unlink()


def _starts_as_entry(path: Path, *, temporary: bool) -> bool:
    """Whether a file starts as an entry does (a temporary one may still be empty or cut short)."""
    with path.open("rb") as handle:
        head = handle.read(65)
    if temporary and len(head) < 65:
        return _DIGEST.fullmatch(head) is not None or all(c in b"0123456789abcdef" for c in head)
    return _DIGEST.fullmatch(head[:64]) is not None and head[64:65] == b"\n"
