"""Standard output as a command line sees it: a reader that has gone, or a stream that fails."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def stdout_faults(*passing: type[BaseException]) -> Iterator[None]:
    """Exit 0 quietly when the reader of stdout has gone (`| head`); exit 1 with a message when stdout fails.

    SystemExit and the exceptions `passing` names end the command as they would: what is buffered is
    written first. An OSError that names a file is not about stdout, so it stays a visible crash.
    """
    ending: tuple[type[BaseException], ...] = (SystemExit, *passing)
    try:
        try:
            yield
        except ending:
            sys.stdout.flush()
            raise
        # What is still buffered is written now, where a failure can be reported, not at exit.
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
        raise SystemExit(0) from None  # the reader chose to stop; nothing went wrong
    except OSError as exc:
        if exc.filename is not None:
            raise
        _discard_stdout()
        print(f"Error: cannot write to standard output: {exc.strerror or exc}", file=sys.stderr)
        raise SystemExit(1) from None


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush at exit does not fail again."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):
        return  # not a file (tests capture stdout): nothing is flushed to it at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
