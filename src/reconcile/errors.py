"""Exceptions the library raises for problems a user can fix; the CLI turns them into messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def clip(text: str, width: int = 60) -> str:
    """`text` cut to `width` characters, so a hostile value cannot flood a message."""
    return text if len(text) <= width else text[: width - 3] + "..."


def _names(names: list[str], width: int = 200) -> str:
    """Names for a message, each clipped and the list cut short: a dataset may define thousands."""
    return clip(", ".join(clip(name) for name in names), width) or "(none)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, located as precisely as the input allows."""

    file: Path
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ReconcileError(Exception):
    """A problem with the user's input or request; the CLI prints it and exits 1."""


class DatasetError(ReconcileError):
    """The dataset (or a file read like it) could not be read or is not valid; carries every problem found."""

    def __init__(self, problems: list[Problem], *, what: str = "the dataset") -> None:
        self.problems = problems
        self.what = what  # the file for people: "the dataset", "the spreadsheet", "the alias table"
        super().__init__("\n".join(str(p) for p in problems))

    def about(self, what: str) -> DatasetError:
        """The same problems, said of another kind of file than the dataset."""
        return DatasetError(self.problems, what=what)


class SettingError(ReconcileError):
    """An environment variable holds a value the tool cannot use."""


def closest(name: str, names: dict[str, str], count: int = 3) -> list[str]:
    """The ids whose id, name or alias (the keys of `names`, each mapped to its id) is closest to `name`."""
    from difflib import get_close_matches

    folded = {key.casefold(): value for key, value in names.items()}
    found = get_close_matches(name.casefold()[:200], list(folded), n=count * 3, cutoff=0.6)
    return list(dict.fromkeys(folded[key] for key in found))[:count]


class UnknownNameError(ReconcileError):
    """A metric, group, subject or source named on the command line does not exist.

    `spelled` maps every way of writing a known thing (its id, name, short name, aliases) to its
    id, for the "did you mean" of the message; by default the ids of `known`.
    """

    def __init__(self, kind: str, name: str, known: list[str], spelled: dict[str, str] | None = None) -> None:
        self.kind, self.name, self.known = kind, name, known
        self.suggestions = closest(name, spelled if spelled is not None else {k: k for k in known})
        said = f"unknown {kind} {clip(repr(name))}"
        if self.suggestions:
            said += f"; did you mean {' or '.join(self.suggestions)}? Known: {_names(known)}"
        else:
            said += f"; known: {_names(known)}"
        super().__init__(said)


class AmbiguousNameError(ReconcileError):
    """A name fragment matches more than one thing."""

    def __init__(self, kind: str, name: str, candidates: list[str]) -> None:
        self.kind, self.name, self.candidates = kind, name, candidates
        super().__init__(f"{kind} {clip(repr(name))} is ambiguous; it matches: {_names(candidates)}")


class OutputError(ReconcileError):
    """A result could not be written where the user asked."""


class SpreadsheetError(ReconcileError):
    """A spreadsheet cannot be imported as a whole: a required column is missing, or an option is wrong."""


class SameSourceError(ReconcileError):
    """Both sides of a diff name the same source."""


class MissingExtraError(ReconcileError):
    """A command needs an optional dependency that is not installed."""
