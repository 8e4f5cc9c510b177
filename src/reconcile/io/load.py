"""Loading a dataset, top down: read, the cache, parse, validate, cross-check, build, store.

Every problem of a file is reported at once, each with its line and column; nothing reaches a
command that did not pass every step.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from reconcile.errors import DatasetError, Problem
from reconcile.io import cache
from reconcile.io.read import read_text
from reconcile.io.where import resolve_path
from reconcile.io.yamlsafe import Positions, parse, shown
from reconcile.model.dataset import Dataset, Interval

_SECTIONS = "version, metrics, subjects, sources and claims"


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    today: date | None = None,
    only: Sequence[str] | None = None,
) -> Dataset:
    """Read, validate and resolve a dataset; raise DatasetError listing every problem.

    An unchanged dataset that was valid before comes back from the cache (see reconcile.io.cache).
    `only` names the metrics or groups a command is about: a dataset from the cache then holds
    only their claims. (Read from the file it holds every claim, since every one was checked.)
    """
    with collector_paused():
        file = resolve_path(None if path is None else Path(path))
        day = today or date.today()
        text = read_text(file)
        found = cache.lookup(file, text, day, only)
        if found is not None:
            return found
        started = cache.clock()
        dataset = build(text, file, day)
        cache.store(file, text, dataset, day, started)
    return dataset


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a dataset's objects are made (by `load` and by the
    importer, the one policy for both).

    They hold no reference cycles (the structs of the model are not even tracked), and at 100,000
    claims collection passes over the parser's and the schema's objects take a large share of a load.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(text: str, file: Path, today: date) -> Dataset:
    """The dataset a file's text holds, through every check; DatasetError with every problem otherwise."""
    # Plainly written files go through the fast reader; anything it leaves, and every problem, is
    # read again by the strict one, so that problems are reported with their exact positions.
    from reconcile.io.fastload import parse_plain

    plain = parse_plain(text)
    if plain is not None:
        try:
            return _checked(plain, file, Positions(), today)
        except DatasetError:
            pass
    data, positions = _parse(text, file)
    return _checked(data, file, positions, today)


def _parse(text: str, file: Path) -> tuple[dict[str, Any], Positions]:
    """The strict reader's data and positions, which must be a mapping."""
    data, positions = parse(text, file, mapping_of=_SECTIONS)
    if () not in positions.values:
        emptiness = "is empty" if not text.strip() else "holds only comments"
        raise DatasetError([Problem(file, 1, 1, "", f"the file {emptiness}; a dataset needs {_SECTIONS}")])
    if not isinstance(data, dict):
        line, col = positions.values[()]
        message = f"must be a mapping of {_SECTIONS}, not {shown(data)}"
        raise DatasetError([Problem(file, line, col, "(top level)", message)])
    return data, positions


def _checked(data: dict[str, Any], file: Path, positions: Positions, today: date) -> Dataset:
    # Imported here: a dataset that comes from the cache never needs pydantic's schema.
    from reconcile.io.crosscheck import cross_check
    from reconcile.io.validate import validate

    validated = validate(data, file, positions)
    problems = validated.problems
    intervals: dict[int, Interval] = {}
    # When only some claims are malformed, the rest are still checked, so one run reports everything.
    if validated.dataset is not None:
        checked = cross_check(
            validated.dataset,
            file,
            positions,
            today=today,
            claim_index=validated.claim_index,
            unchecked_ids=validated.unchecked_ids,
        )
        problems = problems + checked.problems
        intervals = checked.intervals
    if problems:
        raise DatasetError(sorted(problems, key=_order))
    return _domain(data, intervals)


def _domain(data: dict[str, Any], intervals: dict[int, Interval]) -> Dataset:
    """The model of data that passed every check, each claim with the interval it reads as."""
    claims = [{**claim, "interval": intervals[n]} for n, claim in enumerate(data.get("claims") or ())]
    return msgspec.convert({**data, "claims": claims}, Dataset)


def load_with_lines(path: Path | None = None, *, today: date | None = None) -> tuple[Dataset, dict[str, int]]:
    """`load`, and the line on which each claim starts, by claim id, for messages that point at claims.

    The file is read a second time for the lines: by the fast reader when it can, else the strict one.
    """
    from reconcile.io.fastload import claim_lines as plain_claim_lines

    dataset = load(path, today=today)
    file = resolve_path(path)
    text = read_text(file)
    starts = plain_claim_lines(text)
    if starts is None or len(starts) != len(dataset.claims):
        return dataset, claim_lines(dataset, parse(text, file)[1])
    return dataset, {claim.id: line for claim, line in zip(dataset.claims, starts, strict=True)}


def claim_lines(dataset: Dataset, positions: Positions) -> dict[str, int]:
    """The line on which each claim of a loaded dataset starts, by claim id."""
    lines = {}
    for i, claim in enumerate(dataset.claims):
        where = positions.values.get(("claims", i))
        if where is not None:
            lines[claim.id] = where[0]
    return lines


def _order(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)
