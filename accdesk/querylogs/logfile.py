"""The query-log file format: its columns, and reading the header row.

Only the header (and, for files with unreadable rows, the positions of blank lines)
is read in Python; the rows themselves are read by DuckDB (``duck.py``).
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from accdesk.lib.tabular import normalize_header

COLUMNS = (
    "timestamp",
    "ori",
    "terminal",
    "operator_id",
    "message_key",
    "purpose_code",
    "attention",
    "rte",
    "case_number",
    "subject_name",
    "subject_dob",
)
GZIP_MAGIC = b"\x1f\x8b"


class LogFormatError(Exception):
    """The file cannot be audited at all (not CSV, missing columns, empty)."""


@dataclass(frozen=True)
class LogLayout:
    """Where each column is in a log file."""

    path: Path
    positions: dict[str, int]  # column -> 0-based position in the file
    width: int
    gzipped: bool
    # Lines end in CR alone (old Mac files): only DuckDB's reader splits them.
    cr_only: bool = False


def is_gzipped(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


@contextmanager
def open_text(path: Path) -> Iterator[IO[bytes]]:
    """The file's bytes, decompressed if it is gzip (whatever its name)."""
    with path.open("rb") as raw:
        if raw.read(2) == GZIP_MAGIC:
            raw.seek(0)
            with gzip.GzipFile(fileobj=raw) as unzipped:
                yield unzipped
        else:
            raw.seek(0)
            yield raw


HEADER_LIMIT = 1 << 16  # bytes: a header is a few hundred
_LINE_END = re.compile(rb"\r\n|\r|\n")  # as DuckDB: LF, CRLF or CR alone


def read_layout(path: Path, column_map: Mapping[str, str] | None = None) -> LogLayout:
    """Find the columns in the header. ``column_map`` maps the file's names to ours
    (``--map "Date Time=timestamp"``); names are case-insensitive."""
    column_map = column_map or {}
    try:
        # Only the header line is decoded here: a bad byte in a data row is that
        # row's problem, reported with its number by DuckDB, not the file's.
        with open_text(path) as raw:
            start = raw.read(HEADER_LIMIT)
        line = _LINE_END.split(start, maxsplit=1)[0].decode("utf-8-sig")
        header = next(csv.reader([line]), None)
    except (OSError, UnicodeDecodeError, csv.Error, EOFError) as exc:
        raise LogFormatError(f"The file cannot be read as UTF-8 CSV: {exc}") from None
    if not header:
        raise LogFormatError("The file is empty: it needs a header row.")
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        key = normalize_header(name)
        key = column_map.get(key, key)
        if key in COLUMNS:
            if key in positions:
                raise LogFormatError(f"Column {key!r} appears twice in the header.")
            positions[key] = index
    missing = [c for c in COLUMNS if c not in positions]
    if missing:
        raise LogFormatError(
            f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
            f"The header must have: {', '.join(COLUMNS)} (any order, any case; "
            "use --map to rename other columns)."
        )
    cr_only = bool(re.match(rb"[^\r\n]*\r(?!\n)", start))
    return LogLayout(path, positions, len(header), is_gzipped(path), cr_only)


def read_layout_as(layout: LogLayout, path: Path) -> LogLayout:
    """``layout`` for ``path``, a converted copy of its file (same columns)."""
    return replace(layout, path=path, gzipped=is_gzipped(path))


_BLANK_LINE = re.compile(rb"(?<=\n)\r?\n")


def blank_line_offsets(path: Path, before: int) -> list[int]:
    """Byte offsets of the empty lines that start before ``before``.

    DuckDB skips empty lines but counts them in the line numbers of unreadable rows;
    this lets ``duck.py`` number those rows as data rows, like every other row. The
    scan runs only for files that have unreadable rows, in C (``re``), not per row.
    """
    offsets: list[int] = []
    carry = b""
    base = 0
    with open_text(path) as raw:
        while base < before:
            block = raw.read(1 << 24)
            if not block:
                break
            data = carry + block
            start = base - len(carry)
            offsets.extend(start + m.start() for m in _BLANK_LINE.finditer(data))
            carry = data[-2:]
            base += len(block)
    return sorted({o for o in offsets if o < before})
