"""The JSON Schema of the dataset format: draft-07, fully described, and the committed copy current."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reconcile.cli.app import app
from reconcile.errors import OutputError
from reconcile.io import atomic
from reconcile.io.jsonschema import DRAFT_07, dataset_schema, dataset_schema_json

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "schema" / "estimates.schema.json"
REGENERATE = "regenerate it with: reconcile schema -o schema/estimates.schema.json"
#: Where the shipped dataset's modeline points, relative to data/estimates.yaml.
MODELINE = "# yaml-language-server: $schema=../schema/estimates.schema.json"


def undescribed_fields(schema: dict[str, Any]) -> list[str]:
    """Paths of properties in the schema that have no description, e.g. 'Claim.value'."""
    missing = []
    owners = {"(top level)": schema, **schema.get("definitions", {})}
    for owner, definition in owners.items():
        for name, prop in definition.get("properties", {}).items():
            if not prop.get("description"):
                missing.append(f"{owner}.{name}")
    return missing


def walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [found for item in node for found in walk(item)]
    if isinstance(node, dict):
        return [node, *(found for value in node.values() for found in walk(value))]
    return []


def test_committed_schema_is_the_generated_one() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == dataset_schema_json(), REGENERATE


def test_schema_is_draft_07() -> None:
    schema = dataset_schema()
    assert schema["$schema"] == DRAFT_07
    nodes = walk(schema)
    assert not [n for n in nodes if "$defs" in n or "discriminator" in n]
    refs = [n["$ref"] for n in nodes if "$ref" in n]
    assert refs and all(
        r.startswith("#/definitions/") and r.split("/")[-1] in schema["definitions"] for r in refs
    )
    # Draft-07 ignores every keyword beside $ref, so a description there would be lost.
    assert not [n for n in nodes if "$ref" in n and len(n) > 1]


def test_every_field_has_a_description() -> None:
    assert undescribed_fields(dataset_schema()) == []


def test_undescribed_fields_finds_a_missing_description() -> None:
    schema = {
        "properties": {"a": {"type": "string"}},
        "definitions": {"X": {"properties": {"b": {"description": "b"}, "c": {}}}},
    }
    assert undescribed_fields(schema) == ["(top level).a", "X.c"]


def test_identifier_keys_are_checked_by_name() -> None:
    metrics = dataset_schema()["properties"]["metrics"]
    assert metrics["propertyNames"]["pattern"] == "^[a-z0-9][a-z0-9_.-]*$"
    assert metrics["additionalProperties"] == {"$ref": "#/definitions/Metric"}
    assert "patternProperties" not in metrics


def test_field_description_survives_beside_a_reference() -> None:
    precision = dataset_schema()["definitions"]["Claim"]["properties"]["precision"]
    assert precision == {
        "allOf": [{"$ref": "#/definitions/Precision"}],
        "default": "day",
        "description": "How exactly `date` is known.",
    }


def test_shipped_dataset_points_editors_at_the_committed_schema(shipped: Path) -> None:
    first = shipped.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE
    target = (shipped.parent / first.split("$schema=", 1)[1]).resolve()
    if shipped.resolve().parent == ROOT / "data":
        assert target == COMMITTED


def test_cli_prints_the_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == dataset_schema()


def test_cli_writes_the_schema_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    result = CliRunner().invoke(app, ["schema", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == dataset_schema_json()


def test_cli_reports_an_unwritable_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["schema", "-o", str(tmp_path / "missing" / "s.json")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {tmp_path / 'missing' / 's.json'}")


def test_atomic_write_replaces_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old", encoding="utf-8")
    atomic.write_text(out, "new ✓")
    assert out.read_text(encoding="utf-8") == "new ✓"
    assert os.listdir(tmp_path) == ["out.txt"]
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_atomic_write_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old", encoding="utf-8")

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError, match="No space left on device"):
        atomic.write_text(out, "new")
    assert out.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.txt"]
