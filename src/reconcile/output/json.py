"""The one JSON writer: every result (dataclasses, the model's structs, lists, dates, enums) as strict JSON.

Every `--json` output and the JSON export go through `dumps`, so one result is written the same
way wherever it is printed: fields in declaration order, dates as ISO 8601, enums as their value,
whole numbers without a fraction (300, not 300.0), non-ASCII text as itself, two-space indents.
Characters a terminal would act on or draw misleadingly (C1 controls, DEL, bidi and other format
characters, line separators) are written as \\uXXXX escapes: strict JSON allows them raw, but
`--json` output is read on terminals too.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any

from reconcile.model.terms import compact


def plain(obj: object) -> Any:
    """The JSON-able data of a result: dicts, lists, str, int, float, bool and None."""
    if obj is None or isinstance(obj, (str, bool, int)):
        # Before Enum: a StrEnum is a str, and its value is what it is written as either way.
        return obj.value if isinstance(obj, Enum) else obj
    if isinstance(obj, float):
        return compact(obj)
    if isinstance(obj, Enum):
        return plain(obj.value)
    if isinstance(obj, date):  # a datetime is a date too, and isoformat keeps its time
        return obj.isoformat()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    fields = getattr(type(obj), "__struct_fields__", None)
    if fields is not None:
        # A msgspec Struct, found by its public attributes so that msgspec is not imported here.
        return _struct(obj, fields)
    if isinstance(obj, Mapping):
        return {_key(key): plain(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(item) for item in obj]
    raise TypeError(f"cannot write {type(obj).__name__} as JSON")


def _struct(obj: object, fields: tuple[str, ...]) -> dict[str, Any]:
    # A tagged struct (one member of a union) carries its tag first, as msgspec writes it.
    config = getattr(obj, "__struct_config__", None)
    tag_field, tag = getattr(config, "tag_field", None), getattr(config, "tag", None)
    data: dict[str, Any] = {tag_field: tag} if tag_field is not None else {}
    data.update((name, plain(getattr(obj, name))) for name in fields)
    return data


def _key(key: object) -> str:
    if isinstance(key, str):
        return str(key.value) if isinstance(key, Enum) else key
    raise TypeError(f"cannot write a {type(key).__name__} key as JSON")


# Runs of characters outside printable ASCII; most are printable (Cyrillic, Hangul) and stay as they are.
_NOT_ASCII = re.compile(r"[^\x20-\x7e\n]+")


def _escaped_char(char: str) -> str:
    if char.isprintable() or unicodedata.category(char) == "Zs":
        return char
    code = ord(char)
    if code > 0xFFFF:  # JSON writes a character beyond the BMP as its UTF-16 surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def _escaped_run(found: re.Match[str]) -> str:
    run = found[0]
    return run if run.isprintable() else "".join(_escaped_char(char) for char in run)


def _safe(text: str) -> str:
    # Outside strings JSON holds only ASCII, so every match is inside a string, where \uXXXX reads
    # back as the same character.
    return _NOT_ASCII.sub(_escaped_run, text)


def dumps(obj: object, *, indent: int | None = 2) -> str:
    """Strict JSON (no NaN or Infinity), indented by two spaces and ending with a newline.

    With `indent=None`, one line with no spaces and no newline, for a digest of the data.
    """
    data = plain(obj)
    if indent is None:
        return _safe(json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False))
    return _safe(json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)) + "\n"
