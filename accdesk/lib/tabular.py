"""Reading CSV and .xlsx files that people export from HR, CLETS and DOJ systems.

Pure functions, no models. Column names are case-insensitive; extra columns are
ignored; every problem names the row and the column. Row numbers count data rows
from 1 (the header is not a row); messages also give the file line (row + 1), which
is what a spreadsheet shows.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from accdesk.lib.dates import parse_iso_date

SUPPORTED_SUFFIXES = (".csv", ".csv.gz", ".xlsx")


@dataclass(frozen=True)
class RowError:
    """One problem in an input file. ``row`` 0 means the file as a whole."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        where = f"row {self.row} (line {self.row + 1})"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class CellError(ValueError):
    """A value that cannot be used; raised by the ``parse_*`` helpers."""

    def __init__(self, column: str | None, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class TableError(Exception):
    """The file cannot be read at all (wrong type, missing columns, not UTF-8)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.error = RowError(0, None, message)


def normalize_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def parse_column_map(pairs: Iterable[str]) -> dict[str, str]:
    """``["Employee Number=employee_id", ...]`` (the ``--map old=new`` option)."""
    mapping = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise TableError(f"--map expects old=new, not {pair!r}")
        mapping[normalize_header(old)] = normalize_header(new)
    return mapping


def read_rows(
    source: Path | IO[bytes],
    filename: str,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    column_map: Mapping[str, str] | None = None,
    found: set[str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(row_number, {column: stripped text})`` for each non-blank row.

    Only the ``required`` and ``optional`` columns are returned; a missing optional
    column reads as "" (``found``, when given, receives the columns the header
    has). Raises ``TableError`` for problems with the whole file.
    """
    suffix = _suffix(filename)
    with ExitStack() as stack:
        raw = (
            stack.enter_context(source.open("rb"))
            if isinstance(source, Path)
            else source
        )
        if suffix == ".xlsx":
            header, body = _xlsx_rows(raw)
        else:
            if suffix == ".csv.gz":
                raw = gzip.GzipFile(fileobj=raw)
            header, body = _csv_rows(raw)
        columns = _resolve_header(header, required, optional, column_map or {})
        if found is not None:
            found.update(columns.values())
        wanted = [*required, *optional]
        for number, cells in enumerate(body, start=1):
            if not any(str(c).strip() for c in cells):
                continue
            values = {name: "" for name in wanted}
            for index, name in columns.items():
                values[name] = str(cells[index]).strip() if index < len(cells) else ""
            yield number, values


def _suffix(filename: str) -> str:
    lower = filename.lower()
    for suffix in SUPPORTED_SUFFIXES:
        if lower.endswith(suffix):
            return suffix
    raise TableError(
        f"{Path(filename).name or 'The file'} is not a CSV or Excel (.xlsx) file; "
        "save it as CSV (UTF-8) or .xlsx."
    )


def _csv_rows(raw: IO[bytes]) -> tuple[list[str], Iterator[list[str]]]:
    try:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        header = next(reader, None)
    except (UnicodeDecodeError, OSError, csv.Error) as exc:
        raise TableError(f"The file cannot be read as UTF-8 CSV: {exc}") from None
    if header is None:
        raise TableError("The file is empty: it needs a header row.")
    return header, _guard_csv(reader)


def _guard_csv(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    try:
        yield from reader
    except (UnicodeDecodeError, csv.Error) as exc:
        raise TableError(f"The file cannot be read as UTF-8 CSV: {exc}") from None


def _xlsx_rows(raw: IO[bytes]) -> tuple[list[str], Iterator[list[str]]]:
    from openpyxl import load_workbook  # only needed for .xlsx files

    try:
        book = load_workbook(raw, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise TableError(
            f"The file cannot be read as an Excel workbook: {exc}"
        ) from None
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise TableError("The first sheet is empty: it needs a header row.")
    return [_xlsx_text(c) for c in header], ([_xlsx_text(c) for c in r] for r in rows)


def _xlsx_text(cell: object) -> str:
    """Render a cell as the text a CSV export would hold. Excel stores every date as
    a date-time, so a date cell reads ``YYYY-MM-DDT00:00:00``; ``parse_date`` takes
    that, and a date-time column keeps its midnight."""
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _resolve_header(
    header: Sequence[str],
    required: Sequence[str],
    optional: Sequence[str],
    column_map: Mapping[str, str],
) -> dict[int, str]:
    """Map cell positions to wanted column names, or raise naming what is missing."""
    wanted = set(required) | set(optional)
    positions: dict[int, str] = {}
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        key = normalize_header(str(name))
        key = column_map.get(key, key)
        if key not in wanted:
            continue
        if key in seen:
            raise TableError(f"Column {key!r} appears twice in the header.")
        seen[key] = index
        positions[index] = key
    missing = [name for name in required if name not in seen]
    if missing:
        raise TableError(
            f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
            f"The header must have: {', '.join(required)}."
        )
    return positions


# -- Cell parsers: each raises CellError naming the column ---------------------------

# Control characters no log or roster needs; PostgreSQL refuses NUL outright.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_cells(values: Mapping[str, str]) -> None:
    """Refuse a row holding control characters (tab and line breaks are fine)."""
    for column, text in values.items():
        if CONTROL_CHARACTERS.search(text):
            raise CellError(column, "contains control characters")


_MIDNIGHT = re.compile(r"[T ]00:00(:00)?$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def parse_date(
    values: Mapping[str, str], column: str, *, required: bool = True
) -> dt.date | None:
    text = values.get(column, "")
    if not text:
        if required:
            raise CellError(column, "a date is required (YYYY-MM-DD)")
        return None
    try:
        return parse_iso_date(_MIDNIGHT.sub("", text))
    except ValueError as exc:
        raise CellError(column, str(exc)) from None


def parse_bool(
    values: Mapping[str, str], column: str, *, default: bool | None = None
) -> bool:
    text = values.get(column, "").lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    if text == "" and default is not None:
        return default
    raise CellError(column, f"{text!r} is not yes/no (yes/no, y/n, true/false, 1/0)")


def parse_choice(
    values: Mapping[str, str],
    column: str,
    choices: Mapping[str, str],
    *,
    required: bool = True,
) -> str:
    """Map an accepted spelling (case-insensitive) to its code."""
    text = values.get(column, "")
    if not text and not required:
        return ""
    code = choices.get(text.lower())
    if code is None:
        expected = ", ".join(sorted(set(choices.values())))
        raise CellError(column, f"unknown value {text!r}; expected one of: {expected}")
    return code


def parse_text(
    values: Mapping[str, str],
    column: str,
    *,
    required: bool = True,
    max_length: int | None = None,
) -> str:
    """Text with one kind of line break (spreadsheets write CRLF)."""
    text = values.get(column, "").replace("\r\n", "\n").replace("\r", "\n")
    if required and not text:
        raise CellError(column, "a value is required")
    if max_length is not None and len(text) > max_length:
        raise CellError(column, f"longer than {max_length} characters")
    return text


def parse_decimal(
    values: Mapping[str, str], column: str, *, required: bool = False
) -> Decimal | None:
    text = values.get(column, "").rstrip("%")
    if not text:
        if required:
            raise CellError(column, "a number is required")
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CellError(column, f"{text!r} is not a number") from None
