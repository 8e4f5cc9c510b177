"""A dataset as it was at a git revision: `git:REV` names the dataset file as committed at REV.

The file and the documents it cites are taken from the repository with `git show`, written to a
temporary folder in the same layout, and loaded there like any dataset, so that its quotes are
checked against the documents as they were at that revision.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from reconcile.errors import DatasetError, Problem, ReconcileError, clip
from reconcile.io.load import load
from reconcile.io.where import ROOT_SETTING
from reconcile.io.yamlsafe import parse
from reconcile.model.dataset import Dataset

PREFIX = "git:"


class RevisionError(ReconcileError):
    """A `git:REV` side names no revision, or its dataset cannot be read from the repository."""


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError("git:REV needs git, which is not installed") from None


def _show(top: Path, rev: str, path: str) -> bytes | None:
    done = _git(top, "show", f"{rev}:{path}")
    return done.stdout if done.returncode == 0 else None


def _document_files(text: str, file: Path) -> list[str]:
    """The document paths a dataset's text names, relative to its folder; [] if it is not shaped so."""
    try:
        data, _ = parse(text, file)
    except DatasetError:
        return []  # the load that follows reports it, with its place
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, dict):
        return []
    found = (each.get("file") for each in documents.values() if isinstance(each, dict))
    return [name for name in found if isinstance(name, str)]


@contextmanager
def checked_out(rev: str, dataset: Path) -> Iterator[tuple[Path, Path]]:
    """A temporary folder holding the dataset file `dataset` as committed at `rev`, with its documents,
    laid out as in the repository; and the file's copy in it."""
    if not rev or rev.startswith("-"):
        raise RevisionError(f"git:{clip(rev)} names no revision; write git:REV, e.g. git:HEAD~1 or git:v1.0")
    file = dataset.resolve()
    done = _git(file.parent, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise RevisionError(f"{file} is not in a git repository, so git:{clip(rev)} cannot be read")
    top = Path(os.fsdecode(done.stdout.strip()))
    if _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise RevisionError(f"git:{clip(rev)}: no such revision in {top}")
    relative = file.relative_to(top).as_posix()
    text = _show(top, rev, relative)
    if text is None:
        raise RevisionError(f"git:{clip(rev)}: {relative} is not in that revision of {top}")
    with tempfile.TemporaryDirectory(prefix="reconcile-") as tmp:
        root = Path(tmp)
        copy = root / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(text)
        folder = PurePosixPath(relative).parent
        wanted = [str(folder / ROOT_SETTING)]
        wanted += [
            os.path.normpath(folder / name) for name in _document_files(text.decode(errors="replace"), copy)
        ]
        for name in wanted:
            if name.startswith("..") or os.path.isabs(name):
                continue  # outside the repository: the load reports the missing file
            content = _show(top, rev, name)
            if content is not None:
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_bytes(content)
        yield root, copy


def load_side(side: str, dataset: Path) -> Dataset:
    """The dataset a side of `changes` names: a file, or `git:REV` for `dataset` as it was at REV.

    Problems in a revision's dataset are reported as at `git:REV:path`, never at the temporary copy.
    """
    if not side.startswith(PREFIX):
        return load(Path(side))
    rev = side[len(PREFIX) :]
    with checked_out(rev, dataset) as (root, copy):
        try:
            return load(copy)
        except DatasetError as error:
            raise DatasetError([_renamed(p, root, side) for p in error.problems], what=error.what) from None


def _renamed(problem: Problem, root: Path, side: str) -> Problem:
    """A problem found in the temporary copy, said of the revision: `git:REV:path`."""
    file = problem.file
    if file.is_relative_to(root):
        file = Path(f"{side}:{file.relative_to(root).as_posix()}")
    message = problem.message.replace(f"{root}{os.sep}", f"{side}:").replace(str(root), side)
    return Problem(file, problem.line, problem.column, problem.field, message)
