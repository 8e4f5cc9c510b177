"""Loading and validating datasets: every error with its file, line, column and field."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.errors import DatasetError
from reconcile.io import schema
from reconcile.io.crosscheck import _found_in, _normalise_text, cross_check, number_in_quote
from reconcile.io.load import load
from reconcile.io.yamlsafe import Positions
from tests.conftest import CLAIMS, HEADER, generator

WriteDataset = Callable[..., Path]


def problems(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as info:
        load(path)
    return [str(p).removeprefix(f"{path}:") for p in info.value.problems]


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    seen = 0
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


def col_of(path: Path, line: int, needle: str) -> int:
    return path.read_text().splitlines()[line - 1].index(needle) + 1


def test_small_dataset_loads_with_intervals(small_dataset: Path) -> None:
    dataset = load(small_dataset)
    intervals = {c.id: (c.interval.low, c.interval.best, c.interval.high) for c in dataset.claims}
    assert intervals == {
        "ministry-killed": (300, 300, None),
        "ministry-wounded": (1080, 1200, 1320),
        "official-deployed": (11500, 12000, 12500),  # a bare 12,000 is stated to the thousand
        "official-killed-week": (450, 500, 500),
        "analysts-deployed": (10000, 11000, 12000),
    }


def test_shipped_dataset_is_valid(shipped: Path) -> None:
    dataset = load(shipped)
    assert len(dataset.claims) == 38
    assert {c.source for c in dataset.claims} <= set(dataset.sources)


def test_low_above_high_names_line_column_and_bounds(write_dataset: WriteDataset) -> None:
    path = write_dataset(
        claims=CLAIMS.replace(
            'value: {stated: "between 10,000 and 12,000"}',
            'value: {stated: "between 10,000 and 12,000", low: 90000}',
        )
    )
    line = line_of(path, "low: 90000")
    col = path.read_text().splitlines()[line - 1].index("90000") + 1
    assert problems(path) == [f"{line}:{col}: claims[4].value.low: must not exceed high (90000 > 12000)"]


def test_every_error_is_reported_not_only_the_first(write_dataset: WriteDataset) -> None:
    claims = (
        CLAIMS.replace("source: ministry\n", "source: ministri\n", 1)
        .replace("quote: more than 300 soldiers were killed", "quote: more than 400 soldiers were killed")
        .replace("id: official-deployed", "id: ministry-killed")
    )
    path = write_dataset(claims=claims)
    found = problems(path)
    assert len(found) == 3
    assert found[0].startswith(
        f"{line_of(path, 'source: ministri')}:13: claims[0].source: unknown source 'ministri'; known: analysts, ministry, official"
    )
    line = line_of(path, "more than 400")
    assert found[1] == (
        f"{line}:{col_of(path, line, 'more than 400')}: claims[0].citations[0].quote: "
        "not found verbatim in doc.txt; copy the words exactly, with '...' where text is left out"
    )
    first = line_of(path, "id: ministry-killed")
    assert found[2] == (
        f"{line_of(path, 'id: ministry-killed', 2)}:9: claims[2].id: duplicate id 'ministry-killed' (first at line {first}); "
        "each claim needs an id of its own"
    )


def test_quote_must_contain_the_number_as_written(write_dataset: WriteDataset) -> None:
    path = write_dataset(claims=CLAIMS.replace('value: {stated: "12,000"}', 'value: {stated: "12000"}'))
    line = line_of(path, "12,000 troops have arrived")
    col = col_of(path, line, '"12,000 troops')
    assert problems(path) == [
        f"{line}:{col}: claims[2].citations[0].quote: does not contain 12000 as written in value.stated"
    ]


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "date: 2025-01-06",
            "date: 2025-02-30",
            "claims[0].date",
            "'2025-02-30' is not a real calendar date",
        ),
        (
            "date: 2025-01-06",
            "date: 20250106",
            "claims[0].date",
            "must be a date written YYYY-MM-DD, not 20250106",
        ),
        (
            "scope: {kind: cumulative}",
            "scope: {kind: forever}",
            "claims[0].scope",
            "kind must be 'cumulative', 'period' or 'incident', not 'forever'",
        ),
    ],
)
def test_schema_errors(write_dataset: WriteDataset, old: str, new: str, field: str, message: str) -> None:
    path = write_dataset(claims=CLAIMS.replace(old, new, 1))
    [found] = problems(path)
    assert found.startswith(f"{line_of(path, new)}:")
    assert f": {field}: " in found and message in found


def test_unknown_field_and_missing_field_are_both_reported(write_dataset: WriteDataset) -> None:
    path = write_dataset(claims=CLAIMS.replace("subject: troops", "subjekt: troops", 1))
    line = line_of(path, "subjekt")
    assert problems(path) == [
        f"{line_of(path, '- id: ministry-killed')}:5: claims[0].subject: is required",
        (
            f"{line}:5: claims[0].subjekt: unknown field 'subjekt' (did you mean 'subject'?); the fields here are: "
            "id, metric, subject, place, value, scope, date, precision, projection, source, relay, citations, notes"
        ),
    ]


def test_yaml_booleans_are_not_numbers(write_dataset: WriteDataset) -> None:
    path = write_dataset(
        claims=CLAIMS.replace('value: {stated: "12,000"}', 'value: {stated: "12,000", best: true}')
    )
    [found] = problems(path)
    assert "claims[2].value.best: must be a number, not true" in found


def test_party_must_be_a_real_boolean(write_dataset: WriteDataset) -> None:
    path = write_dataset(HEADER.replace("party: true", "party: yes", 1) + CLAIMS)
    [found] = problems(path)
    line = line_of(path, "party: yes")
    assert (
        found
        == f"{line}:{col_of(path, line, 'yes')}: sources.ministry.party: must be true or false, not 'yes'"
    )


def test_period_must_not_end_before_it_starts(write_dataset: WriteDataset) -> None:
    path = write_dataset(
        claims=CLAIMS.replace("start: 2025-01-01, end: 2025-01-07", "start: 2025-01-07, end: 2025-01-01")
    )
    [found] = problems(path)
    assert "claims[3].scope: the period ends (2025-01-01) before it starts (2025-01-07)" in found


def test_claims_in_the_future_are_errors(small_dataset: Path) -> None:
    with pytest.raises(DatasetError) as info:
        load(small_dataset, today=date(2025, 1, 7))
    messages = [p.message for p in info.value.problems]
    assert "2025-01-08 is in the future (today is 2025-01-07)" in messages
    assert "2025-01-10 is in the future (today is 2025-01-07)" in messages


def test_unreadable_wording_needs_explicit_bounds(write_dataset: WriteDataset) -> None:
    path = write_dataset(
        claims=CLAIMS.replace("value: {stated: more than 300}", "value: {stated: a battalion}")
    )
    [found] = problems(path)
    assert "claims[0].value.stated: cannot read 'a battalion'" in found
    ok = write_dataset(
        claims=CLAIMS.replace(
            "value: {stated: more than 300}", "value: {stated: a battalion, best: 300, high: 1000}"
        ).replace("quote: more than 300 soldiers were killed", "quote: soldiers were killed")
    )
    claim = load(ok).claims[0]
    assert (claim.interval.low, claim.interval.best, claim.interval.high, claim.interval.rule) == (
        None,
        300,
        1000,
        "explicit",
    )


def test_fraction_needs_relative_to(write_dataset: WriteDataset) -> None:
    path = write_dataset(
        claims=CLAIMS.replace("value: {stated: more than 300}", "value: {stated: nearly a third}").replace(
            "quote: more than 300 soldiers were killed", "quote: soldiers were killed"
        )
    )
    [found] = problems(path)
    assert "is a fraction; set value.relative_to" in found
    ok = write_dataset(
        claims=CLAIMS.replace(
            "value: {stated: more than 300}",
            "value: {stated: nearly a third, relative_to: official-deployed}",
        ).replace("quote: more than 300 soldiers were killed", "quote: soldiers were killed")
    )
    interval = load(ok).claims[0].interval
    # nearly a third of 12,000 stated to the thousand (11,500 to 12,500): low 0.9 x 11,500 / 3, best
    # 12,000 / 3, high 12,500 / 3.
    assert (interval.low, interval.best, interval.high, interval.rule) == (
        3450,
        4000,
        4166.666667,
        "fraction",
    )


def quote_found(quote: str, document_text: str) -> bool:
    return _found_in(quote, _normalise_text(document_text))


def test_quote_matching_normalises_whitespace_and_typographic_quotes() -> None:
    text = "He said \u201cnearly 500\u201d were\n  killed \u2014 and \u2018more\u2019 later."
    assert quote_found('"nearly 500" were killed', text)
    assert quote_found("said ... were killed", text)
    assert quote_found("'more' later", text)
    assert not quote_found("nearly 600", text)
    assert not quote_found("were killed ... He said", text)


@given(st.data())
def test_a_quote_that_stands_in_the_normalised_text_is_found(data: st.DataObject) -> None:
    # Any stretch of a document's normalised text, however it was cut, is found as a quote.
    text = data.draw(st.text(alphabet=" \n\t\u00a0.\u2026'\"\u201c\u201d\u2019ab1", max_size=40))
    haystack = _normalise_text(text)
    start = data.draw(st.integers(0, len(haystack)))
    end = data.draw(st.integers(start, len(haystack)))
    assert quote_found(haystack[start:end], text)


def plain_data(value: object) -> Any:
    return msgspec.json.decode(msgspec.json.encode(value))


def test_claims_stated_alike_read_as_each_would_alone(tmp_path: Path) -> None:
    generator().write(tmp_path / "claims.yaml", 300, seed=4)
    dataset = load(tmp_path / "claims.yaml")
    by_id = {claim.id: claim for claim in dataset.claims}
    stated = [claim.value.stated for claim in dataset.claims]
    assert len(stated) - len(set(stated)) > 40  # claims that share a wording, and so an interval
    base = plain_data(msgspec.structs.replace(dataset, claims=()))
    for claim in dataset.claims:
        alone = [
            {k: v for k, v in plain_data(c).items() if k != "interval"}
            for c in ([by_id[claim.value.relative_to]] if claim.value.relative_to else []) + [claim]
        ]
        checked = cross_check(
            schema.Dataset.model_validate({**base, "claims": alone}),
            tmp_path / "claims.yaml",
            Positions(),
            today=date.today(),
        )
        assert checked.problems == []
        assert checked.intervals[len(alone) - 1] == claim.interval


def test_a_wording_read_as_a_fraction_depends_on_the_unit(write_dataset: WriteDataset) -> None:
    header = HEADER.replace(
        "  wounded: {label: Wounded, unit: soldiers, accumulates: true}",
        "  wounded: {label: Wounded, unit: soldiers, accumulates: true}\n  lost: {label: Share lost, unit: share}",
    )
    claims = "claims:\n" + "".join(
        textwrap.dedent(f"""\
          - id: {metric}-third
            metric: {metric}
            subject: troops
            value: {{stated: nearly a third}}
            scope: {{kind: cumulative}}
            date: 2025-01-06
            source: ministry
            citations:
              - {{document: doc, quote: nearly a third were lost}}
        """)
        for metric in ("lost", "killed")
    )
    path = write_dataset(header + claims, document="He said nearly a third were lost.")
    [found] = problems(path)
    assert found.endswith(
        "claims[1].value.stated: 'nearly a third' is a fraction; set value.relative_to "
        "to the claim it is a fraction of"
    )


def test_a_wording_with_other_bounds_reads_as_its_bounds(write_dataset: WriteDataset) -> None:
    claims = (
        CLAIMS.replace("value: {stated: more than 300}", "value: {stated: a battalion, best: 300}")
        .replace("quote: more than 300 soldiers were killed", "quote: soldiers were killed")
        .replace('value: {stated: "about 1,200"}', "value: {stated: a battalion, best: 500, high: 800}")
        .replace('quote: "about 1,200 wounded"', "quote: wounded")
    )
    first, second = load(write_dataset(claims=claims)).claims[:2]
    assert (first.interval.low, first.interval.best, first.interval.high) == (None, 300, None)
    assert (second.interval.low, second.interval.best, second.interval.high) == (None, 500, 800)


def test_a_bound_of_minus_zero_keeps_its_sign(write_dataset: WriteDataset) -> None:
    claims = (
        CLAIMS.replace("value: {stated: more than 300}", "value: {stated: none, best: 0.0}")
        .replace("quote: more than 300 soldiers were killed", "quote: soldiers were killed")
        .replace('value: {stated: "about 1,200"}', "value: {stated: none, best: -0.0}")
        .replace('quote: "about 1,200 wounded"', "quote: wounded")
    )
    dataset = load(write_dataset(claims=claims))
    zero, minus_zero = dataset.claims[0].interval.best, dataset.claims[1].interval.best
    assert (math.copysign(1, zero), math.copysign(1, minus_zero)) == (1, -1)


def test_number_in_quote_respects_boundaries() -> None:
    assert number_in_quote("300", "more than 300 soldiers")
    assert number_in_quote("300", "were 300.")
    assert not number_in_quote("300", "more than 3,000 soldiers")
    assert not number_in_quote("3,000", "13,000 soldiers")
    assert not number_in_quote("300", "300.5 km")
