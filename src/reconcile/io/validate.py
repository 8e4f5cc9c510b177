"""The schema's verdict on parsed YAML: the validated file, or every problem with its position."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reconcile.errors import Problem
from reconcile.io.problems import schema_problems
from reconcile.io.schema import Dataset
from reconcile.io.yamlsafe import Positions


@dataclass(frozen=True)
class Validated:
    """The schema's verdict: the dataset that passed (with claims that failed left out), and the problems.

    `claim_index` is each kept claim's index in the file when some were left out, and
    `unchecked_ids` the ids of those left out, so that references to them are not reported twice.
    `dataset` is None when something outside the claims failed.
    """

    dataset: Dataset | None
    problems: list[Problem] = field(default_factory=list)
    claim_index: list[int] | None = None
    unchecked_ids: frozenset[str] = frozenset()


def validate(data: dict[str, Any], file: Path, positions: Positions) -> Validated:
    """Validate parsed YAML against the schema, keeping what passed so the rest can still be checked."""
    try:
        return Validated(Dataset.model_validate(data))
    except ValidationError as exc:
        problems = schema_problems(exc, file, positions)
        partial = _without_bad_claims(data, exc)
        if partial is None:
            return Validated(None, problems)
        valid, kept, dropped = partial
        return Validated(valid, problems, kept, dropped)


def _without_bad_claims(
    data: dict[str, Any], exc: ValidationError
) -> tuple[Dataset, list[int], frozenset[str]] | None:
    """The dataset less the claims that failed validation, their indices kept, and their ids; None if
    anything outside a claim failed."""
    bad = set()
    for error in exc.errors():
        loc = error["loc"]
        if len(loc) < 2 or loc[0] != "claims" or not isinstance(loc[1], int):
            return None
        bad.add(loc[1])
    claims = data["claims"]
    kept = [i for i in range(len(claims)) if i not in bad]
    try:
        valid = Dataset.model_validate({**data, "claims": [claims[i] for i in kept]})
    except ValidationError:
        return None
    dropped = frozenset(
        claims[i]["id"] for i in bad if isinstance(claims[i], dict) and isinstance(claims[i].get("id"), str)
    )
    return valid, kept, dropped
