"""Reading a figure as it was stated ("more than 300", "several hundred") into an interval."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from reconcile.model.terms import MAX_FIGURE

#: Default vague quantities: word -> (low, best, high).  A dataset may override or extend them.
DEFAULT_VAGUE: dict[str, tuple[float, float, float]] = {
    "a few": (2, 3, 5),
    "several": (3, 5, 9),
    "dozens": (24, 50, 99),
    "hundreds": (200, 500, 999),
    "thousands": (2_000, 5_000, 9_999),
    "tens of thousands": (20_000, 50_000, 99_999),
}
#: The longest wording read, in characters; the longest in the shipped dataset is under 40.
MAX_WORDING_LENGTH = 500
#: Default relative half-width of "approximately N" and the depth of "nearly N".
DEFAULT_APPROXIMATE = 0.10

_MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "a dozen": 12,
    "a hundred": 100,
    "a thousand": 1_000,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_COMPOUND = re.compile(rf"({'|'.join(_TENS)})(?:[- ]({'|'.join(_UNITS)}))?")
# "12.000" is twelve thousand in much of Europe and twelve in English: refuse rather than guess.
_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_FRACTIONS = {
    "half": Fraction(1, 2),
    "a half": Fraction(1, 2),
    "a third": Fraction(1, 3),
    "one third": Fraction(1, 3),
    "two thirds": Fraction(2, 3),
    "a quarter": Fraction(1, 4),
    "one quarter": Fraction(1, 4),
    "three quarters": Fraction(3, 4),
    "a fifth": Fraction(1, 5),
    "a tenth": Fraction(1, 10),
}

# (kind, prefixes) in the order they are tried; the longest prefix wins within a kind.
_QUALIFIERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "floor",
        (
            "more than",
            "over",
            "upwards of",
            "in excess of",
            "at least",
            "no fewer than",
            "no less than",
            "a minimum of",
        ),
    ),
    (
        "ceiling",
        ("up to", "as many as", "at most", "no more than", "could reach", "fewer than", "less than", "under"),
    ),
    ("nearly", ("nearly", "almost", "just under", "close to")),
    ("approximately", ("approximately", "about", "around", "roughly", "some", "an estimated", "circa", "~")),
]

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_DIGITS_RE = re.compile(_DIGITS)


@dataclass(frozen=True, slots=True)
class Reading:
    """An interval read from a wording; open bounds are None."""

    low: float | None
    best: float
    high: float | None
    rule: str
    relative: bool = False  # a fraction of another figure ("nearly a third")


class WordingError(ValueError):
    """The wording matches no rule, is too long, or states a figure beyond MAX_FIGURE."""


def normalise(text: str) -> str:
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    return " ".join(text.lower().split())


def digit_numbers(stated: str) -> list[str]:
    """The numbers in `stated` that are written in digits, exactly as written."""
    return _DIGITS_RE.findall(stated)


def _plain_number(
    text: str, vague: dict[str, tuple[float, float, float]]
) -> tuple[float, float, float, bool] | None:
    """A quantity without a trailing multiplier: (low, best, high, exact) or None."""
    if _DOTTED_THOUSANDS.fullmatch(text):
        return None
    if re.fullmatch(_DIGITS, text):
        value = float(text.replace(",", ""))
        return value, value, value, True
    if text in _NUMBER_WORDS:
        value = float(_NUMBER_WORDS[text])
        return value, value, value, True
    compound = _COMPOUND.fullmatch(text)
    if compound:
        value = float(_TENS[compound[1]] + (_UNITS[compound[2]] if compound[2] else 0))
        return value, value, value, True
    if text in vague:
        low, best, high = vague[text]
        return low, best, high, False
    return None


def _number(
    text: str, vague: dict[str, tuple[float, float, float]]
) -> tuple[float, float, float, bool] | None:
    """A single quantity: (low, best, high, exact) or None; "3 thousand" is 3 times a thousand."""
    # Multipliers are taken off the end in a loop, not by recursion: "1 thousand thousand ..."
    # must not exhaust the stack (the figure it makes is refused by `read`).
    factors: list[int] = []
    while (plain := _plain_number(text, vague)) is None:
        parts = text.rsplit(" ", 1)
        if len(parts) != 2 or parts[1] not in _MULTIPLIERS:
            return None
        text = parts[0]
        factors.append(_MULTIPLIERS[parts[1]])
    low, best, high, exact = plain
    for factor in reversed(factors):  # the innermost first, as the words are read
        low, best, high = low * factor, best * factor, high * factor
    return low, best, high, exact


def _range_ends(
    first: str, second: str, vague: dict[str, tuple[float, float, float]]
) -> tuple[tuple[float, float, float, bool], tuple[float, float, float, bool]] | None:
    """The two ends of a range, or None.

    In "10-12 thousand" the thousand belongs to both figures: a bare first figure no larger than
    the second's takes the second's multiplier ("500 to 2 thousand" stays 500 to 2,000).
    """
    low, high = _number(first, vague), _number(second, vague)
    if low is None or high is None:
        return None
    words = second.rsplit(" ", 1)
    if len(words) == 2 and words[1] in _MULTIPLIERS and first.rsplit(" ", 1)[-1] not in _MULTIPLIERS:
        base = _number(words[0], vague)
        if base is not None and low[1] <= base[1]:
            factor = _MULTIPLIERS[words[1]]
            low = (low[0] * factor, low[1] * factor, low[2] * factor, low[3])
    return low, high


def _strip_qualifier(text: str) -> tuple[str, str]:
    best_kind, best_prefix = "exact", ""
    for kind, prefixes in _QUALIFIERS:
        for prefix in prefixes:
            if (text.startswith(prefix + " ") or (prefix == "~" and text.startswith("~"))) and len(
                prefix
            ) > len(best_prefix):
                best_kind, best_prefix = kind, prefix
    return best_kind, text[len(best_prefix) :].strip()


def read(
    stated: str,
    vague: dict[str, tuple[float, float, float]] | None = None,
    approximate: float = DEFAULT_APPROXIMATE,
) -> Reading:
    """Turn a wording into an interval, by the rules documented in docs/data-format.md.

    >>> read("more than 300")
    Reading(low=300.0, best=300.0, high=None, rule='floor', relative=False)
    """
    if len(stated) > MAX_WORDING_LENGTH:
        raise WordingError(
            f"is {len(stated):,} characters long; a wording may have at most {MAX_WORDING_LENGTH}"
        )
    table = DEFAULT_VAGUE if vague is None else vague
    text = normalise(stated)
    between = (
        None if _number(text, table) else re.fullmatch(r"(?:between )?(.+?)(?: and | to |\s*-\s*)(.+)", text)
    )
    ends = _range_ends(between[1], between[2], table) if between else None
    if ends is not None:
        low, high = ends[0][0], ends[1][2]
        return _bounded(Reading(low, (low + high) / 2, high, "range"))
    kind, rest = _strip_qualifier(text)
    relative = False
    quantity = _number(rest, table)
    if quantity is None and rest in _FRACTIONS:
        value = float(_FRACTIONS[rest])
        quantity, relative = (value, value, value, True), True
    if quantity is None:
        raise WordingError("matches none of the wording rules")
    low, best, high, exact = quantity
    if kind == "exact" and exact and not relative:
        # A bare round figure is stated to its last significant place, not exactly: 465,000 is
        # 464,500 to 465,500, and 500,000 is 450,000 to 550,000.
        half = stated_place(rest) / 2
        if half >= 5 and best > 0:
            high = min(best + half, max(best, MAX_FIGURE))
            return _bounded(Reading(_tidy(best - half), best, _tidy(high), "rounded"))
    reading = _qualified(kind, low, best, high, exact, relative, approximate)
    if relative:
        return reading
    # Keep 0.1 x 1,100 from printing as 110.00000000000001.
    return _bounded(
        Reading(_tidy(reading.low), _tidy(reading.best) or 0.0, _tidy(reading.high), reading.rule)
    )


def stated_place(text: str) -> float:
    """The place a bare figure is written to: 1 for 18 or six, 1,000 for 465,000 or 3 thousand,
    100,000 for 500,000, 0.1 for 2.5. `text` is a normalised wording that `_number` reads."""
    mantissa, *multipliers = text.split(" ")
    factor = math.prod(_MULTIPLIERS.get(word, 1) for word in multipliers)
    if not re.fullmatch(_DIGITS, mantissa):
        return float(factor)  # a number word: stated to the unit of its multiplier
    whole, _, decimals = mantissa.replace(",", "").partition(".")
    if decimals:
        return factor * 10.0 ** -len(decimals)
    zeros = len(whole) - len(whole.rstrip("0"))
    return float(factor * 10**zeros) if zeros < len(whole) else float(factor)


def _bounded(reading: Reading) -> Reading:
    """`reading`, if every figure in it is finite and at most MAX_FIGURE; WordingError otherwise."""
    for figure in (reading.low, reading.best, reading.high):
        if figure is not None and not (math.isfinite(figure) and abs(figure) <= MAX_FIGURE):
            raise WordingError(f"states a figure larger than {MAX_FIGURE:,.0f}, the largest one read")
    return reading


def _tidy(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _qualified(
    kind: str, low: float, best: float, high: float, exact: bool, relative: bool, approximate: float
) -> Reading:
    if kind == "exact":
        return Reading(low, best, high, "exact" if exact else "vague", relative)
    if kind == "floor":
        return Reading(low, low, None, "floor", relative)
    if kind == "ceiling":
        return Reading(None, high, high, "ceiling", relative)
    if kind == "nearly":
        return Reading(best * (1 - approximate), best, best, "nearly", relative)
    return Reading(low * (1 - approximate), best, high * (1 + approximate), "approximately", relative)
