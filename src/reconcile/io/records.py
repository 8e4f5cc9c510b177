"""A cached dataset read back as plain objects, for a command that can answer without pydantic.

Each class stands for the model of reconcile.model.dataset with the same name, with the same attributes
and the same defaults for what the entry leaves out, and checks each field's type as strictly: a
value of the wrong type is a ValueError, and the caller reads the file as if there were no cache.
Importing pydantic and building its models takes longer than many commands on a small dataset;
for large ones the cache reads its entries through pydantic, which is the faster reader in bulk.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from datetime import date
from typing import Any, ClassVar, Self

from reconcile.io.cache import blocks, claims_of, part
from reconcile.model.terms import Precision, SourceKind, metrics_named, metrics_of

Reader = Callable[[Any], Any]
#: Field -> (how it is read, its default: a value, a function that makes one, or _REQUIRED).
Fields = dict[str, tuple[Reader, Any]]
_REQUIRED = object()


def _text(value: Any) -> str:
    if type(value) is not str:
        raise ValueError(f"not a string: {value!r}")
    return value


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise ValueError(f"not true or false: {value!r}")
    return value


def _number(value: Any) -> float:
    if type(value) not in (int, float):
        raise ValueError(f"not a number: {value!r}")
    return float(value)


def _day(value: Any) -> date:
    return date.fromisoformat(_text(value))


def _optional(read: Reader) -> Reader:
    return lambda value: None if value is None else read(value)


def _list(read: Reader) -> Reader:
    def list_of(value: Any) -> list[Any]:
        if type(value) is not list:
            raise ValueError(f"not a list: {value!r}")
        return [read(item) for item in value]

    return list_of


def _mapping(read: Reader) -> Reader:
    def mapping_of(value: Any) -> dict[str, Any]:
        if type(value) is not dict:
            raise ValueError(f"not a mapping: {value!r}")
        return {_text(key): read(item) for key, item in value.items()}

    return mapping_of


class Record:
    """A plain object with the fields FIELDS names."""

    __slots__ = ()
    FIELDS: ClassVar[Fields] = {}

    @classmethod
    def read(cls, data: Any) -> Self:
        if type(data) is not dict:
            raise ValueError(f"{cls.__name__}: not a mapping")
        unknown = data.keys() - cls.FIELDS.keys()
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown fields {sorted(unknown)}")
        record = cls.__new__(cls)
        for name, (read, default) in cls.FIELDS.items():
            if name in data:
                value = read(data[name])
            elif default is _REQUIRED:
                raise ValueError(f"{cls.__name__}: {name} is missing")
            else:
                value = default() if callable(default) else default
            object.__setattr__(record, name, value)
        return record

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.FIELDS)})"


class Metric(Record):
    __slots__ = ("description", "label", "unit")
    FIELDS: ClassVar[Fields] = {
        "label": (_text, _REQUIRED),
        "unit": (_text, _REQUIRED),
        "description": (_text, ""),
    }


class Subject(Record):
    __slots__ = ("name",)
    FIELDS: ClassVar[Fields] = {"name": (_text, _REQUIRED)}


class Source(Record):
    __slots__ = ("aliases", "country", "kind", "name", "notes", "party", "short")
    FIELDS: ClassVar[Fields] = {
        "name": (_text, _REQUIRED),
        "short": (_text, ""),
        "kind": (lambda v: SourceKind(_text(v)), _REQUIRED),
        "country": (_optional(_text), None),
        "party": (_flag, _REQUIRED),
        "aliases": (_list(_text), list),
        "notes": (_text, ""),
    }
    name: str
    short: str

    @property
    def label(self) -> str:
        return self.short or self.name


def _precision(value: Any) -> Precision:
    return Precision(_text(value))


class Document(Record):
    __slots__ = ("file", "notes", "outlet", "published", "published_precision", "title", "url")
    FIELDS: ClassVar[Fields] = {
        "file": (_optional(_text), None),
        "outlet": (_text, _REQUIRED),
        "title": (_text, _REQUIRED),
        "published": (_day, _REQUIRED),
        "published_precision": (_precision, Precision.day),
        "url": (_optional(_text), None),
        "notes": (_text, ""),
    }


class Wording(Record):
    __slots__ = ("approximate", "vague")
    FIELDS: ClassVar[Fields] = {"approximate": (_number, 0.10), "vague": (_mapping(_list(_number)), dict)}


class Value(Record):
    __slots__ = ("best", "high", "low", "relative_to", "stated")
    FIELDS: ClassVar[Fields] = {
        "stated": (_text, _REQUIRED),
        "low": (_optional(_number), None),
        "best": (_optional(_number), None),
        "high": (_optional(_number), None),
        "relative_to": (_optional(_text), None),
    }
    low: float | None
    best: float | None
    high: float | None

    @property
    def explicit(self) -> bool:
        return self.low is not None or self.best is not None or self.high is not None


class Interval(Record):
    __slots__ = ("best", "high", "low", "rule")
    FIELDS: ClassVar[Fields] = {
        "low": (_optional(_number), _REQUIRED),
        "best": (_number, _REQUIRED),
        "high": (_optional(_number), _REQUIRED),
        "rule": (_text, "explicit"),
    }


def _kind(name: str | int) -> Reader:
    def kind(value: Any) -> str | int:
        if type(value) is not type(name) or value != name:
            raise ValueError(f"not {name!r}: {value!r}")
        return name

    return kind


class Cumulative(Record):
    __slots__ = ("kind", "since")
    FIELDS: ClassVar[Fields] = {"kind": (_kind("cumulative"), _REQUIRED), "since": (_text, "")}


class Period(Record):
    __slots__ = ("description", "end", "kind", "start")
    FIELDS: ClassVar[Fields] = {
        "kind": (_kind("period"), _REQUIRED),
        "start": (_optional(_day), None),
        "end": (_optional(_day), None),
        "description": (_text, ""),
    }


class Incident(Record):
    __slots__ = ("description", "kind", "on")
    FIELDS: ClassVar[Fields] = {
        "kind": (_kind("incident"), _REQUIRED),
        "on": (_optional(_day), None),
        "description": (_text, ""),
    }


_SCOPES: dict[Any, type[Record]] = {"cumulative": Cumulative, "period": Period, "incident": Incident}


def _scope(value: Any) -> Record:
    scope = _SCOPES.get(value.get("kind") if type(value) is dict else None)
    if scope is None:
        raise ValueError(f"not a scope: {value!r}")
    return scope.read(value)


class Citation(Record):
    __slots__ = ("document", "quote")
    FIELDS: ClassVar[Fields] = {"document": (_text, _REQUIRED), "quote": (_text, _REQUIRED)}


class Claim(Record):
    __slots__ = (
        "citations",
        "date",
        "id",
        "interval",
        "metric",
        "notes",
        "place",
        "precision",
        "projection",
        "relay",
        "scope",
        "source",
        "subject",
        "value",
    )
    FIELDS: ClassVar[Fields] = {
        "id": (_text, _REQUIRED),
        "metric": (_text, _REQUIRED),
        "subject": (_text, _REQUIRED),
        "place": (_text, ""),
        "value": (Value.read, _REQUIRED),
        "scope": (_scope, _REQUIRED),
        "date": (_day, _REQUIRED),
        "precision": (_precision, Precision.day),
        "projection": (_flag, False),
        "source": (_text, _REQUIRED),
        "relay": (_list(_text), list),
        "citations": (_list(Citation.read), _REQUIRED),
        "notes": (_text, ""),
    }
    metric: str
    interval: Interval


class Dataset(Record):
    __slots__ = ("claims", "documents", "groups", "metrics", "sources", "subjects", "version", "wording")
    FIELDS: ClassVar[Fields] = {
        "version": (_kind(1), _REQUIRED),
        "wording": (Wording.read, lambda: Wording.read({})),
        "metrics": (_mapping(Metric.read), _REQUIRED),
        "groups": (_mapping(_list(_text)), dict),
        "subjects": (_mapping(Subject.read), _REQUIRED),
        "sources": (_mapping(Source.read), _REQUIRED),
        "documents": (_mapping(Document.read), dict),
        "claims": (_list(Claim.read), list),
    }
    metrics: dict[str, Metric]
    groups: dict[str, list[str]]
    claims: list[Claim]

    def metrics_of(self, name: str) -> list[str] | None:
        """The metrics a metric or group name stands for; None for a name that is neither."""
        return metrics_of(name, self.metrics, self.groups)


def revive(payload: bytes, header: dict[str, Any], names: Collection[str]) -> Dataset | None:
    """The dataset of a cache entry, with the claims of the metrics or groups `names` stand for.

    None when a name is neither a metric nor a group (the command then reports it as usual).
    Raises ValueError when the entry does not hold what its header says.
    """
    dataset = Dataset.read(json.loads(part(payload, header, "base")))
    wanted = metrics_named(names, dataset.metrics, dataset.groups)
    if wanted is None:
        return None
    intervals = _list(Interval.read)(json.loads(part(payload, header, "intervals")))
    placed: list[tuple[int, Claim]] = []
    for metric, size, block in blocks(payload, header, wanted):
        indices, claims, which = json.loads(block)
        for index, claim, number in claims_of(
            metric, size, (indices, _list(Claim.read)(claims), which), len(intervals)
        ):
            object.__setattr__(claim, "interval", intervals[number])
            placed.append((index, claim))
    placed.sort(key=lambda item: item[0])
    dataset.claims = [claim for _, claim in placed]
    return dataset
