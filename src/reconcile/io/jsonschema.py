"""The dataset format as a JSON Schema (draft-07), for editors that validate and complete YAML."""

from __future__ import annotations

import json
from typing import Any

from reconcile.io.schema import Dataset

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

# OpenAPI's keyword, which draft-07 does not know; `oneOf` over the `kind` constants does its job.
_NOT_DRAFT_07 = ("discriminator",)


def dataset_schema() -> dict[str, Any]:
    """The JSON Schema of a dataset file, in draft-07, with a description on every field."""
    schema = _draft_07(Dataset.model_json_schema(mode="validation", ref_template="#/definitions/{model}"))
    definitions = schema.pop("definitions", {})
    head = {
        "$schema": DRAFT_07,
        "title": "reconcile dataset",
    }
    return {**head, **{k: v for k, v in schema.items() if k != "title"}, "definitions": definitions}


def dataset_schema_json() -> str:
    """The schema as the text of schema/estimates.schema.json: sorted keys, two-space indent."""
    return json.dumps(dataset_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _draft_07(node: Any) -> Any:
    """Rewrite pydantic's 2020-12 output into draft-07 terms, recursively."""
    if isinstance(node, list):
        return [_draft_07(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        ("definitions" if key == "$defs" else key): _draft_07(value)
        for key, value in node.items()
        if key not in _NOT_DRAFT_07
    }
    if "$ref" in out and len(out) > 1:
        # In draft-07 every keyword beside $ref is ignored, so the field's description and
        # default would be lost to editors; wrapping the reference keeps them.
        out = {"allOf": [{"$ref": out.pop("$ref")}], **out}
    patterns = out.get("patternProperties")
    if isinstance(patterns, dict) and len(patterns) == 1 and "propertyNames" in out:
        # A mapping keyed by identifiers: check the keys themselves, so that a key with a bad
        # name is an error in the editor rather than an entry the schema silently ignores.
        ((pattern, values),) = patterns.items()
        del out["patternProperties"]
        out["propertyNames"] = {**out["propertyNames"], "pattern": pattern}
        out["additionalProperties"] = values
    return out
