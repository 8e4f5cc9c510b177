"""The wording-to-interval rules, with exact expectations."""

from __future__ import annotations

import pytest

from reconcile.model.wording import Reading, WordingError, digit_numbers, read


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        ("3,800", (3750, 3800, 3850, "rounded")),
        ("465,000", (464500, 465000, 465500, "rounded")),
        ("500,000", (450000, 500000, 550000, "rounded")),
        ("three thousand", (2500, 3000, 3500, "rounded")),
        ("18", (18, 18, 18, "exact")),
        ("2.5", (2.5, 2.5, 2.5, "exact")),
        ("0", (0, 0, 0, "exact")),
        ("three", (3, 3, 3, "exact")),
        ("a dozen", (12, 12, 12, "exact")),
        ("more than 300", (300, 300, None, "floor")),
        ("Over 300", (300, 300, None, "floor")),
        ("at least 30", (30, 30, None, "floor")),
        ("upwards of 1,000", (1000, 1000, None, "floor")),
        ("up to 10,000", (None, 10000, 10000, "ceiling")),
        ("could reach 12,000", (None, 12000, 12000, "ceiling")),
        ("fewer than 50", (None, 50, 50, "ceiling")),
        ("nearly 1,000", (900, 1000, 1000, "nearly")),
        ("almost 500", (450, 500, 500, "nearly")),
        ("approximately 1,000", (900, 1000, 1100, "approximately")),
        ("roughly 3,800", (3420, 3800, 4180, "approximately")),
        ("about 100", (90, 100, 110, "approximately")),
        ("between 11,000 and 12,000", (11000, 11500, 12000, "range")),
        ("10,000-12,000", (10000, 11000, 12000, "range")),
        ("10,000 \u2013 12,000", (10000, 11000, 12000, "range")),
        ("2 to 5", (2, 3.5, 5, "range")),
        ("several", (3, 5, 9, "vague")),
        ("several hundred", (300, 500, 900, "vague")),
        ("a few thousand", (2000, 3000, 5000, "vague")),
        ("dozens", (24, 50, 99, "vague")),
        ("hundreds", (200, 500, 999, "vague")),
        ("thousands", (2000, 5000, 9999, "vague")),
        ("tens of thousands", (20000, 50000, 99999, "vague")),
        ("more than several hundred", (300, 300, None, "floor")),
        ("10-12 thousand", (10000, 11000, 12000, "range")),
        ("ten to twelve thousand", (10000, 11000, 12000, "range")),
        ("between 2 and 3 hundred", (200, 250, 300, "range")),
        ("500 to 2 thousand", (500, 1250, 2000, "range")),
        ("twenty-five", (25, 25, 25, "exact")),
        ("about forty two", (37.8, 42, 46.2, "approximately")),
        ("1.5 million", (1450000, 1500000, 1550000, "rounded")),
    ],
)
def test_rules(stated: str, expected: tuple[float | None, float, float | None, str]) -> None:
    reading = read(stated)
    assert (reading.low, reading.best, reading.high, reading.rule) == expected
    assert not reading.relative


def test_fractions_are_relative() -> None:
    assert read("roughly half") == Reading(0.45, 0.5, 0.55, "approximately", relative=True)
    third = read("nearly a third")
    assert third.relative and third.rule == "nearly"
    assert third.best == pytest.approx(1 / 3) and third.high == pytest.approx(1 / 3)
    assert third.low == pytest.approx(0.3)


def test_vague_table_and_tolerance_are_configurable() -> None:
    assert read("several hundred", vague={"several": (2, 4, 7)}) == Reading(200, 400, 700, "vague")
    assert read("about 100", approximate=0.2) == Reading(80, 100, 120, "approximately")
    assert read("nearly 100", approximate=0.05) == Reading(95, 100, 100, "nearly")


@pytest.mark.parametrize(
    "stated", ["a battalion", "up to a battalion", "many", "significant number", "", "12.000"]
)
def test_unreadable_wordings_raise(stated: str) -> None:
    with pytest.raises(WordingError):
        read(stated)


def test_digit_numbers_as_written() -> None:
    assert digit_numbers("between 11,000 and 12,000") == ["11,000", "12,000"]
    assert digit_numbers("more than 300") == ["300"]
    assert digit_numbers("several hundred") == []


def test_repeated_multipliers_are_read_without_recursion() -> None:
    # Within the length limit: 2 x 1,000^5 is 2e15, over the largest figure read.
    assert read("2 thousand thousand") == Reading(1_500_000, 2_000_000, 2_500_000, "rounded")
    assert read("1.1 thousand million") == Reading(1_050_000_000, 1_100_000_000, 1_150_000_000, "rounded")
    with pytest.raises(WordingError, match="larger than 1,000,000,000,000,000"):
        read("2" + " thousand" * 5)
    with pytest.raises(WordingError, match="at most 500"):
        read("1" + " thousand" * 3000)


def test_wording_length_limit_is_500_characters() -> None:
    padded = "about" + " " * 490 + "300"
    assert len(padded) == 498
    assert read(padded) == Reading(270, 300, 330, "approximately")
    with pytest.raises(WordingError, match="is 501 characters long; a wording may have at most 500"):
        read("about" + " " * 493 + "300")


@pytest.mark.parametrize(
    "stated",
    [
        "9" * 400,  # a float of infinity
        "1" + "0" * 300,
        "between 1 and " + "9" * 400,
        "more than 1" + " million" * 60,  # infinity, and zero times it is NaN
        "about 2 million million million",
        "1,000,000,000,000,001",
    ],
)
def test_figures_beyond_the_largest_are_refused(stated: str) -> None:
    with pytest.raises(WordingError, match="states a figure larger than 1,000,000,000,000,000"):
        read(stated)


def test_the_largest_figure_is_read() -> None:
    assert read("1,000,000,000,000,000").best == 1e15
    assert read("a thousand million million").high == 1e15
