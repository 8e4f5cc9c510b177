"""The layers of the package: a lower one never imports a higher one, at the top or inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "reconcile"
#: From the bottom up; a module may import its own layer and those below it.
LAYERS = ["errors", "model", "io", "analysis", "output", "cli"]


def layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "reconcile" or len(parts) < 2:
        return None
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def test_no_layer_imports_a_higher_one() -> None:
    found = []
    for path in PACKAGE.rglob("*.py"):
        module = "reconcile." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        own = layer(module)
        if own is None:
            continue  # the package's own __init__ and __main__ stand above every layer
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = layer(node.module)
                if imported is not None and imported > own:
                    found.append(f"{module} imports {node.module}")
    assert found == []


def test_every_module_belongs_to_a_layer() -> None:
    tops = {p.name for p in PACKAGE.iterdir() if not p.name.startswith("_") and p.name != "py.typed"}
    assert tops <= {"errors.py", *LAYERS, "data", "seeds"}
