"""Where the dataset is: the file --data or RECONCILE_DATA names, else the one shipped with the program."""

from __future__ import annotations

import os
from pathlib import Path


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
