"""Cited documents are read only from inside the dataset's folder, unless the user opts in."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli.app import app
from reconcile.errors import DatasetError
from reconcile.io.load import load
from reconcile.io.where import ALLOW_OUTSIDE, ROOT_SETTING

runner = CliRunner()


def moved_out(tmp_path: Path, write_dataset: Callable[..., Path], *, link: bool) -> Path:
    """The small dataset in a folder of its own, its document outside it (or a link pointing out)."""
    source = write_dataset()
    inner = tmp_path / "inner"
    inner.mkdir()
    dataset = inner / "estimates.yaml"
    if link:
        dataset.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        (inner / "doc.txt").symlink_to(tmp_path / "doc.txt")
    else:
        dataset.write_text(source.read_text(encoding="utf-8").replace("file: doc.txt", "file: ../doc.txt"))
    return dataset


@pytest.mark.parametrize("link", [False, True], ids=["dot-dot path", "symbolic link"])
def test_a_document_outside_the_folder_is_refused_with_the_way_out(
    tmp_path: Path, write_dataset: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, link: bool
) -> None:
    monkeypatch.delenv(ALLOW_OUTSIDE, raising=False)
    dataset = moved_out(tmp_path, write_dataset, link=link)
    with pytest.raises(DatasetError) as caught:
        load(dataset)
    [problem] = caught.value.problems
    assert problem.field.endswith(".file") and problem.line is not None
    assert f"is outside {dataset.parent.resolve()}" in problem.message
    assert "--allow-outside" in problem.message and ROOT_SETTING in problem.message


def test_the_option_lets_this_run_read_it(
    tmp_path: Path, write_dataset: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ALLOW_OUTSIDE, raising=False)
    dataset = moved_out(tmp_path, write_dataset, link=False)
    refused = runner.invoke(app, ["--data", str(dataset), "validate"])
    assert refused.exit_code == 1 and "outside" in refused.output
    allowed = runner.invoke(app, ["--allow-outside", "--data", str(dataset), "validate"])
    os.environ.pop(ALLOW_OUTSIDE, None)  # the option sets it for the rest of its process
    assert allowed.exit_code == 0, allowed.output
    # An entry cached by the run that was allowed is not taken by one that is not.
    again = runner.invoke(app, ["--data", str(dataset), "validate"])
    assert again.exit_code == 1 and "outside" in again.output


def test_a_setting_beside_the_dataset_widens_the_folder_and_its_removal_is_seen(
    tmp_path: Path, write_dataset: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ALLOW_OUTSIDE, raising=False)
    dataset = moved_out(tmp_path, write_dataset, link=False)
    (dataset.parent / ROOT_SETTING).write_text("..\n", encoding="utf-8")
    assert load(dataset).claims
    assert load(dataset).claims  # from the cache
    (dataset.parent / ROOT_SETTING).unlink()
    with pytest.raises(DatasetError):
        load(dataset)


def test_the_shipped_dataset_names_the_folder_of_its_seeds() -> None:
    shipped = Path(__file__).resolve().parent.parent / "data"
    assert (shipped / ROOT_SETTING).read_text(encoding="utf-8").strip() == ".."
