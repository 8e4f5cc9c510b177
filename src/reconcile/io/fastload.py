"""A fast reader for the plain block-style YAML that datasets are written in, or None for anything else.

The strict reader (yamlsafe) walks PyYAML's events one Python object at a time, which is exact but
slow on large files. Most datasets use a small part of YAML: block mappings and sequences indented
with spaces, one-line flow mappings and sequences, one-line plain, single- and double-quoted
scalars, and comments. This module reads that part, line by line, and returns None as soon as it
meets anything else, so the strict reader handles it (and reports any error with its position).

What it returns is the same data the strict reader returns for the same text:
- plain scalars go through the strict reader's own rule (yamlsafe.scalar);
- anchors, aliases, tags, directives, document markers, block scalars (| >), multi-line scalars,
  explicit keys (?), tabs, control characters and unusual line breaks are not read here at all;
- a duplicate key, a key that is not text, a number out of range, deep nesting, or a key or
  scalar over the strict reader's length limits are not read here either: the strict reader
  reports them.
tests/test_fastload.py checks the equivalence on generated and mutated documents.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from reconcile.io.yamlsafe import MAX_KEY_LENGTH, MAX_SCALAR_LENGTH, OUT_OF_RANGE, scalar

#: Deeper data goes to the strict reader, which enforces its own limit.
MAX_DEPTH = 16

# Characters the strict reader rejects or treats specially (BOM, NEL and the Unicode line and
# paragraph separators are line breaks or ignored in YAML 1.1); tabs, whose rules are subtle; a
# carriage return that is not part of CRLF.
_OUTSIDE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# Plain text with single spaces between words; keys that need more must be quoted, and go strict.
_WORDS = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*(?: [A-Za-z0-9_.\-]+)*"
_FLOW_KEY = re.compile(rf" *({_WORDS}): +")
_DOUBLE = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_SINGLE = re.compile(r"'([^']*(?:''[^']*)*)'")
# Escapes that mean the same in JSON and YAML; others (\x, \N, \_, \e, \/ ...) go strict.
_ESCAPES = re.compile(r'\\(?:["\\bfnrt]|u(?![dD][89abAB])[0-9a-fA-F]{4})')
# A plain scalar inside a flow collection: no flow indicators, no colon, no comment.
_FLOW_PLAIN = re.compile(r"(?:[^\s\-?:,\[\]{}#&*!|>'\"%@`]|-(?=[0-9]))(?:[^,\[\]{}:#]|(?<! )#)*")
# What may start a plain scalar in a block (a minus only before a digit).
_PLAIN_START = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]|-[0-9]")
_COMMENT = re.compile(r" +#.*| *")


#: The longest one-line flow mapping whose reading is kept for the same text further on.
_KEPT = 48


class _NotPlain(Exception):
    """The text uses YAML this reader leaves to the strict one."""


_MISSING = object()


class _Reader:
    def __init__(self) -> None:
        # Plain scalars repeat (metric and source ids, dates, keys), so each is resolved once.
        self.resolved: dict[str, Any] = {}
        self.keys: dict[str, str] = {}
        self.mappings: dict[str, dict[str, Any]] = {}

    def plain(self, text: str) -> Any:
        value = self.resolved.get(text, _MISSING)
        if value is _MISSING:
            if len(text) > MAX_SCALAR_LENGTH:
                raise _NotPlain
            value = scalar(text)
            if value is OUT_OF_RANGE:
                raise _NotPlain
            self.resolved[text] = value
        return value

    def key(self, text: str) -> str:
        key = self.keys.get(text)
        if key is None:
            if len(text) > MAX_KEY_LENGTH:
                raise _NotPlain
            value = self.plain(text)
            if not isinstance(value, str):
                raise _NotPlain
            key = self.keys[text] = value
        return key

    def mapping(self, text: str) -> dict[str, Any]:
        """A flow mapping that the line pattern found to hold only words and simple quoted texts."""
        # Short ones repeat ({kind: cumulative}, {stated: "300"}): each is read once, and copied after.
        # Longer ones, mostly citations with their quotes, seldom do and are not kept.
        known = self.mappings.get(text)
        if known is not None:
            return known.copy()
        out: dict[str, Any] = {}
        pairs = _PAIR.findall(text)
        for key, word, double in pairs:
            if len(double) > MAX_SCALAR_LENGTH:
                raise _NotPlain
            out[self.key(key)] = self.plain(word) if word else double
        if len(out) != len(pairs):
            raise _NotPlain
        if len(text) <= _KEPT:
            self.mappings[text] = out.copy()
        return out

    def double(self, body: str) -> str:
        if len(body) > MAX_SCALAR_LENGTH:
            raise _NotPlain
        if "\\" not in body:
            return body
        if _ESCAPES.sub("", body).count("\\"):
            raise _NotPlain
        value: str = json.loads(f'"{body}"')
        return value

    def quoted(self, line: str, at: int) -> tuple[str, int]:
        """The quoted scalar starting at `at`, and where it ends."""
        if line[at] == '"':
            match = _DOUBLE.match(line, at)
            if match is None:
                raise _NotPlain
            return self.double(match[1]), match.end()
        match = _SINGLE.match(line, at)
        if match is None:
            raise _NotPlain
        if len(match[1]) > MAX_SCALAR_LENGTH:
            raise _NotPlain
        return match[1].replace("''", "'"), match.end()

    def flow(self, line: str, at: int, depth: int) -> tuple[Any, int]:
        """The flow mapping or sequence starting at `at`, and where it ends."""
        if depth > MAX_DEPTH:
            raise _NotPlain
        mapping = line[at] == "{"
        close = "}" if mapping else "]"
        out: Any = {} if mapping else []
        at += 1
        while line.startswith(" ", at):
            at += 1
        if line.startswith(close, at):
            return out, at + 1
        while True:
            key = None
            if mapping:
                match = _FLOW_KEY.match(line, at)
                if match is None:
                    raise _NotPlain
                key = self.key(match[1])
                if key in out:
                    raise _NotPlain
                at = match.end()
            value: Any
            char = line[at : at + 1]
            if char in ("{", "["):
                value, at = self.flow(line, at, depth + 1)
            elif char in ('"', "'"):
                value, at = self.quoted(line, at)
            else:
                match = _FLOW_PLAIN.match(line, at)
                if match is None:
                    raise _NotPlain
                value, at = self.plain(match[0].rstrip(" ")), match.end()
            if mapping:
                out[key] = value
            else:
                out.append(value)
            while line.startswith(" ", at):
                at += 1
            if line.startswith(close, at):
                return out, at + 1
            if not line.startswith(",", at):
                raise _NotPlain
            at += 1
            while line.startswith(" ", at):
                at += 1
            if line.startswith(close, at):
                # A trailing comma is valid YAML, but rare enough to leave to the strict reader.
                raise _NotPlain

    def value(self, line: str, at: int) -> Any:
        """A value that fills the rest of a line: a scalar or a one-line flow collection."""
        char = line[at]
        if char in ("{", "["):
            value, end = self.flow(line, at, 1)
        elif char in ('"', "'"):
            value, end = self.quoted(line, at)
        else:
            if not _PLAIN_START.match(line, at):
                raise _NotPlain
            comment = line.find(" #", at)
            text = (line[at:] if comment < 0 else line[at:comment]).rstrip(" ")
            if ": " in text or text.endswith(":"):
                raise _NotPlain
            return self.plain(text)
        if _COMMENT.fullmatch(line, end) is None:
            raise _NotPlain
        return value


def parse_plain(text: str) -> dict[str, Any] | None:
    """The data of a YAML document whose top level is a block mapping, if it is written plainly.

    None means the text uses something this reader leaves to the strict one (yamlsafe.parse),
    which must then be used; it is never a verdict that the text is wrong.
    """
    return _read(text, None)


def claim_lines(text: str) -> list[int] | None:
    """The line (from 1) on which each item of the top-level `claims` list starts, if written plainly.

    None, as for `parse_plain`, means the strict reader must be asked instead.
    """
    lines: list[int] = []
    return lines if _read(text, lines) is not None else None


def _read(text: str, claim_starts: list[int] | None) -> dict[str, Any] | None:
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _OUTSIDE.search(text) is not None:
        return None
    try:
        return _parse(text, claim_starts)
    except _NotPlain:
        return None


# The commonest values, told apart by the line pattern to save time: a word, a double-quoted text
# without escapes, and a flow mapping of such values.
_WORD = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*"
_SIMPLE = rf'(?:({_WORD})|"([^"\\\n]*)")'
_PAIR = re.compile(rf"({_WORDS}): +{_SIMPLE} *")
_PAIR_TEXT = rf'{_WORDS}: +(?:{_WORD}|"[^"\\\n]*") *'
# Each line of block YAML: indent, a sequence item's dash and the spaces after it, a key, then the
# value: a word, a double-quoted text, a flow mapping of such values, or anything else.
_LINE = re.compile(
    rf"^( *)(-(?: +|$))?(?:({_WORDS}):(?: +|$))?"
    rf'(?:({_WORD}) *|("[^"\\\n]*") *|(\{{ *(?:{_PAIR_TEXT}, *)*{_PAIR_TEXT}\}}) *|(.*))$',
    re.MULTILINE,
)
# Lines are matched a chunk at a time: one call for many lines, without a list of all of them.
_CHUNK = 1 << 20


def _text(double: str) -> str:
    """The text of a double-quoted scalar without escapes, as _LINE found it with its quotes."""
    if len(double) > MAX_SCALAR_LENGTH + 2:
        raise _NotPlain
    return double[1:-1]


def _lines(text: str) -> Iterator[tuple[str, str, str, str, str, str, str]]:
    """The parts of each line, as _LINE finds them ('' for a part that is not there)."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start + _CHUNK)
        stop = end if stop < 0 else stop
        yield from _LINE.findall(text, start, stop)
        start = stop + 1


