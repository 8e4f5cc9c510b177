"""Turning pydantic's validation errors into located problems that say what would be accepted."""

from __future__ import annotations

import difflib
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from reconcile.errors import Problem, clip
from reconcile.io.schema import Claim, Dataset
from reconcile.io.yamlsafe import Path_, Positions, display, shown
from reconcile.model.terms import ScopeKind, number

_KINDS = {
    "string_type": "text (quote it if YAML reads it as something else)",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}
_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "more than"),
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
}
_TAGS = tuple(kind.value for kind in ScopeKind)
_ID_PATTERN = next(m.pattern for m in Claim.model_fields["id"].metadata if getattr(m, "pattern", None))


def schema_problems(exc: ValidationError, file: Path, positions: Positions) -> list[Problem]:
    """One problem per validation error, at the position of the field it concerns."""
    problems = []
    for error in exc.errors():
        loc: Path_ = tuple(error["loc"])
        path = _real_path(loc, positions)
        on_key = error["type"] == "extra_forbidden" or loc[-1:] == ("[key]",)
        where = positions.locate(path, key=on_key)
        line, col = where if where else (None, None)
        problems.append(Problem(file, line, col, display(path) if path else "", message(error)))
    return problems


def _real_path(loc: Path_, positions: Positions) -> Path_:
    """The location without the parts pydantic adds: union tags and markers such as `[key]`."""
    real: Path_ = ()
    for part in loc:
        known = real + (part,) in positions.values or real + (part,) in positions.keys
        if known or (part not in _TAGS and "[" not in str(part)):
            real += (part,)
    return real


def message(error: ErrorDetails) -> str:
    """What is wrong with the field and what would be accepted, in the terms of the YAML file."""
    kind, given = error["type"], error.get("input")
    context: dict[str, Any] = dict(error.get("ctx") or {})
    found = "; it is empty" if given is None else f", not {shown(given)}"
    if kind == "extra_forbidden":
        return _unknown_field(tuple(error["loc"]))
    if kind == "missing":
        return "is required"
    if kind in _KINDS:
        return f"must be {_KINDS[kind]}{found}"
    if kind in ("literal_error", "enum"):
        return f"must be {context['expected']}{found}"
    if kind == "union_tag_invalid":
        return f"kind must be {_either(_TAGS)}, not {shown(context.get('tag'))}"
    if kind == "union_tag_not_found":
        return f"needs a kind: {_either(_TAGS)}"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"must be {words} {number(context[key], places=None)}{found}"
    if kind in ("too_short", "too_long"):
        limit = context["min_length" if kind == "too_short" else "max_length"]
        noun = (
            "entr" + ("y" if limit == 1 else "ies")
            if context.get("field_type") == "Dictionary"
            else ("item" + ("" if limit == 1 else "s"))
        )
        least = "at least" if kind == "too_short" else "at most"
        return f"must have {least} {limit} {noun}, not {context.get('actual_length')}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {context['max_length']} characters, not {len(str(given))}"
    if kind == "string_pattern_mismatch" and context.get("pattern") == _ID_PATTERN:
        return f"must be an id of lowercase letters, digits, '.', '_' and '-', starting with a letter or digit{found}"
    text = error["msg"].removeprefix("Value error, ")
    if kind != "value_error" and not isinstance(given, (dict, list)):
        text += found
    return text[:1].lower() + text[1:]


def _either(options: tuple[str, ...]) -> str:
    quoted = [repr(option) for option in options]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


def _unknown_field(loc: Path_) -> str:
    name = str(loc[-1])
    model = _model_at(loc[:-1])
    text = f"unknown field {clip(repr(name))}"
    if model is None:
        return text + "; see the data format in docs/data-format.md"
    fields = list(model.model_fields)
    close = difflib.get_close_matches(name, fields, n=1)
    if close:
        text += f" (did you mean {close[0]!r}?)"
    return text + f"; the fields here are: {', '.join(fields)}"


def _unwrap(annotation: Any) -> Any:
    """`annotation` without Annotated metadata and without an optional None."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation


def _model_at(loc: Path_) -> type[BaseModel] | None:
    """The model that validates the mapping at `loc` (a location as pydantic reports it)."""
    current: Any = Dataset
    for part in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif origin is dict:
            current = get_args(current)[1]
        elif origin is list:
            current = get_args(current)[0]
        elif origin in (Union, types.UnionType):
            # A discriminated union: pydantic puts the member's tag in the location.
            members = [m for m in get_args(current) if _tag_of(m) == part]
            if not members:
                return None
            current = members[0]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _tag_of(member: Any) -> str | None:
    if not (isinstance(member, type) and issubclass(member, BaseModel)) or "kind" not in member.model_fields:
        return None
    args = get_args(_unwrap(member.model_fields["kind"].annotation))
    return str(args[0]) if args else None
