"""Numbers written for people, the same on the terminal, in exported tables, in the report and on charts."""

from __future__ import annotations


def number(value: float | None, *, open_text: str = "open") -> str:
    """A value for people: 3,800, 0.45 (at most two decimals), or `open_text` for an open bound."""
    if value is None:
        return open_text
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
