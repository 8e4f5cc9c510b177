"""`reconcile init DIR`: an editable copy of the shipped dataset, laid out as in the source tree.

DIR/data/estimates.yaml, the documents it cites where its paths say (DIR/seeds/...), the setting
that lets it read them (data/.reconcile-documents), and DIR/schema/estimates.schema.json for
editors; a command run anywhere in DIR then finds DIR/data/estimates.yaml (see reconcile.io.where).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from reconcile.errors import OutputError
from reconcile.io import atomic
from reconcile.io.jsonschema import dataset_schema_json
from reconcile.io.load import load
from reconcile.io.where import ROOT_SETTING, default_path

SCHEMA = Path("schema") / "estimates.schema.json"


@dataclass(frozen=True)
class Copied:
    """What `init` wrote: the dataset, and every other file, relative to the folder."""

    folder: Path
    dataset: Path
    files: list[Path]


def _plan(source: Path) -> dict[Path, Path]:
    """Each file to copy, from where it is to where it goes relative to the new folder."""
    shipped = load(source)
    here = source.parent
    plan = {Path("data") / source.name: source}
    if (here / ROOT_SETTING).is_file():
        plan[Path("data") / ROOT_SETTING] = here / ROOT_SETTING
    for document in shipped.documents.values():
        if document.file is not None:
            target = Path(os.path.normpath(Path("data") / document.file))
            if target.is_absolute() or target.parts[:1] == ("..",):
                raise OutputError(f"the shipped document {document.file} lies outside the dataset's tree")
            plan[target] = here / document.file
    return plan


def init(folder: Path, *, force: bool = False) -> Copied:
    """Write the shipped dataset and its documents into `folder`; refuse to replace a dataset there."""
    source = default_path()
    plan = _plan(source)
    dataset = Path("data") / source.name
    if not force:
        there = [target for target in (*plan, SCHEMA) if (folder / target).exists()]
        if there:
            raise OutputError(
                f"{folder / there[0]} exists; pass --force to write the shipped dataset over what is in {folder}"
            )
    for target in (*plan, SCHEMA):
        try:
            (folder / target).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot make {(folder / target).parent}: {exc.strerror or exc}") from None
    for target, origin in plan.items():
        atomic.write_bytes(folder / target, origin.read_bytes())
    atomic.write_text(folder / SCHEMA, dataset_schema_json())
    return Copied(folder, folder / dataset, [*plan, SCHEMA])
