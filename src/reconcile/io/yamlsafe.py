"""A strict, bounded YAML reader that returns plain data and the position of every node.

It builds values from PyYAML's event stream with its own loop, so that:
- anchors, aliases and explicit tags are refused (no expansion bombs, no object construction);
- duplicate keys are errors that name both lines (PyYAML keeps the last one silently);
- nesting depth, key and scalar lengths are bounded before they can exhaust the stack or memory
  (the file's size is bounded as it is read, by reconcile.io.read);
- plain scalars follow a narrow, YAML 1.2-like rule: `NO`, `on` and `y` are strings, `017`,
  `1:20` and `1_000` are strings, and dates stay strings for the fields that expect them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconcile.errors import DatasetError, Problem, clip

#: Mappings and sequences nested deeper than this are refused.
MAX_DEPTH = 32
#: Mapping keys longer than this (in characters) are refused as they are read: keys are ids and
#: names, and a long one would cost time in every message and lookup that names it.
MAX_KEY_LENGTH = 1_000
#: Scalars longer than this (in characters) are refused as they are read; the longest quote in
#: the shipped dataset is some 600.
MAX_SCALAR_LENGTH = 1_000_000

Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
# A float needs a point, and an exponent its sign: the forms PyYAML writes for numbers and reads as
# numbers, so text that PyYAML writes unquoted (`1e3`) reads back as text. A leading zero is
# allowed only before the point, so `017` stays text rather than becoming 17.
_FLOAT = re.compile(r"(?:[-+]?(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
# More digits than a double can hold: refused rather than read as infinity or as a huge integer.
_MAX_DIGITS = 308
_CORE_TAG = "tag:yaml.org,2002:"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class Positions:
    """Where each value (and each mapping key) starts in the file, as 1-based line and column."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int] | None:
        """The position of the deepest known node on `path` (its key when `key` is set)."""
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get(())


