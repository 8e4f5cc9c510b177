"""Where the dataset is (the file --data or RECONCILE_DATA names, else the one shipped with the program),
and where its documents may be read from."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from reconcile.errors import OutputError
from reconcile.io.yamlsafe import read_text


def default_path() -> Path:
    """The shipped dataset: inside the installed package, or in the source tree."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "data" / "estimates.yaml"
    if packaged.is_file():
        return packaged
    return package.parent.parent / "data" / "estimates.yaml"


def resolve_path(path: Path | None) -> Path:
    """The dataset to use: an explicit path, else RECONCILE_DATA, else the shipped one."""
    if path is not None:
        return path
    env = os.environ.get("RECONCILE_DATA")
    return Path(env) if env else default_path()


#: Set to 1 to let documents outside the dataset's folder be read (the --allow-outside option).
ALLOW_OUTSIDE = "RECONCILE_ALLOW_OUTSIDE"


#: A file beside the dataset that may name, relative to its folder, a wider folder for its documents
#: (the shipped dataset's says `..`, for the seeds beside its folder).
ROOT_SETTING = ".reconcile-documents"


def document_root(file: Path) -> Path:
    """The folder a dataset's documents must lie inside (symbolic links followed): its own, or the one
    its ROOT_SETTING file names."""
    folder = file.parent
    setting = folder / ROOT_SETTING
    if setting.is_file():
        named = read_text(setting).strip()
        if named:
            return (folder / named).resolve()
    return folder.resolve()


def documents_outside_allowed() -> bool:
    """Whether this run may read documents outside the dataset's folder."""
    return os.environ.get(ALLOW_OUTSIDE, "") not in ("", "0")


def refuse_to_replace(output: Path, inputs: Iterable[tuple[Path, str]], *, force: bool) -> None:
    """Refuse to write `output` over one of the command's inputs (the dataset, a document it cites,
    a spreadsheet being imported) unless `force`: one mistyped -o would destroy the data.

    Each input comes with what it is, for the message. The same file is found whatever the path
    says: through symbolic links, `..` or a second hard link.
    """
    if force or not output.exists():
        return
    for path, what in inputs:
        try:
            same = os.path.samefile(output, path)
        except OSError:
            continue  # an input that is not there cannot be written over
        if same:
            named = "" if output == path else f" ({path})"
            raise OutputError(
                f"{output} is {what}{named}; refusing to write over it: give --force to replace it"
            )


def dataset_inputs(file: Path, documents: Iterable[str | None]) -> list[tuple[Path, str]]:
    """The dataset file and the documents it cites (their `file` fields), for refuse_to_replace."""
    inputs = [(file, "the dataset")]
    inputs += [(file.parent / name, "a document the dataset cites") for name in documents if name]
    return inputs
