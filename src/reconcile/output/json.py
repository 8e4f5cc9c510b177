"""The one JSON writer: every result (dataclasses, the model's structs, lists, dates, enums) as strict JSON.

Every `--json` output and the JSON export go through `dumps`, so one result is written the same
way wherever it is printed: fields in declaration order, dates as ISO 8601, enums as their value,
whole numbers without a fraction (300, not 300.0), non-ASCII text as itself, two-space indents.
"""

from __future__ import annotations

import dataclasses
import json
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


def dumps(obj: object, *, indent: int | None = 2) -> str:
    """Strict JSON (no NaN or Infinity), indented by two spaces and ending with a newline.

    With `indent=None`, one line with no spaces and no newline, for a digest of the data.
    """
    data = plain(obj)
    if indent is None:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"
