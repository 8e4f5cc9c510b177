"""Writing plain data as YAML: whatever it holds reads back the same, through both readers."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.io import yamlwrite
from reconcile.io.fastload import parse_plain
from reconcile.io.yamlsafe import parse

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
LEAVES = st.one_of(
    TEXT,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
)
KEYS = st.from_regex(r"[a-z][a-z0-9_-]{0,10}", fullmatch=True)
DATA = st.recursive(
    LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=20,
)


def as_read(value: Any) -> Any:
    """The data as the readers give it back: dates as the text they are written in (the schema reads them)."""
    if isinstance(value, dict):
        return {k: as_read(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_read(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, DATA, min_size=1, max_size=5))
def test_what_is_written_reads_back_the_same(data: dict[str, Any]) -> None:
    text = yamlwrite.dumps(data)
    strict, _ = parse(text, Path("written.yaml"))
    assert strict == as_read(data)
    fast = parse_plain(text)
    assert fast is None or fast == as_read(data)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Volodymyr Zelensky, President of Ukraine", "Volodymyr Zelensky, President of Ukraine"),
        ("yes", '"yes"'),
        ("300", '"300"'),
        ("a: b", '"a: b"'),
        ("\x1b[2J\u2028\x85", '"\\u001b[2J\\u2028\\u0085"'),
        (0.00005, "0.00005"),
        (3.0, "3.0"),
        (date(2025, 1, 5), "2025-01-05"),
    ],
)
def test_scalars(value: Any, written: str) -> None:
    assert yamlwrite.scalar(value) == written
