"""Numbers for people: one formatter, the same on the terminal, in exports, in the report and on charts."""

from __future__ import annotations

from types import ModuleType

import pytest

from reconcile.io import importer
from reconcile.model import terms
from reconcile.model.terms import compact, number
from reconcile.output import export, plot, report
from reconcile.output import terminal as render


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3800, "3,800"),
        (3800.0, "3,800"),
        (0, "0"),
        (-1000, "-1,000"),
        (1_000_000, "1,000,000"),
        (0.45, "0.45"),
        (1234.5, "1,234.5"),
        (1 / 3, "0.33"),
        (2.999, "3"),
        (None, "open"),
    ],
)
def test_number(value: float | None, text: str) -> None:
    assert number(value) == text


def test_every_decimal_when_asked_so_that_a_wording_reads_back_as_the_figure() -> None:
    assert number(1234.125, places=None) == "1,234.125"
    assert number(0.125) == "0.12"
    assert number(3800.0, places=None) == "3,800"
    assert number(1 / 3, places=1) == "0.3"


def test_the_raw_form_of_a_number_is_compact() -> None:
    assert [compact(v) for v in (300.0, 0.45, 1234567.5, None)] == [300, 0.45, 1234567.5, None]
    assert isinstance(compact(300.0), int)
    assert f"{compact(1234567.5)}" == "1234567.5"  # not 1.23457e+06, as "%g" would write it


def test_an_open_bound_in_words() -> None:
    assert number(None, open_text="no ceiling") == "no ceiling"
    assert number(0, open_text="no ceiling") == "0"


@pytest.mark.parametrize("module", [render, export, report, plot, importer], ids=lambda m: m.__name__)
def test_every_output_uses_the_one_formatter(module: ModuleType) -> None:
    assert vars(module)["number"] is terms.number
