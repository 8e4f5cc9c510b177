"""The one JSON writer: what it makes of each kind of value, and that writing a result needs no pydantic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path

import msgspec
import pytest

from reconcile.model.dataset import Cumulative, Period
from reconcile.model.terms import Precision
from reconcile.output.json import dumps, plain


class _Colour(Enum):
    red = 1


class _Kind(StrEnum):
    tally = "tally"


@dataclass(frozen=True, slots=True)
class _Inner:
    when: date
    share: float


@dataclass(frozen=True)
class _Outer:
    name: str
    total: float
    inner: _Inner
    tags: tuple[str, ...] = ()
    extra: dict[str, float | None] = field(default_factory=dict)


class _Point(msgspec.Struct):
    y: float
    x: int


def test_a_dataclass_is_its_fields_in_order_with_dates_and_whole_numbers_written_plainly() -> None:
    value = _Outer(
        "Zelensky’s", 300.0, _Inner(date(2025, 1, 13), 0.45), ("a", "b"), {"low": 2.0, "high": None}
    )
    assert plain(value) == {
        "name": "Zelensky’s",
        "total": 300,
        "inner": {"when": "2025-01-13", "share": 0.45},
        "tags": ["a", "b"],
        "extra": {"low": 2, "high": None},
    }
    assert list(plain(value)) == ["name", "total", "inner", "tags", "extra"]
    assert isinstance(plain(value)["total"], int)


def test_text_is_written_as_itself_with_two_space_indents_and_a_final_newline() -> None:
    assert dumps({"who": "Сирський", "n": [1.0, 2.5], "none": []}) == (
        '{\n  "who": "Сирський",\n  "n": [\n    1,\n    2.5\n  ],\n  "none": []\n}\n'
    )
    assert dumps({"who": "é", "n": [1.0]}, indent=None) == '{"who":"é","n":[1]}'


def test_enums_are_their_values_and_bools_stay_bools() -> None:
    assert plain([_Colour.red, _Kind.tally, Precision.month, True, 0]) == [1, "tally", "month", True, 0]
    assert plain({_Kind.tally: 1.5}) == {"tally": 1.5}
    assert plain(datetime(2025, 1, 13, 8, 30)) == "2025-01-13T08:30:00"


def test_a_struct_is_walked_by_its_fields_and_a_tagged_one_starts_with_its_tag() -> None:
    assert plain(_Point(y=2.0, x=3)) == {"y": 2, "x": 3}
    assert plain(Cumulative()) == msgspec.to_builtins(Cumulative()) == {"kind": "cumulative", "since": ""}
    period = Period(start=date(2024, 12, 1), end=date(2024, 12, 31))
    assert plain(period) == msgspec.to_builtins(period)
    assert list(plain(period)) == ["kind", "start", "end", "description"]


def test_not_a_number_is_refused_rather_than_written_as_invalid_json() -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        dumps({"ratio": float("nan")})
    with pytest.raises(ValueError, match="JSON compliant"):
        dumps([float("inf")])


def test_a_value_it_does_not_know_is_an_error_not_a_string() -> None:
    with pytest.raises(TypeError, match="cannot write set as JSON"):
        plain({1, 2})
    with pytest.raises(TypeError, match="cannot write a int key"):
        plain({1: "a"})
    with pytest.raises(TypeError, match="cannot write type as JSON"):
        plain(_Outer)


def test_writing_results_as_json_imports_neither_pydantic_nor_yaml(tmp_path: Path) -> None:
    # Once the dataset comes from the cache, neither its validator nor its strict reader is imported.
    env = {**os.environ, "RECONCILE_CACHE_DIR": str(tmp_path)}
    env.pop("RECONCILE_NO_CACHE", None)
    probe = (
        "import sys, reconcile\n"
        "from reconcile.analysis.chart import chart\n"
        "from reconcile.io.validation import summarise\n"
        "from reconcile.io.where import resolve_path\n"
        "from reconcile.output import report\n"
        "from reconcile.output.json import dumps\n"
        "data, f = reconcile.load(), reconcile.Filters()\n"
        "results = [reconcile.diff(data, 'kr-nis', 'ua-president', f), reconcile.show(data, 'killed', f),\n"
        "    chart(data, 'casualties', f), report.build(data, ['casualties'], f),\n"
        "    summarise(resolve_path(None), data), reconcile.export(data, reconcile.View.summary, f).records]\n"
        "text = ''.join(dumps(r) for r in results)\n"
        "print(len(text) > 1000, sorted(m for m in ('pydantic', 'pydantic_core', 'yaml') if m in sys.modules))"
    )
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.split(" ", 1)[0] == "True"
    again = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert again.stdout.strip() == "True []"


def test_the_json_of_the_summary_export_is_the_same_data_as_its_records() -> None:
    from reconcile.analysis.compare import Filters
    from reconcile.io.load import load
    from reconcile.output.export import export, render_json
    from reconcile.output.formats import View

    table = export(load(Path("data/estimates.yaml")), View.summary, Filters(), metric="killed")
    assert json.loads(render_json(table)) == table.records
    assert list(table.records[0])[:4] == ["metric", "label", "subject", "subject_name"]


def test_controls_and_bidi_controls_are_escaped_and_read_back_the_same() -> None:
    text = "a\x1b[2J\x85\x9b\x7f\u202e\u2066\u2028\U000e0041 \u00a0\u0416\ud55c b"
    written = dumps({"name": text})
    assert written == (
        '{\n  "name": "a\\u001b[2J\\u0085\\u009b\\u007f\\u202e\\u2066\\u2028\\udb40\\udc41 \u00a0\u0416\ud55c b"\n}\n'
    )
    assert json.loads(written) == {"name": text}
