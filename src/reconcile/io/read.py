"""Reading a dataset's file: the first step of a load, before the cache or any parser sees it.

The text is refused, with its position where it has one, when the file is missing, a directory,
larger than the size limit, binary, or not UTF-8.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from pathlib import Path

from reconcile.errors import DatasetError, Problem, SettingError, clip

#: Files larger than this are refused before parsing; RECONCILE_MAX_BYTES overrides it.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
#: The largest RECONCILE_MAX_BYTES accepted (1 TiB): beyond it a size is a typing error.
LARGEST_MAX_BYTES = 1 << 40


def max_bytes() -> int:
    """The configured size limit in bytes."""
    raw = os.environ.get("RECONCILE_MAX_BYTES")
    if raw is None:
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:  # not a number, or more digits than int() reads
        value = -1
    if not 0 < value <= LARGEST_MAX_BYTES:
        raise SettingError(
            f"RECONCILE_MAX_BYTES must be a positive whole number of bytes, not {clip(repr(raw))}; "
            f"the largest accepted is {LARGEST_MAX_BYTES:,}"
        )
    return value


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, refusing what is missing, too large, binary or not UTF-8."""
    limit = max_bytes()

    def refuse(message: str, line: int | None = None, column: int | None = None) -> DatasetError:
        return DatasetError([Problem(path, line, column, "", message)])

    too_large = "is {:,} bytes; the limit is {:,} (set RECONCILE_MAX_BYTES to change it)"
    try:
        if path.is_dir():
            raise refuse("is a directory; give the path of a dataset file")
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise refuse(too_large.format(size, limit))
            # Read one byte past the limit: devices and pipes report no size.
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise refuse("no such file") from None
    except PermissionError:
        raise refuse("permission denied") from None
    except OSError as exc:
        raise refuse(f"cannot be read: {exc.strerror or exc}") from None
    except ValueError:
        raise refuse("is not a usable file name") from None
    if len(raw) > limit:
        raise refuse(f"is more than {limit:,} bytes, the limit (set RECONCILE_MAX_BYTES to change it)")
    return _decode(raw, refuse)


def _decode(raw: bytes, refuse: Callable[..., DatasetError]) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise refuse("is UTF-16 or UTF-32 text; save the file as UTF-8", 1, 1)
    body = raw.removeprefix(codecs.BOM_UTF8)

    def where(offset: int) -> tuple[int, int]:
        start = body.rfind(b"\n", 0, offset) + 1
        # Everything before `offset` decodes, so the column can be counted in characters.
        return body.count(b"\n", 0, offset) + 1, len(body[start:offset].decode("utf-8", "replace")) + 1

    if b"\x00" in body:
        raise refuse("contains a NUL byte; this is a binary file, not YAML text", *where(body.index(b"\x00")))
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(
            f"is not valid UTF-8 (byte 0x{body[exc.start]:02x}); save the file as UTF-8", *where(exc.start)
        ) from None
