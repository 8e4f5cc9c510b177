"""The built wheel: what an installed reconcile needs beside its code."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_type_information_and_the_dataset(tmp_path: Path) -> None:
    wheel_builder = pytest.importorskip("hatchling.builders.wheel")
    [wheel] = wheel_builder.WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    names = set(zipfile.ZipFile(wheel).namelist())
    # py.typed tells type checkers that reconcile's own annotations are to be used (PEP 561).
    assert {"reconcile/py.typed", "reconcile/data/estimates.yaml", "reconcile/cli/app.py"} <= names
