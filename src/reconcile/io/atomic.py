"""Writing an output file all at once or not at all: a temporary file beside it, then a rename."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from reconcile.errors import OutputError


def write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data`; a reader never sees a half-written file, and a failure leaves no debris.

    An existing `path` that is not a regular file (a device such as /dev/full, a FIFO, a socket) is
    refused: the rename would destroy it rather than write into it.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        pass  # nothing there yet, or nothing reachable: making the temporary file says what is wrong
    else:
        if not stat.S_ISREG(mode):
            raise OutputError(f"cannot write {path}: not a regular file")
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates the file readable by its owner only; give it the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` in UTF-8, atomically."""
    write_bytes(path, text.encode("utf-8"))
