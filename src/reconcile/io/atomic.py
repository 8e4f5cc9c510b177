"""Writing an output file all at once or not at all: a temporary file beside it, then a rename."""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from reconcile.errors import OutputError


def write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data`; a reader never sees a half-written file, and a failure leaves no debris.

    An existing `path` that is not a regular file (a device such as /dev/full, a FIFO, a socket) is
    refused: the rename would destroy it rather than write into it.
    """
    try:
        mode: int | None = os.stat(path).st_mode
    except OSError:
        mode = None  # nothing there yet, or nothing reachable: making the temporary file says what is wrong
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(f"cannot write {path}: not a regular file")
    directory = path.parent if str(path.parent) else Path(".")
    with _removed_on_signal() as made:
        # Held from before the file exists until it is listed: a signal between the two would stop the
        # program with the file left behind.
        with _held():
            try:
                handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
            except OSError as exc:
                raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
            made.append(temporary)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            # mkstemp makes the file readable by its owner only: a file replaced keeps its mode (a
            # private 0600 stays private), a new one gets the usual permissions.
            os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
            os.replace(temporary, path)
        except OSError as exc:
            Path(temporary).unlink(missing_ok=True)
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


#: Signals that end a program by default, and that a user or a supervisor sends to stop one (SIGINT
#: is KeyboardInterrupt already, which the cleanup above handles).
_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def _removed_on_signal() -> Iterator[list[str]]:
    """While the block runs, SIGTERM and SIGHUP remove the temporary files it lists, then stop the
    program as they would have (same signal, same exit status)."""
    made: list[str] = []
    if threading.current_thread() is not threading.main_thread():
        yield made  # only the main thread may set handlers; a thread's caller owns its signals
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        for temporary in made:
            Path(temporary).unlink(missing_ok=True)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    # A signal the program ignores, or handles itself, is left as it is.
    previous = {s: signal.getsignal(s) for s in _STOPPING}
    taken = [s for s, handler in previous.items() if handler == signal.SIG_DFL]
    for signum in taken:
        signal.signal(signum, stop)
    try:
        yield made
    finally:
        for signum in taken:
            signal.signal(signum, signal.SIG_DFL)


@contextmanager
def _held() -> Iterator[None]:
    """SIGTERM and SIGHUP wait until the block ends, then arrive (where the system can hold them)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` in UTF-8, atomically."""
    write_bytes(path, text.encode("utf-8"))
