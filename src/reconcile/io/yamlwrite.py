"""Writing plain data (mappings, lists, text, numbers, dates, booleans) as the block-style YAML that
datasets are written in, in time linear in its size, so that it reads back as the same data.

A string is written plain only when it is words that YAML cannot take for anything else; any other
is double-quoted, with every character YAML would not read literally (control characters, DEL, C1
controls, line and paragraph separators, a byte order mark) escaped as `\\uXXXX`. A number is written
positionally (`0.00005`, never `5e-05`, which YAML 1.1 reads as text). No anchors, no aliases, no
folded lines.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import date
from typing import Any

from reconcile.model.terms import raw

# Words with single spaces, starting with a letter; nothing YAML gives a meaning to (`: `, ` #`, a
# leading indicator, a trailing space).
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*,?(?: [A-Za-z0-9_.\-()/'&+;,]+)*")
# Plain words that YAML 1.1 reads as booleans or null.
_RESERVED = {"y", "yes", "n", "no", "on", "off", "true", "false", "null"}
# What a double-quoted scalar may not hold literally (JSON has escaped C0 and the quote already).
_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def scalar(value: Any) -> str:
    """One value as a YAML scalar."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = raw(value)
        return text if "." in text else f"{text}.0"
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


@functools.lru_cache(maxsize=1 << 16)
def _text(value: str) -> str:
    """A string as a YAML scalar; cached, as keys, ids of metrics and sources, and scopes repeat on
    every claim."""
    if _PLAIN.fullmatch(value) and value.casefold() not in _RESERVED:
        return value
    return _ESCAPED.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))


def dumps(data: dict[str, Any]) -> str:
    """A mapping as block-style YAML: two spaces a level, sequence items at their key's indent."""
    out: list[str] = []
    _mapping(data, 0, out)
    return "".join(out)


def _mapping(data: dict[str, Any], indent: int, out: list[str], first_prefix: str | None = None) -> None:
    pad = " " * indent
    for index, (key, value) in enumerate(data.items()):
        prefix = first_prefix if index == 0 and first_prefix is not None else pad
        _entry(f"{prefix}{scalar(key)}:", value, indent, out)


def _entry(head: str, value: Any, indent: int, out: list[str]) -> None:
    if isinstance(value, dict) and value:
        out.append(f"{head}\n")
        _mapping(value, indent + 2, out)
    elif isinstance(value, (list, tuple)) and value:
        out.append(f"{head}\n")
        _sequence(value, indent, out)
    else:
        out.append(f"{head} {_leaf(value)}\n")


def _sequence(items: list[Any] | tuple[Any, ...], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            _mapping(item, indent + 2, out, first_prefix=f"{pad}- ")
        elif isinstance(item, (list, tuple)) and item:
            out.append(f"{pad}-\n")
            _sequence(item, indent + 2, out)
        else:
            out.append(f"{pad}- {_leaf(item)}\n")


def _leaf(value: Any) -> str:
    """A scalar, or an empty mapping or sequence in flow style."""
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, (list, tuple)):
        return "[]"
    return scalar(value)