def _loader_class() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _events(loader_class: Any, text: str) -> Iterator[Any]:
    loader = loader_class(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


def shown(value: Any) -> str:
    """A value as a reader of the YAML file would recognise it, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return clip(repr(value))


def _tag_as_written(tag: str) -> str:
    return "!!" + tag[len(_CORE_TAG) :] if tag.startswith(_CORE_TAG) else tag


def _where(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def display(path: Path_) -> str:
    """A path as a field name in messages: `claims[7].value.low`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{clip(part)}" if out else clip(part))
    return out or "(top level)"


def _hint(text: str, line: int, column: int) -> str:
    """Advice for the syntax errors that have one obvious cause."""
    lines = _LINE_BREAK.split(text)
    if not 0 <= line < len(lines):
        return ""
    here = lines[line]
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    if "\t" in indent or here[column : column + 1] == "\t":
        return "; indent with spaces, not tabs"
    if here[column : column + 1] in ("@", "`"):
        return f"; quote a value that starts with {here[column]}"
    return ""


def _syntax_error(exc: Any, text: str, file: Path, loader_class: Any) -> DatasetError:
    import yaml

    if isinstance(exc, yaml.reader.ReaderError):
        # The C reader counts UTF-8 bytes, the pure one characters.
        offset = exc.position
        if not loader_class.__name__.startswith("C"):
            offset = len(text[:offset].encode("utf-8"))
        prefix = text.encode("utf-8")[:offset].decode("utf-8", "replace")
        return DatasetError(
            [
                Problem(
                    file,
                    prefix.count("\n") + 1,
                    len(prefix) - (prefix.rfind("\n") + 1) + 1,
                    "",
                    f"contains the control character U+{exc.character:04X}, which YAML does not allow; remove it",
                )
            ]
        )
    if not isinstance(exc, yaml.MarkedYAMLError):
        return DatasetError([Problem(file, None, None, "", f"not well-formed YAML: {exc}")])
    mark = exc.problem_mark or exc.context_mark
    line, col = _where(mark) if mark is not None else (None, None)
    message = f"not well-formed YAML: {exc.problem or exc.context or 'cannot be parsed'}"
    context = exc.context_mark
    if exc.problem and exc.context and context is not None and _where(context) != (line, col):
        message += f" ({exc.context} that starts at line {context.line + 1}, column {context.column + 1})"
    if mark is not None:
        message += _hint(text, mark.line, mark.column)
    return DatasetError([Problem(file, line, col, "", message)])


def parse(text: str, file: Path, *, mapping_of: str | None = None) -> tuple[Any, Positions]:
    """Parse one YAML document into plain Python data, with the positions of its nodes.

    With `mapping_of` (what the mapping holds, for the message), a document whose top level is not
    a mapping is refused at its first node, before the rest of it is read.
    """
    import yaml

    loader_class = _loader_class()
    try:
        return _parse(text, file, loader_class, mapping_of)
    except _TooDeepForLibyaml:
        # libyaml (PyYAML 6.0.4 on) scans a deep flow collection to its own limit of 1,000 levels
        # before the first event: the pure reader gives the events, so the limit here is reported.
        return _parse(text, file, yaml.SafeLoader, mapping_of)


class _TooDeepForLibyaml(Exception):
    """libyaml refused a document for its nesting before any event showed it."""


def _parse(text: str, file: Path, loader_class: Any, mapping_of: str | None) -> tuple[Any, Positions]:
    import yaml

    positions = Positions()
    # Each open container: [container, path, pending key or None, key mark]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0

    def fail(mark: Any, path: Path_, message: str) -> DatasetError:
        line, col = _where(mark)
        return DatasetError([Problem(file, line, col, display(path), message)])

    def attach(value: Any, mark: Any) -> None:
        """Place a finished value in its parent, or hold it as the parent's next key."""
        nonlocal root
        if not stack:
            root = value
            positions.values[()] = _where(mark)
            return
        parent = stack[-1]
        container, path = parent[0], parent[1]
        if isinstance(container, list):
            positions.values[path + (len(container),)] = _where(mark)
            container.append(value)
            return
        if parent[2] is None:
            if not isinstance(value, str):
                raise fail(mark, path, f"mapping keys must be text, not {shown(value)}; quote the key")
            if value in container:
                first = positions.keys[path + (value,)][0]
                raise fail(
                    mark,
                    path + (value,),
                    f"duplicate key {clip(repr(value))} (first at line {first}); each key may appear once",
                )
            parent[2] = value
            positions.keys[path + (value,)] = _where(mark)
            return
        key = parent[2]
        container[key] = value
        parent[2] = None
        positions.values[path + (key,)] = _where(mark)

    def current_path() -> Path_:
        if not stack:
            return ()
        container, key = stack[-1][0], stack[-1][2]
        path: Path_ = stack[-1][1]
        if isinstance(container, list):
            return path + (len(container),)
        return path + (key,) if key is not None else path

    try:
        for event in _events(loader_class, text):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail(event.start_mark, (), "holds more than one YAML document; keep one")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.AliasEvent):
                raise fail(
                    event.start_mark, current_path(), "aliases (*name) are not allowed; write the value out"
                )
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                raise fail(
                    event.start_mark, current_path(), "anchors (&name) are not allowed; write the value out"
                )
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                tag = event.tag
                if (
                    tag is not None
                    and tag != "!"
                    and not (isinstance(event, yaml.CollectionStartEvent) and event.implicit)
                ):
                    raise fail(
                        event.start_mark,
                        current_path(),
                        f"tags such as {clip(_tag_as_written(tag))} are not allowed; write a plain value",
                    )
            if mapping_of is not None and not stack and not isinstance(event, yaml.MappingStartEvent):
                found = "a list" if isinstance(event, yaml.SequenceStartEvent) else _shown_scalar(event)
                raise fail(event.start_mark, (), f"must be a mapping of {mapping_of}, not {found}")
            if isinstance(event, yaml.ScalarEvent):
                value: Any = event.value
                is_key = bool(stack) and isinstance(stack[-1][0], dict) and stack[-1][2] is None
                limit = MAX_KEY_LENGTH if is_key else MAX_SCALAR_LENGTH
                if len(value) > limit:
                    raise fail(
                        event.start_mark,
                        stack[-1][1] if is_key else current_path(),
                        f"{'a key' if is_key else 'a value'} of {len(value):,} characters; "
                        f"the limit is {limit:,}",
                    )
                if (event.style is None or event.style == "") and event.tag is None:
                    value = scalar(value)
                    if value is OUT_OF_RANGE:
                        raise fail(
                            event.start_mark, current_path(), f"{clip(event.value)} is too large a number"
                        )
                attach(value, event.start_mark)
            elif isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise fail(
                        event.start_mark,
                        current_path(),
                        f"is nested more than {MAX_DEPTH} levels deep, the limit; a dataset needs about 5",
                    )
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                path = current_path()
                stack.append([container, path, None, event.start_mark])
            elif isinstance(event, yaml.CollectionEndEvent):
                container, _path, _key, mark = stack.pop()
                attach(container, mark)
    except yaml.YAMLError as exc:
        if isinstance(exc, yaml.MarkedYAMLError) and "maximum nesting depth" in str(exc.problem):
            raise _TooDeepForLibyaml from None
        raise _syntax_error(exc, text, file, loader_class) from None
    return root, positions


#: What `scalar` gives for a number no double holds (more than 308 digits, or infinite).
OUT_OF_RANGE = object()


def _shown_scalar(event: Any) -> str:
    """A scalar event's value as `shown` gives it, read by the rule its style calls for."""
    plain = (event.style is None or event.style == "") and event.tag is None
    value = scalar(event.value) if plain and len(event.value) <= MAX_SCALAR_LENGTH else event.value
    return shown(clip(event.value) if value is OUT_OF_RANGE else value)


def scalar(value: str) -> Any:
    """The value of a plain (unquoted, untagged) scalar under the narrow rule; both readers use it."""
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if not (_INT.fullmatch(value) or _FLOAT.fullmatch(value)):
        return value
    if len(value.lstrip("+-.0")) > _MAX_DIGITS:
        return OUT_OF_RANGE
    if _INT.fullmatch(value):
        return int(value)
    number = float(value)
    return OUT_OF_RANGE if number in (float("inf"), float("-inf")) else number
