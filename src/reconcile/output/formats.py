"""The export formats and views, apart from the exporters so the command line can offer them cheaply."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """A file format `reconcile export` writes; export.RENDERERS has one renderer for each."""

    csv = "csv"
    markdown = "markdown"
    latex = "latex"
    html = "html"
    json = "json"


class View(StrEnum):
    """What the rows of an export are: one per claim, one per comparison with its spread, or one per date of the estimate."""

    claims = "claims"
    summary = "summary"
    estimate = "estimate"
