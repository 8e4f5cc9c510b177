"""The fast reader returns exactly what the strict reader returns, or None and leaves the text to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.errors import DatasetError
from reconcile.io.fastload import claim_lines, parse_plain
from reconcile.io.yamlsafe import parse

from .conftest import CLAIMS, HEADER, generator


def typed(value: Any) -> Any:
    """`value` with the type of every scalar spelled out, so that 1, 1.0 and True differ."""
    if isinstance(value, dict):
        return {("key", type(k).__name__, k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def strict(text: str) -> Any:
    return parse(text, Path("t.yaml"))[0]


def assert_same_as_strict(text: str) -> Any:
    """The fast result, after checking that the strict reader reads the same text to the same data,
    with each claim starting on the same line."""
    fast = parse_plain(text)
    if fast is not None:
        try:
            expected, positions = parse(text, Path("t.yaml"))
        except DatasetError as exc:
            pytest.fail(f"the fast reader accepted text the strict one refuses ({exc}):\n{text}")
        assert typed(fast) == typed(expected), text
        claims = expected.get("claims")
        starts = (
            [positions.values[("claims", i)][0] for i in range(len(claims))]
            if isinstance(claims, list)
            else []
        )
        assert claim_lines(text) == starts, text
    else:
        assert claim_lines(text) is None
    return fast


def test_the_test_dataset_takes_the_fast_path() -> None:
    assert assert_same_as_strict(HEADER + CLAIMS) is not None


def test_a_generated_dataset_takes_the_fast_path() -> None:
    text, _documents = generator().generate(300, seed=5, folder="docs")
    fast = assert_same_as_strict(text)
    assert fast is not None and len(fast["claims"]) == 300


def test_a_mapping_written_again_is_a_mapping_of_its_own() -> None:
    text = "a:\n" + "  - {kind: cumulative}\n" * 3 + "  - {kind: cumulative, since: 2024}\n"
    data = parse_plain(text)
    assert data is not None
    *alike, other = data["a"]
    assert alike == [{"kind": "cumulative"}] * 3 and len({id(m) for m in alike}) == 3
    alike[1]["kind"] = "changed"
    assert alike[2] == {"kind": "cumulative"} and other == {"kind": "cumulative", "since": 2024}
    assert parse_plain(text) == strict(text)


def test_the_shipped_dataset_reads_the_same(shipped: Path) -> None:
    # It uses folded scalars (>-), so today it goes to the strict reader; either way, the same data.
    assert_same_as_strict(shipped.read_text(encoding="utf-8"))


def test_crlf_line_ends_read_as_lf() -> None:
    text = "a: 1\r\nb:\r\n  - x\r\n"
    assert parse_plain(text) == {"a": 1, "b": ["x"]} == strict(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchor and alias
        "a: !!str 1\n",  # tag
        "a: !custom x\n",
        "a: 1\na: 2\n",  # duplicate key
        "a: {b: 1, b: 2}\n",
        "a: |\n  text\n",  # block scalars
        "a: >-\n  text\n",
        "a: one\n  two\n",  # a plain scalar on two lines
        'a: "one\n  two"\n',
        "a: [1,\n  2]\n",  # a flow collection on two lines
        "a:\n\t- 1\n",  # a tab
        "a: 1 \x07\n",  # a control character
        "a: x\u2028y\n",  # a YAML 1.1 line break
        "---\na: 1\n",  # document markers and directives
        "a: 1\n...\n",
        "%YAML 1.1\n---\na: 1\n",
        "1: x\n",  # keys that are not text
        "true: x\n",
        "null: x\n",
        "a: " + "9" * 400 + "\n",  # a number out of range
        "- 1\n- 2\n",  # top level not a mapping
        "",
        "# only a comment\n",
        "a: b: c\n",  # a mapping where a value is
        "? a\n: b\n",  # an explicit key
        'a: "\\x41"\n',  # escapes JSON does not share
        'a: "\\/"\n',
        "a: [1, 2,]\n",  # a trailing comma
        "a: {b}\n",
        "a:\n  b: 1\n c: 2\n",  # bad indentation
    ],
)
def test_what_the_fast_reader_leaves_to_the_strict_one(text: str) -> None:
    assert parse_plain(text) is None


def test_deep_nesting_goes_to_the_strict_reader() -> None:
    deep = "".join(f"{'  ' * i}k{i}:\n" for i in range(40)) + f"{'  ' * 40}leaf: 1\n"
    assert parse_plain(deep) is None
    assert parse_plain("a: " + "[" * 40 + "]" * 40 + "\n") is None


@pytest.mark.parametrize(
    "text",
    [
        "a: NO\nb: on\nc: y\nd: 017\ne: 1:20\nf: 1_000\ng: 2025-01-06\nh: 0x1F\ni: .inf\n",
        "a: ~\nb: null\nc:\nd: true\ne: False\nf: -3\ng: +4\nh: 1.5e3\ni: .5\n",
        "a: 'it''s'\nb: \"say \\\"hi\\\" \\u00e9\\t\"\nc: ''\nd: \"\"\n",
        "a: x # comment\nb: 'y'   # comment\nc: [1, two, 'three'] # c\n",
        "a: http://example.com/a#b\nb: C#\nc: a:b\nd: [x y, z]\ne: {k: v w, l: [1, {m: n}]}\n",
        "list:\n- a\n- b: 1\n  c: 2\n-   d: 3\n    e: [4]\nafter: 1\n",
        "a:\n  - - 1\n",
        "a:\n  -\n    b: 1\n",
        "a: {}\nb: []\nc: -\nd: -x\ne: '-'\n",
        "a few: [2, 3, 5]\nb.c-d_e: 1\n",
    ],
)
def test_tricky_but_plain_text_reads_as_the_strict_reader_reads_it(text: str) -> None:
    assert_same_as_strict(text)


# Pieces of YAML, valid and invalid, for generated documents.
KEYS = st.sampled_from(["a", "b", "id", "a few", "x.y", "true", "1", "k-2", "'q'", '"dq"', "a b"])
SCALARS = st.sampled_from(
    [
        "x",
        "hello world",
        "017",
        "1_000",
        "1:20",
        "yes",
        "NO",
        "~",
        "null",
        "",
        "0",
        "-1",
        "+1",
        "1.5",
        "1e3",
        ".inf",
        "2025-02-30",
        "'single ''quoted'''",
        '"double \\"q\\""',
        '"\\u00e9\\n"',
        '"\\x41"',
        "a: b",
        "a #c",
        "#c",
        "&anchor x",
        "*alias",
        "!!str 1",
        "!tag x",
        "|",
        ">-",
        "[1, 2]",
        "{a: 1}",
        "[a, [b, {c: d}]]",
        "{a: [1, 2], b: 'x'}",
        "[1,",
        "{a: 1,}",
        "- x",
        "C#",
        "http://x.org/p#q",
        "\t",
        "a\tb",
        "x ",
        "9" * 400,
    ]
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 0, 2, 2, 4, 1, 3]))
        dash = draw(st.sampled_from(["", "", "", "- ", "-  ", "-"]))
        kind = draw(st.sampled_from(["pair", "pair", "key", "item", "comment", "blank"]))
        if kind == "pair":
            lines.append(f"{indent}{dash}{draw(KEYS)}: {draw(SCALARS)}")
        elif kind == "key":
            lines.append(f"{indent}{dash}{draw(KEYS)}:")
        elif kind == "item":
            lines.append(f"{indent}- {draw(SCALARS)}")
        elif kind == "comment":
            lines.append(f"{indent}# note")
        else:
            lines.append(indent)
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        # A random edit anywhere: a character added or removed.
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.sampled_from(list(" :-#'\"[]{},&*!\t\nx1"))) + text[at:]
        else:
            text = text[:at] + text[at + 1 :]
    return text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_read_as_the_strict_reader_reads_them(text: str) -> None:
    assert_same_as_strict(text)


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=12),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(min_size=1, max_size=6), children, max_size=3)
        ),
        max_leaves=12,
    )
)
def test_json_compatible_flow_text_reads_as_the_strict_reader_reads_it(value: Any) -> None:
    # JSON is (nearly) flow YAML: a good source of quoted keys, escapes and nesting.
    assert_same_as_strict(f"root: {json.dumps(value, ensure_ascii=False)}\n")
