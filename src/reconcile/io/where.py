"""Where the dataset is, and where its documents may be read from.

The dataset is the file --data or RECONCILE_DATA names; else the one of the folder the command runs
in, found the way git finds `.git`: in this folder or the nearest one above it, a CONFIG file that
names it, or `estimates.yaml`, or `data/estimates.yaml`; else the one shipped with the program.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from reconcile.errors import OutputError, SettingError, clip
from reconcile.io.read import read_text


def default_path() -> Path:
    """The shipped dataset: inside the installed package, or in the source tree."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "data" / "estimates.yaml"
    if packaged.is_file():
        return packaged
    return package.parent.parent / "data" / "estimates.yaml"


#: A file that names a folder's dataset: `data = "path/to/estimates.yaml"`, relative to the file.
CONFIG = ".reconcile.toml"
#: The dataset files a folder may hold, looked for in this order after CONFIG.
NAMES = ("estimates.yaml", "data/estimates.yaml")


def _configured(config: Path) -> Path:
    import tomllib  # only where a folder has a settings file

    try:
        named = tomllib.loads(read_text(config)).get("data")
    except tomllib.TOMLDecodeError as exc:
        raise SettingError(f'{config}: {exc}; write data = "path/to/estimates.yaml"') from None
    if not isinstance(named, str) or not named:
        raise SettingError(
            f'{config}: give the dataset as data = "path/to/estimates.yaml", got {clip(repr(named))}'
        )
    return config.parent / named


def discover(start: Path) -> Path | None:
    """The dataset of `start` or of the nearest folder above it that has one; None if none has."""
    for folder in (start, *start.parents):
        config = folder / CONFIG
        if config.is_file():
            return _configured(config)
        for name in NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def resolve_path(path: Path | None) -> Path:
    """The dataset to use: an explicit path, else RECONCILE_DATA, else the current folder's, else the
    shipped one."""
    if path is not None:
        return path
    env = os.environ.get("RECONCILE_DATA")
    if env:
        return Path(env)
    found = discover(Path.cwd())
    if found is None:
        return default_path()
    try:
        return found.relative_to(Path.cwd())  # as short as the user would write it
    except ValueError:
        return found


#: Set to 1 to let documents outside the dataset's folder be read (the --allow-outside option).
ALLOW_OUTSIDE = "RECONCILE_ALLOW_OUTSIDE"


#: A file beside the dataset that may name, relative to its folder, a wider folder for its documents
#: (the shipped dataset's says `..`, for the seeds beside its folder).
ROOT_SETTING = ".reconcile-documents"


def document_root(file: Path) -> Path:
    """The folder a dataset's documents must lie inside (symbolic links followed): its own, or the one
    its ROOT_SETTING file names."""
    folder = file.parent
    setting = folder / ROOT_SETTING
    if setting.is_file():
        named = read_text(setting).strip()
        if named:
            return (folder / named).resolve()
    return folder.resolve()


def documents_outside_allowed() -> bool:
    """Whether this run may read documents outside the dataset's folder."""
    return os.environ.get(ALLOW_OUTSIDE, "") not in ("", "0")


def refuse_unprintable_name(output: Path) -> None:
    """Refuse an output path holding a control character: the file could not be named back safely in a
    message or a shell, and a mistyped escape sequence is likelier than a wish for such a name."""
    bad = sorted({c for c in str(output) if unicodedata.category(c) in ("Cc", "Cf") and c != "\u200d"})
    if bad:
        codes = ", ".join(f"U+{ord(c):04X}" for c in bad[:5])
        raise OutputError(
            f"cannot write {clip(str(output), 200)}: the name holds a control character ({codes}); "
            "choose a name of printable characters"
        )


def refuse_to_replace(output: Path, inputs: Iterable[tuple[Path, str]], *, force: bool) -> None:
    """Refuse to write `output` over one of the command's inputs (the dataset, a document it cites,
    a spreadsheet being imported) unless `force`: one mistyped -o would destroy the data.

    Each input comes with what it is, for the message. The same file is found whatever the path
    says: through symbolic links, `..` or a second hard link.
    """
    if force or not output.exists():
        return
    for path, what in inputs:
        try:
            same = os.path.samefile(output, path)
        except OSError:
            continue  # an input that is not there cannot be written over
        if same:
            named = "" if output == path else f" ({path})"
            raise OutputError(
                f"{output} is {what}{named}; refusing to write over it: give --force to replace it"
            )


def dataset_inputs(file: Path, documents: Iterable[str | None]) -> list[tuple[Path, str]]:
    """The dataset file and the documents it cites (their `file` fields), for refuse_to_replace."""
    inputs = [(file, "the dataset")]
    inputs += [(file.parent / name, "a document the dataset cites") for name in documents if name]
    return inputs


def shown_path(file: str | Path) -> str:
    """A path relative to the working directory when it lies below it, as typed paths are."""
    path = Path(file)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(file)
