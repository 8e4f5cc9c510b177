"""The outcome of checking a dataset, as data: its counts when it is valid, every problem when not."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reconcile.errors import DatasetError
from reconcile.io.load import load
from reconcile.model.dataset import Dataset


@dataclass(frozen=True, slots=True, kw_only=True)
class ProblemView:
    """One problem, located as precisely as the input allows."""

    file: str
    line: int | None
    column: int | None
    field: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Validation:
    """What `reconcile validate` found."""

    file: str
    valid: bool
    claims: int = 0
    metrics: int = 0
    sources: int = 0
    documents: int = 0
    quotes_found: int = 0  # found verbatim in their archived documents
    quotes_unchecked: int = 0  # cited to documents without an archived file
    problems: list[ProblemView] = field(default_factory=list)


def summarise(file: Path, dataset: Dataset) -> Validation:
    """The counts of a dataset that loaded, so is valid."""
    archived = [dataset.documents[q.document].file is not None for c in dataset.claims for q in c.citations]
    return Validation(
        file=str(file),
        valid=True,
        claims=len(dataset.claims),
        metrics=len(dataset.metrics),
        sources=len(dataset.sources),
        documents=len(dataset.documents),
        quotes_found=archived.count(True),
        quotes_unchecked=archived.count(False),
    )


def validate_file(file: Path) -> Validation:
    """Validate a dataset file; its problems are the result, not an exception."""
    try:
        dataset = load(file)
    except DatasetError as exc:
        return Validation(
            file=str(file),
            valid=False,
            problems=[
                ProblemView(file=str(p.file), line=p.line, column=p.column, field=p.field, message=p.message)
                for p in exc.problems
            ],
        )
    return summarise(file, dataset)


def summary_line(result: Validation) -> str:
    """The one line `reconcile validate` prints for a valid dataset."""
    unchecked = (
        f", {result.quotes_unchecked} not checked (no archived file)" if result.quotes_unchecked else ""
    )
    return (
        f"{result.file}: valid: {result.claims} claims, {result.metrics} metrics, {result.sources} sources, "
        f"{result.documents} documents, {result.quotes_found} quotes found verbatim{unchecked}"
    )
