"""Reconcile conflicting casualty and troop-strength estimates, with citations.

The library the command line is a thin layer over, for Python and notebooks:

    import reconcile
    data = reconcile.load()                  # the shipped dataset, or load(Path("my.yaml"))
    every = reconcile.Filters()              # or Filters(subject=..., sources=..., as_of=...)
    shown = reconcile.show(data, "killed", every)      # side-by-side claims and their spread
    found = reconcile.estimate(data, "killed", every)  # reconciled estimates, with their method
    pairs = reconcile.diff(data, "kr-nis", "ua-president", every)
    moved = reconcile.changes(reconcile.load(Path("last-week.yaml")), data)  # added, removed, revised
    table = reconcile.export(data, reconcile.View.claims, every)
    print(reconcile.render(table, reconcile.Format.markdown))

Every function returns plain dataclasses or structs. Names are imported on first use, so that
`import reconcile` costs nothing until one is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Dataset",
    "Filters",
    "Format",
    "ReconcileError",
    "View",
    "changes",
    "check",
    "diff",
    "estimate",
    "export",
    "load",
    "render",
    "show",
    "timeline",
]

#: Where each name of the library lives: (module, attribute).
_NAMES = {
    "Dataset": ("reconcile.model.dataset", "Dataset"),
    "Filters": ("reconcile.analysis.claims", "Filters"),
    "Format": ("reconcile.output.formats", "Format"),
    "View": ("reconcile.output.formats", "View"),
    "ReconcileError": ("reconcile.errors", "ReconcileError"),
    "load": ("reconcile.io.load", "load"),
    "show": ("reconcile.analysis.compare", "show"),
    "estimate": ("reconcile.analysis.estimate", "estimates"),
    "timeline": ("reconcile.analysis.timeline", "timeline"),
    "diff": ("reconcile.analysis.diff", "diff"),
    "check": ("reconcile.analysis.consistency", "check"),
    "changes": ("reconcile.analysis.changes", "changes"),
    "export": ("reconcile.output.export", "export"),
    "render": ("reconcile.output.export", "render"),
}

if TYPE_CHECKING:
    from reconcile.analysis.changes import changes
    from reconcile.analysis.claims import Filters
    from reconcile.analysis.compare import show
    from reconcile.analysis.consistency import check
    from reconcile.analysis.diff import diff
    from reconcile.analysis.estimate import estimates as estimate
    from reconcile.analysis.timeline import timeline
    from reconcile.errors import ReconcileError
    from reconcile.io.load import load
    from reconcile.model.dataset import Dataset
    from reconcile.output.export import export, render
    from reconcile.output.formats import Format, View


def __getattr__(name: str) -> Any:
    if name not in _NAMES:
        raise AttributeError(f"module 'reconcile' has no attribute {name!r}")
    from importlib import import_module

    module, attribute = _NAMES[name]
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
