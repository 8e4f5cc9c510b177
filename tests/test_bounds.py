"""Hostile input costs bounded time and memory and gets a clear, clipped message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reconcile.errors import DatasetError, clip
from reconcile.io.load import load
from tests.conftest import CLAIMS

WriteDataset = Callable[..., Path]


def problems(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as info:
        load(path)
    return [str(p) for p in info.value.problems]


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("stated", "reason"),
    [
        ('"1' + " thousand" * 3000 + '"', "is 27,001 characters long; a wording may have at most 500"),
        ('"' + "9" * 400 + '"', "states a figure larger than 1,000,000,000,000,000, the largest one read"),
        ('"more than 1' + " million" * 60 + '"', "states a figure larger than 1,000,000,000,000,000"),
    ],
)
def test_unreadable_figures_are_validation_errors(
    write_dataset: WriteDataset, stated: str, reason: str
) -> None:
    path = write_dataset(
        claims=CLAIMS.replace("value: {stated: more than 300}", f"value: {{stated: {stated}}}")
    )
    [found] = [p for p in problems(path) if ".value.stated:" in p]
    line = line_of(path, "value: {stated: ")
    where = f"{path}:{line}:{len('    value: {stated: ') + 1}: claims[0].value.stated: cannot read "
    assert found.startswith(where), found
    assert reason in found
    assert len(found) < len(where) + 300  # the wording itself is clipped


def test_a_top_level_that_is_not_a_mapping_is_refused_at_its_first_node(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    # A list of 200,000 items, then a syntax error: refused for its first node, the error never read.
    path.write_text("- {a: 1}\n" * 200_000 + "- [unclosed\n", encoding="utf-8")
    [found] = problems(path)
    assert found == (
        f"{path}:1:1: (top level): must be a mapping of version, metrics, subjects, sources and claims, "
        "not a list"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("just text\n", "not 'just text'"),
        ("12\n", "not 12"),
        ('"' + "x" * 5000 + '"\n', "not '" + "x" * 56 + "..."),
    ],
)
def test_a_scalar_top_level_is_shown_clipped(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "scalar.yaml"
    path.write_text(text, encoding="utf-8")
    [found] = problems(path)
    assert found.startswith(f"{path}:1:1: (top level): must be a mapping of ")
    assert found.endswith(expected)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "version: 1\n" + "k" * 1001 + ": 1\n",
            "2:1: (top level)",
            "a key of 1,001 characters; the limit is 1,000",
        ),
        (
            'version: 1\n"' + "k" * 1010 + '": 1\n',
            "2:1: (top level)",
            "a key of 1,010 characters; the limit is 1,000",
        ),
        (
            "version: 1\n? " + "k" * 2000 + "\n: 1\n",
            "2:3: (top level)",
            "a key of 2,000 characters; the limit is 1,000",
        ),
        (
            "version: 1\nmetrics:\n  " + "m" * 1020 + ": {label: x}\n",
            "3:3: metrics",
            "a key of 1,020 characters; the limit is 1,000",
        ),
        (
            "version: 1\nnotes: " + "n" * 1_000_001 + "\n",
            "2:8: notes",
            "a value of 1,000,001 characters; the limit is 1,000,000",
        ),
        (
            'version: 1\nnotes: ["' + "n" * 1_000_001 + '"]\n',
            "2:9: notes[0]",
            "a value of 1,000,001 characters; the limit is 1,000,000",
        ),
    ],
)
def test_long_keys_and_values_are_refused_as_they_are_read(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    [found] = problems(path)
    assert found == f"{path}:{where}: {message}"


def test_the_longest_key_and_value_are_read(tmp_path: Path) -> None:
    from reconcile.io.fastload import parse_plain
    from reconcile.io.yamlsafe import parse

    text = "k" * 1000 + ": " + "v" * 1_000_000 + "\n"
    assert parse_plain(text) == {"k" * 1000: "v" * 1_000_000}
    assert parse(text, tmp_path / "x.yaml")[0] == {"k" * 1000: "v" * 1_000_000}
    # One more character of either leaves the text to the strict reader, which refuses it.
    assert parse_plain("k" * 1001 + ": v\n") is None
    assert parse_plain("k: " + "v" * 1_000_001 + "\n") is None
    assert parse_plain('k: "' + "v" * 1_000_001 + '"\n') is None
    assert parse_plain("k: {a: " + "v" * 1_000_001 + "}\n") is None


@pytest.mark.parametrize("value", [str(2**63), str(2**40 + 1), "9" * 5000])
def test_a_size_limit_beyond_the_largest_is_a_setting_error(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconcile.errors import SettingError
    from reconcile.io.read import max_bytes

    monkeypatch.setenv("RECONCILE_MAX_BYTES", value)
    with pytest.raises(SettingError) as info:
        max_bytes()
    assert str(info.value) == (
        f"RECONCILE_MAX_BYTES must be a positive whole number of bytes, not {clip(repr(value))}; "
        "the largest accepted is 1,099,511,627,776"
    )


def test_the_largest_size_limit_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile.io.read import max_bytes

    monkeypatch.setenv("RECONCILE_MAX_BYTES", str(2**40))
    assert max_bytes() == 2**40


def test_unknown_names_are_clipped_in_messages(write_dataset: WriteDataset) -> None:
    from reconcile.errors import UnknownNameError

    long_name = "x" * 100_000
    message = str(UnknownNameError("metric", long_name, ["m" * 500, "killed"]))
    assert message == f"unknown metric {clip(repr(long_name))}; known: {clip('m' * 500)}, killed"
    path = write_dataset(claims=CLAIMS.replace("metric: killed\n", f"metric: {'q' * 5000}\n", 1))
    [found] = [p for p in problems(path) if ".metric:" in p]
    assert found.endswith(
        f"claims[0].metric: unknown metric {clip(repr('q' * 5000))}; known: deployed, killed, wounded"
    )
