"""Numbers for people: one formatter, the same on the terminal, in exports, in the report and on charts."""

from __future__ import annotations

from types import ModuleType

import pytest

from reconcile.output import export, plot, report
from reconcile.output import numbers as readable
from reconcile.output import terminal as render
from reconcile.output.numbers import number


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


def test_an_open_bound_in_words() -> None:
    assert number(None, open_text="no ceiling") == "no ceiling"
    assert number(0, open_text="no ceiling") == "0"


@pytest.mark.parametrize("module", [render, export, report, plot], ids=lambda m: m.__name__)
def test_every_output_uses_the_one_formatter(module: ModuleType) -> None:
    assert vars(module)["number"] is readable.number
