"""Which dataset file a result was made from: its path, its SHA-256 and when it was last modified."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reconcile.io.where import resolve_path


@dataclass(frozen=True, slots=True, kw_only=True)
class DatasetFile:
    """A dataset file as it was read: enough to tell a later reader which version a page shows."""

    path: str
    sha256: str
    modified: datetime  # in UTC


def fingerprint(path: Path | None) -> DatasetFile:
    """The dataset file `path` names (or the default one, as `load` finds it), hashed."""
    file = resolve_path(path).resolve()
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    modified = datetime.fromtimestamp(file.stat().st_mtime, UTC).replace(microsecond=0)
    return DatasetFile(path=str(file), sha256=digest.hexdigest(), modified=modified)
