"""The library a notebook uses: every documented name resolves, and the docstring's tour runs."""

from __future__ import annotations

import subprocess
import sys

import reconcile
from reconcile.analysis.claims import Filters
from reconcile.analysis.compare import ShowResult
from reconcile.analysis.diff import DiffResult
from reconcile.analysis.estimate import EstimateResult
from reconcile.model.dataset import Dataset


def test_every_name_in_all_resolves() -> None:
    for name in reconcile.__all__:
        assert getattr(reconcile, name) is not None, name
    assert sorted(reconcile.__all__) == sorted(set(reconcile.__all__))


def test_the_tour_in_the_docstring_returns_data() -> None:
    data = reconcile.load()
    assert isinstance(data, Dataset)
    shown = reconcile.show(data, "killed", Filters())
    assert isinstance(shown, ShowResult) and shown.comparisons
    found = reconcile.estimate(data, "killed", Filters())
    assert isinstance(found, EstimateResult) and found.estimates
    pairs = reconcile.diff(data, "kr-nis", "ua-president", Filters())
    assert isinstance(pairs, DiffResult)
    table = reconcile.export(data, reconcile.View.claims, Filters())
    text = reconcile.render(table, reconcile.Format.markdown)
    assert text.count("\n") > len([c for c in data.claims]) // 2


def test_importing_the_library_loads_nothing_heavy() -> None:
    probe = "import sys, reconcile; print(sorted(m for m in ('pydantic', 'rich', 'typer', 'yaml') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        reconcile.nothing_of_the_kind  # noqa: B018
    except AttributeError as exc:
        assert "nothing_of_the_kind" in str(exc)
    else:
        raise AssertionError("an unknown name resolved")
