"""The terms the dataset format and the results share: kinds of originator, how exactly a date is
known, kinds of scope, the metrics a name stands for, and numbers as they are written out.

Nothing here imports pydantic, so that results can be made and printed without it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Protocol

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema


class SourceKind(StrEnum):
    """What sort of body an originator is."""

    government = "government"
    intelligence = "intelligence"
    military = "military"
    official = "official"
    media = "media"
    analyst = "analyst"
    unattributed = "unattributed"


class Precision(StrEnum):
    """How exactly a date is known."""

    day = "day"
    month = "month"
    approximate = "approximate"


class ScopeKind(StrEnum):
    """What a figure counts: a running total, a bounded period or one incident."""

    cumulative = "cumulative"
    period = "period"
    incident = "incident"


def metrics_of(name: str, metrics: Collection[str], groups: Mapping[str, Sequence[str]]) -> list[str] | None:
    """The metrics a metric or group name stands for; None for a name that is neither."""
    if name in metrics:
        return [name]
    if name in groups:
        return list(groups[name])
    return None


def metrics_named(
    names: Iterable[str],
    metrics: Collection[str],
    groups: Mapping[str, Sequence[str]],
) -> set[str] | None:
    """The metrics some metric or group names stand for together; None when one of them is neither."""
    named: set[str] = set()
    for name in names:
        found = metrics_of(name, metrics, groups)
        if found is None:
            return None
        named.update(found)
    return named


def compact(value: float | None) -> float | int | None:
    """A whole number as an int (300, not 300.0), for JSON and YAML written out."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def raw(value: float) -> str:
    """A value for programs (CSV, messages quoting a figure): 300, 0.00005, 1234.5; never 5e-05 or 3,800."""
    whole = compact(value)
    if isinstance(whole, int):
        return str(whole)
    from decimal import Decimal

    return f"{Decimal(repr(float(value))):f}"


def number(value: float | None, *, open_text: str = "open", places: int | None = 2) -> str:
    """A value for people: 3,800, 0.45 (at most `places` decimals, every one with None), or `open_text`.

    It is here, below the outputs, because the importer writes a claim's wording with it too, and a
    wording must say the figure exactly (places=None) so that it reads back as the same value.
    """
    if value is None:
        return open_text
    if float(value).is_integer():
        return f"{int(value):,}"
    if places is None:
        from decimal import Decimal

        # Positional, never 5e-05: a wording with an exponent reads as no figure.
        return f"{Decimal(repr(float(value))):,f}"
    return f"{value:,.{places}f}".rstrip("0").rstrip(".")


#: The largest figure a wording may state (a thousand million million): larger ones are typing
#: errors, and beyond about 1e308 a figure is not even a number a float can hold. Nothing carried
#: forward goes beyond it either.
MAX_FIGURE = 1e15
#: An estimate is shown to at most this many decimal places, whatever its claims state.
MAX_PLACES = 4


def places(values: Iterable[float | None]) -> int:
    """The decimal places the values are stated to: 0 for counts (3,800; 465,000), 2 for 0.45, at
    most `MAX_PLACES`. An estimate computed from them is shown to that precision, as no count of
    people is fractional and a share of 0.45 is not 0."""
    found = 0
    for value in values:
        if value is None or float(value).is_integer():
            continue
        exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
        if isinstance(exponent, int):
            found = max(found, min(-exponent, MAX_PLACES))
    return found


def figure(
    value: float | None, places: int, rounding: str = ROUND_HALF_EVEN, *, open_text: str = "open"
) -> str:
    """An estimate's figure for people, at `places` decimals: a low rounded down (`ROUND_FLOOR`) and
    a high up (`ROUND_CEILING`), so that the range shown holds the one computed; a best value to the
    nearest. 474,161.75 with 0 places is 474,161 as a low and 474,162 as a high."""
    if value is None:
        return open_text
    exact = Decimal(repr(float(value)))
    # Arithmetic in binary leaves 0.16999999999999998 for 0.17: rounded first far below the place
    # shown, so that a low is not taken down a whole unit by it.
    if exact.adjusted() < 15:
        exact = exact.quantize(Decimal(1).scaleb(-(places + 9)), rounding=ROUND_HALF_EVEN)
    if exact.adjusted() + places >= 27:  # beyond decimal's 28 digits: a place is far below its noise
        return number(float(value), places=places)
    shown = exact.quantize(Decimal(1).scaleb(-places), rounding=rounding)
    return number(float(shown), places=places)


class _Compact:
    """Pydantic writes the number through `compact`; the annotation costs nothing until it does."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic import PlainSerializer

        return PlainSerializer(compact).__get_pydantic_core_schema__(source, handler)


Number = Annotated[float, _Compact()]


class Bounded(Protocol):
    """Anything with a low, a best and a high: an interval, a row of a comparison, a projection."""

    @property
    def low(self) -> float | None: ...
    @property
    def best(self) -> float: ...
    @property
    def high(self) -> float | None: ...


class Reach(Protocol):
    """Anything with a low and a high, such as an interval or a sum of intervals; None is an open bound."""

    @property
    def low(self) -> float | None: ...
    @property
    def high(self) -> float | None: ...


def meet(a: Reach, b: Reach) -> bool:
    """Whether two closed intervals share a value; an open bound reaches as far as needed."""
    below = a.high is not None and b.low is not None and a.high < b.low
    above = a.low is not None and b.high is not None and a.low > b.high
    return not (below or above)


def figures(value: Bounded) -> tuple[float | None, float, float | None]:
    """Its low, best and high, to unpack or to compare without the rule an interval was read by."""
    return value.low, value.best, value.high