def _parse(text: str, claim_starts: list[int] | None = None) -> dict[str, Any]:
    """The data of the text; each claim's first line is added to `claim_starts` when it is given."""
    reader = _Reader()
    plain = reader.plain
    root: dict[str, Any] = {}
    # Open block collections, innermost last: [indent, container, pending key of a mapping].
    # A pending key is one written as `key:` alone, whose value starts on a later line.
    stack: list[list[Any]] = [[0, root, None]]
    top = stack[0]
    started = False
    # _LINE matches every line once, blank ones too, so the count of matches is the line number.
    for number, (spaces, dash, key_text, word, double, pairs, other) in enumerate(_lines(text), 1):
        if not (dash or key_text or word or double or pairs) and (not other or other[0] == "#"):
            continue  # blank or comment
        indent = len(spaces)
        if not started:
            if indent or dash or not key_text:
                raise _NotPlain
            started = True
        pending = top[2]
        if pending is not None:
            top[2] = None
            # A sequence may sit at the indent of the key that holds it.
            if indent > top[0] or (indent == top[0] and dash):
                if len(stack) > MAX_DEPTH:
                    raise _NotPlain
                child: Any = [] if dash else {}
                top[1][pending] = child
                top = [indent, child, None]
                stack.append(top)
        if indent != top[0]:
            while indent < stack[-1][0]:
                stack.pop()
            top = stack[-1]
        if not dash and indent == top[0] and type(top[1]) is list:
            stack.pop()
            top = stack[-1]
        if indent != top[0]:
            raise _NotPlain
        container = top[1]
        if dash:
            if type(container) is not list:
                raise _NotPlain
            if claim_starts is not None and container is root.get("claims"):
                claim_starts.append(number)
            if not key_text:
                if word:
                    container.append(plain(word))
                elif double:
                    container.append(_text(double))
                elif pairs:
                    container.append(reader.mapping(pairs))
                elif not other or other[0] in "#-":
                    raise _NotPlain
                else:
                    container.append(reader.value(other, 0))
                continue
            # `- key: value` opens a mapping whose keys line up with this first one.
            if len(stack) > MAX_DEPTH:
                raise _NotPlain
            mapping: dict[str, Any] = {}
            container.append(mapping)
            top = [indent + len(dash), mapping, None]
            stack.append(top)
            container = mapping
        elif type(container) is not dict or not key_text:
            raise _NotPlain
        key = reader.key(key_text)
        if key in container:
            raise _NotPlain
        if word:
            container[key] = plain(word)
        elif double:
            container[key] = _text(double)
        elif pairs:
            container[key] = reader.mapping(pairs)
        elif not other or other[0] == "#":
            top[2] = key
            container[key] = None
        else:
            container[key] = reader.value(other, 0)
    if not started:
        raise _NotPlain
    return root
