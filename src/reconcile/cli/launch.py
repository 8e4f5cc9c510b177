"""The console script: `show` answered from the cache by a short path, everything else by reconcile.cli.app.

Typer builds a pydantic validator for each option of the command it runs, and the dataset models
are pydantic's too: importing and building them is most of the time that `show` takes on a small
dataset. So `reconcile [--data FILE] show METRIC` with the options that select claims (--all,
--as-of, --since, --until, --source, --subject), on a dataset the cache holds that has fewer than
LARGE claims, is read back as plain objects (reconcile.io.records) and printed here, with neither.
Every other command line (another command, --json, --help, an option or a value this parser does
not take), a cache miss, and a name the dataset does not know go to reconcile.cli.app, which does the
same work in full and reports any error. The output is the same either way.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from reconcile.io import records
    from reconcile.model.dataset import Dataset

#: Claims from which a command spares the garbage collector (see cli._load), and from which the short
#: path leaves reading the cache to pydantic, which is the faster reader in bulk.
LARGE = 10_000

_DATE_FORMAT = "%Y-%m-%d"  # as the date options of reconcile.cli.app
_ONCE = {"--as-of", "--since", "--until", "--subject"}


@dataclass(frozen=True)
class ShowRequest:
    """A `show` command line the short path can answer."""

    metric: str
    data: Path | None = None
    all_claims: bool = False
    as_of: date | None = None
    since: date | None = None
    until: date | None = None
    sources: tuple[str, ...] = ()
    subject: str | None = None


def parse_show(argv: Sequence[str]) -> ShowRequest | None:
    """The `show` command line in `argv`, or None for anything this parser leaves to reconcile.cli.app."""
    args = list(argv)
    if "show" not in args:
        return None
    at = args.index("show")
    options = _options(args[:at], {"--data"})
    if options is None or options[1]:
        return None
    data = options[0].get("--data", [])
    parsed = _options(
        args[at + 1 :], {"--as-of", "--since", "--until", "--source", "--subject"}, flags={"--all"}
    )
    if parsed is None:
        return None
    values, positional = parsed
    if len(positional) != 1 or any(len(values.get(name, [])) > 1 for name in _ONCE) or len(data) > 1:
        return None
    try:
        as_of, since, until = (_day(values.get(name)) for name in ("--as-of", "--since", "--until"))
    except ValueError:
        return None  # reconcile.cli.app says what is wrong with it
    subject = values.get("--subject")
    return ShowRequest(
        metric=positional[0],
        data=Path(data[0]) if data else None,
        all_claims="--all" in values,
        as_of=as_of,
        since=since,
        until=until,
        sources=tuple(values.get("--source", ())),
        subject=subject[0] if subject else None,
    )


def _options(
    args: Sequence[str],
    valued: Collection[str],
    flags: Collection[str] = (),
) -> tuple[dict[str, list[str]], list[str]] | None:
    """Options (each name's values, in order) and positional arguments; None for anything else."""
    values: dict[str, list[str]] = {}
    positional: list[str] = []
    rest = iter(args)
    for token in rest:
        if not token.startswith("-"):
            positional.append(token)
            continue
        name, equals, value = token.partition("=")
        if name in flags and not equals:
            values.setdefault(name, [])
        elif name in valued:
            if not equals:
                value = next(rest, "")
            if not value or value.startswith("-"):
                return None  # no value, or one the full parser reads its own way
            values.setdefault(name, []).append(value)
        else:
            return None
    return values, positional


def _day(values: list[str] | None) -> date | None:
    return None if values is None else datetime.strptime(values[0], _DATE_FORMAT).date()


def answer(argv: Sequence[str]) -> bool:
    """Print what `reconcile show` prints for `argv` and return True, if the short path can answer it."""
    if os.environ.get("_RECONCILE_COMPLETE") or os.environ.get("RECONCILE_DATA") == "":
        return False  # shell completion; an empty setting, which the full parser reads its own way
    request = parse_show(argv)
    if request is None:
        return False
    from reconcile.io import cache, records
    from reconcile.io.where import resolve_path

    file = resolve_path(request.data)
    found = cache.lookup(file, date.today())
    if found is None:
        return False
    payload, header = found
    if not isinstance(header.get("claims"), int) or header["claims"] >= LARGE:
        return False
    try:
        dataset = records.revive(payload, header, [request.metric])
    except (ValueError, KeyError, TypeError, RecursionError):
        return False  # an entry that does not hold what it says: the full path reads the file again
    if dataset is None:
        return False
    return _show(dataset, request)


def _show(dataset: records.Dataset, request: ShowRequest) -> bool:
    from reconcile.analysis import compare as analysis
    from reconcile.errors import ReconcileError
    from reconcile.output import terminal as render

    # The records carry every attribute of the models that analysis reads (tests/test_launch.py).
    data = cast("Dataset", dataset)
    try:
        filters = analysis.named_filters(
            data, request.subject, request.sources, request.as_of, request.since, request.until
        )
        result = analysis.show(
            data, request.metric, filters, all_claims=request.all_claims, set_aside_for=render.SHOWN_SET_ASIDE
        )
    except ReconcileError:
        return False  # an unknown or ambiguous name, which reconcile.cli.app reports
    with stdout_faults():
        render.emit(render.show(result))
    return True


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


def main() -> None:
    """Entry point of the console script."""
    if answer(sys.argv[1:]):
        return
    from reconcile.cli.app import main as command_line

    command_line()
