"""A strict, bounded YAML reader that returns plain data and the position of every node.

It builds values from PyYAML's event stream with its own loop, so that:
- anchors, aliases and explicit tags are refused (no expansion bombs, no object construction);
- duplicate keys are errors that name both lines (PyYAML keeps the last one silently);
- nesting depth and file size are bounded before they can exhaust the stack or memory;
- plain scalars follow a narrow, YAML 1.2-like rule: `NO`, `on` and `y` are strings, `017`,
  `1:20` and `1_000` are strings, and dates stay strings for the fields that expect them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconcile.errors import DatasetError, Problem

#: Files larger than this are refused before parsing; RECONCILE_MAX_BYTES overrides it.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
#: Mappings and sequences nested deeper than this are refused.
MAX_DEPTH = 32

Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


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


def max_bytes() -> int:
    """The configured size limit in bytes."""
    raw = os.environ.get("RECONCILE_MAX_BYTES")
    if raw is None:
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value <= 0:
        raise DatasetError(
            [Problem(Path("RECONCILE_MAX_BYTES"), None, None, "", f"must be a positive whole number of bytes, not {raw!r}")]
        )
    return value


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, refusing what is missing, too large, binary or not UTF-8."""
    limit = max_bytes()
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise DatasetError([Problem(path, None, None, "", "is a directory, not a dataset file")])
        if size > limit:
            raise DatasetError(
                [Problem(path, None, None, "", f"is {size:,} bytes; the limit is {limit:,} (set RECONCILE_MAX_BYTES to change it)")]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError([Problem(path, None, None, "", "no such file")]) from None
    except PermissionError:
        raise DatasetError([Problem(path, None, None, "", "permission denied")]) from None
    except IsADirectoryError:
        raise DatasetError([Problem(path, None, None, "", "is a directory, not a dataset file")]) from None
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise DatasetError([Problem(path, line, None, "", "contains a NUL byte; this is a binary file, not YAML text")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DatasetError(
            [Problem(path, line, col, "", f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]
        ) from None
    return text


def _events(text: str) -> Iterator[Any]:
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


def _scalar(value: str, plain: bool) -> Any:
    if not plain:
        return value
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


def _where(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _display(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def parse(text: str, file: Path) -> tuple[Any, Positions]:
    """Parse one YAML document into plain Python data, with the positions of its nodes."""
    import yaml

    positions = Positions()
    # Each open container: [container, path, pending key or None, key mark]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0

    def fail(mark: Any, path: Path_, message: str) -> DatasetError:
        line, col = _where(mark)
        return DatasetError([Problem(file, line, col, _display(path), message)])

    def attach(value: Any, mark: Any) -> Path_ | None:
        """Place a finished value in its parent; return its path, or None for a mapping key."""
        nonlocal root
        if not stack:
            root = value
            positions.values[()] = _where(mark)
            return ()
        parent = stack[-1]
        container, path = parent[0], parent[1]
        if isinstance(container, list):
            child = path + (len(container),)
            container.append(value)
            positions.values[child] = _where(mark)
            return child
        if parent[2] is None:
            if not isinstance(value, str) or isinstance(value, bool):
                raise fail(mark, path, f"mapping keys must be plain text, not {value!r}")
            if value in container:
                first = positions.keys[path + (value,)][0]
                raise fail(
                    mark,
                    path + (value,),
                    f"duplicate key {value!r} (first at line {first}); each key may appear once",
                )
            parent[2] = value
            positions.keys[path + (value,)] = _where(mark)
            return None
        key = parent[2]
        container[key] = value
        parent[2] = None
        child = path + (key,)
        positions.values[child] = _where(mark)
        return child

    def current_path() -> Path_:
        if not stack:
            return ()
        container, path, key = stack[-1][0], stack[-1][1], stack[-1][2]
        if isinstance(container, list):
            return path + (len(container),)
        return path + (key,) if key is not None else path

    try:
        for event in _events(text):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail(event.start_mark, (), "holds more than one YAML document; keep one")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.AliasEvent):
                raise fail(event.start_mark, current_path(), "aliases (*name) are not allowed; write the value out")
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                raise fail(event.start_mark, current_path(), "anchors (&name) are not allowed; write the value out")
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                tag = event.tag
                if tag is not None and tag != "!" and not (
                    isinstance(event, yaml.CollectionStartEvent) and event.implicit
                ):
                    raise fail(event.start_mark, current_path(), f"tags such as {tag!r} are not allowed")
            if isinstance(event, yaml.ScalarEvent):
                plain = event.style is None or event.style == ""
                attach(_scalar(event.value, plain and event.tag is None), event.start_mark)
            elif isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise fail(event.start_mark, current_path(), f"nesting is deeper than {MAX_DEPTH} levels")
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                path = current_path()
                stack.append([container, path, None, event.start_mark])
            elif isinstance(event, yaml.CollectionEndEvent):
                container, _path, _key, mark = stack.pop()
                attach(container, mark)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _where(mark) if mark is not None else (None, None)
        problem = exc.problem or exc.context or "is not well-formed YAML"
        if "\t" in problem or "tab" in problem.lower():
            problem += " (indent with spaces, not tabs)"
        raise DatasetError([Problem(file, line, col, "", f"not well-formed YAML: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise DatasetError([Problem(file, None, None, "", f"not well-formed YAML: {exc}")]) from None
    return root, positions
