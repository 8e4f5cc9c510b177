"""What changed between two datasets, for the terminal and as Markdown for an update note."""

from __future__ import annotations

from datetime import date

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from reconcile.analysis.changes import Changes, ClaimBrief, Move
from reconcile.model.terms import number
from reconcile.output.escape import markdown as md
from reconcile.output.escape import terminal as safe


def _figures(low: float | None, best: float | None, high: float | None) -> str:
    if best is None:
        return "none"
    return f"{number(low, open_text='open')} / {number(best)} / {number(high, open_text='open')}"


def _as_of(day: date | None) -> str:
    return day.isoformat() if day else "undated"


def moved(move: Move) -> str:
    """An estimate's move in words: `1,000 / 1,100 / 1,200 (as of 2025-01-01) → ...; best +100`."""
    old = _figures(move.old_low, move.old_best, move.old_high)
    new = _figures(move.new_low, move.new_best, move.new_high)
    text = f"{old} (as of {_as_of(move.old_as_of)}) → {new} (as of {_as_of(move.new_as_of)})"
    if move.old_best is not None and move.new_best is not None:
        step = move.new_best - move.old_best
        text += f"; best {'+' if step >= 0 else '-'}{number(abs(step))}"
    return text


def _heading(changes: Changes) -> str:
    counts = (
        f"{len(changes.added)} added, {len(changes.removed)} removed, {len(changes.revised)} revised; "
        f"{len(changes.estimates)} estimate{'s' if len(changes.estimates) != 1 else ''} moved"
    )
    return f"Changes from {changes.old} to {changes.new}: {counts}"


def _table(title: str, *columns: str) -> Table:
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0)
    )
    for column in columns:
        table.add_column(column, no_wrap=column in ("Claim", "Date"))
    return table


def _claims(title: str, claims: list[ClaimBrief]) -> Table:
    table = _table(title, "Claim", "Metric", "Subject", "Date", "As stated", "Originator")
    for c in claims:
        table.add_row(*(safe(x) for x in (c.id, c.metric, c.subject, c.date.isoformat(), c.stated, c.source)))
    return table


def terminal(changes: Changes) -> RenderableType:
    parts: list[RenderableType] = [Text(safe(_heading(changes)), style="bold")]
    if changes.empty:
        parts.append(Text("The two datasets hold the same claims."))
    for title, claims in (("Added", changes.added), ("Removed", changes.removed)):
        if claims:
            parts += [Text(""), _claims(title, claims)]
    if changes.revised:
        table = _table("Revised", "Claim", "What", "Was", "Now")
        for revision in changes.revised:
            for change in revision.changes:
                table.add_row(*(safe(x) for x in (revision.claim.id, change.field, change.old, change.new)))
        parts += [Text(""), table]
    if changes.estimates:
        table = _table("Estimates (low / best / high)", "Metric", "Subject", "Method", "Moved")
        for move in changes.estimates:
            table.add_row(*(safe(x) for x in (move.label, move.subject_name, move.method, moved(move))))
        parts += [Text(""), table]
    return Group(*parts)


def _md_claims(title: str, claims: list[ClaimBrief]) -> list[str]:
    lines = [
        f"## {title}",
        "",
        "| Claim | Metric | Subject | Date | As stated | Originator |",
        "|---|---|---|---|---|---|",
    ]
    for c in claims:
        cells = (c.id, c.metric, c.subject, c.date.isoformat(), c.stated, c.source)
        lines.append("| " + " | ".join(md(x) for x in cells) + " |")
    return [*lines, ""]


def markdown(changes: Changes) -> str:
    """The changes as a Markdown note: a heading, then a table per kind of change; every cell escaped."""
    lines = [f"# {md(_heading(changes))}", ""]
    if changes.empty:
        lines += ["The two datasets hold the same claims.", ""]
    if changes.estimates:
        lines += [
            "## Estimates",
            "",
            "| Metric | Subject | Method | Low / best / high |",
            "|---|---|---|---|",
        ]
        for move in changes.estimates:
            cells = (move.label, move.subject_name, move.method, moved(move))
            lines.append("| " + " | ".join(md(x) for x in cells) + " |")
        lines.append("")
    for title, claims in (("Added", changes.added), ("Removed", changes.removed)):
        if claims:
            lines += _md_claims(title, claims)
    if changes.revised:
        lines += ["## Revised", "", "| Claim | What | Was | Now |", "|---|---|---|---|"]
        for revision in changes.revised:
            for change in revision.changes:
                cells = (revision.claim.id, change.field, change.old, change.new)
                lines.append("| " + " | ".join(md(x) for x in cells) + " |")
        lines.append("")
    return "\n".join(lines)
