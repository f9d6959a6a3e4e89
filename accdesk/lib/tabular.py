"""Reading CSV and .xlsx files that people export from HR, CLETS and DOJ systems.

Pure functions, no models. Column names are case-insensitive; extra columns are
ignored; every problem names the row and the column. Row numbers count data rows
from 1 (the header is not a row); messages also give the file line (row + 1), which
is what a spreadsheet shows.

What a file may be (issue 10): CSV in UTF-8 (with or without a byte-order mark),
UTF-16 with a byte-order mark or Windows-1252 (``lib.encodings`` decides, once per
file), gzip-compressed CSV, or an .xlsx workbook whose formulas are read by their
saved values. What reading it may cost is bounded by ``ReadLimits`` (issue 11).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from accdesk.lib.dates import parse_file_date
from accdesk.lib.encodings import detect_encoding
from accdesk.lib.exports import spreadsheet_safe
from accdesk.lib.limits import LimitExceeded, guarded_gzip

SUPPORTED_SUFFIXES = (".csv", ".csv.gz", ".xlsx")
DATE_FORMATS = "YYYY-MM-DD or MM/DD/YYYY"


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


class RowErrors(ValueError):
    """Every bad value of one row (``Cells.done`` raises it)."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)


class TableError(Exception):
    """The file cannot be read at all (wrong type, missing columns, not text)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.error = RowError(0, None, message)


@dataclass(frozen=True)
class ReadLimits:
    """What reading one file may cost (issue 11 item 8); ``None``: no limit. Each
    refusal names the setting that changes it (docs/configuration.md)."""

    max_rows: int | None = None
    gzip_max_ratio: int | None = None
    gzip_max_bytes: int | None = None
    xlsx_max_cells: int | None = None

    @classmethod
    def from_settings(cls) -> ReadLimits:
        from django.conf import settings

        return cls(
            max_rows=settings.IMPORT_MAX_ROWS,
            gzip_max_ratio=settings.GZIP_MAX_RATIO,
            gzip_max_bytes=settings.GZIP_MAX_MB * 1024 * 1024,
            xlsx_max_cells=settings.XLSX_MAX_CELLS,
        )


# The setting behind each limit, for the messages.
_LIMIT_SETTING = {
    "max_rows": "ACCDESK_IMPORT_MAX_ROWS",
    "max_ratio": "ACCDESK_GZIP_MAX_RATIO",
    "max_bytes": "ACCDESK_GZIP_MAX_MB",
    "xlsx_max_cells": "ACCDESK_XLSX_MAX_CELLS",
}


def _over_limit(what: str, limit: str) -> TableError:
    return TableError(
        f"The file is refused: {what}. This server's limit is set by "
        f"{_LIMIT_SETTING[limit]} (see docs/configuration.md): split the file, or "
        "ask the administrator to raise it."
    )


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


class RowValues(dict[str, str]):
    """One row's text by column, with the problems found while reading it (a
    formula cell with no saved value) for ``cell_problems`` to report."""

    problems: tuple[CellError, ...] = ()


def read_rows(
    source: Path | IO[bytes],
    filename: str,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    column_map: Mapping[str, str] | None = None,
    found: set[str] | None = None,
    limits: ReadLimits | None = None,
) -> Iterator[tuple[int, RowValues]]:
    """Yield ``(row_number, {column: stripped text})`` for each non-blank row.

    ``source`` is a path or a seekable binary file (a CSV file is read twice: once
    to decide its encoding). Only the ``required`` and ``optional`` columns are
    returned; a missing optional column reads as "" (``found``, when given,
    receives the columns the header has). Raises ``TableError`` for problems with
    the whole file, including a limit of ``limits`` (default: the settings').
    """
    limits = limits if limits is not None else ReadLimits.from_settings()
    suffix = _suffix(filename)
    name = Path(filename).name or "The file"
    with ExitStack() as stack:
        raw = (
            stack.enter_context(source.open("rb"))
            if isinstance(source, Path)
            else source
        )
        if suffix == ".xlsx":
            header, body = _xlsx_rows(raw, limits)
        else:
            header, body = _csv_rows(raw, name, limits)
        columns = _resolve_header(header, required, optional, column_map or {})
        if found is not None:
            found.update(columns.values())
        wanted = [*required, *optional]
        count = 0
        for number, cells in enumerate(body, start=1):
            if not any(str(c).strip() for c in cells):
                continue
            count += 1
            if limits.max_rows is not None and count > limits.max_rows:
                raise _over_limit(
                    f"it has more than {limits.max_rows:,} rows", "max_rows"
                )
            values = RowValues.fromkeys(wanted, "")
            problems = []
            for index, column in columns.items():
                cell = cells[index] if index < len(cells) else ""
                if isinstance(cell, _UnsavedFormula):
                    problems.append(CellError(column, str(cell)))
                    continue
                values[column] = unquote_cell(str(cell)).strip()
            values.problems = tuple(problems)
            yield number, values


def unquote_cell(text: str) -> str:
    """Undo what ``exports.spreadsheet_safe`` does to a text cell that could run
    as a formula (issue 11 item 6): the one leading ``'`` it added is dropped, so
    that an exported release log (or any export) re-imports unchanged."""
    rest = text[1:]
    if text.startswith("'") and spreadsheet_safe([rest])[0] == text:
        return rest
    return text


def _suffix(filename: str) -> str:
    lower = filename.lower()
    for suffix in SUPPORTED_SUFFIXES:
        if lower.endswith(suffix):
            return suffix
    raise TableError(
        f"{Path(filename).name or 'The file'} is not a CSV or Excel (.xlsx) file; "
        "save it as CSV (UTF-8) or .xlsx."
    )


# -- CSV ------------------------------------------------------------------------------

_HEAD_BYTES = 64 * 1024
_CHUNK_BYTES = 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
# Files people upload by mistake, recognised by their first bytes.
_SIGNATURES = (
    (
        b"PK\x03\x04",
        "it is a zip archive, as an Excel .xlsx workbook is: upload a "
        "workbook under its .xlsx name, or save it as CSV",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "it is an old Excel .xls workbook: save it as .xlsx or CSV",
    ),
    (b"%PDF", "it is a PDF document"),
)
# Control characters no log or roster needs; PostgreSQL refuses NUL outright.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A text file holds few of them: more than this share of the first 64 KiB is binary
# (or UTF-16 without its byte-order mark, half of whose bytes are NUL).
_BINARY_SHARE = 0.05


def _csv_rows(
    raw: IO[bytes], name: str, limits: ReadLimits
) -> tuple[list[str], Iterator[list[str]]]:
    start = raw.tell()
    encoding = _decide_encoding(_decompressed(raw, start, limits), name)
    text = io.TextIOWrapper(
        _decompressed(raw, start, limits), encoding=encoding, newline=""
    )
    reader = csv.reader(text)
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, OSError, EOFError, csv.Error, LimitExceeded) as exc:
        raise _unreadable(exc, name, encoding) from None
    if header is None:
        raise TableError("The file is empty: it needs a header row.")
    return header, _guard_csv(reader, name, encoding)


def _decompressed(raw: IO[bytes], start: int, limits: ReadLimits) -> IO[bytes]:
    """The file's bytes from the start, decompressed when it is gzip (whatever its
    name says), within the gzip limits."""
    raw.seek(start)
    magic = raw.read(2)
    raw.seek(start)
    if magic != _GZIP_MAGIC:
        return raw
    if limits.gzip_max_bytes is None and limits.gzip_max_ratio is None:
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    return guarded_gzip(
        raw,
        max_ratio=limits.gzip_max_ratio or float("inf"),
        max_bytes=limits.gzip_max_bytes or 2**63,
    )


def _decide_encoding(stream: IO[bytes], name: str) -> str:
    """``detect_encoding`` decides from the head; a UTF-8 head is then checked to
    the end, because one Windows-1252 "ñ" on row 5,000 makes the whole file
    Windows-1252 (decided once per file, never row by row)."""
    try:
        head = stream.read(_HEAD_BYTES)
        encoding = detect_encoding(head)
        _refuse_binary(head, encoding, name)
        if encoding == "utf-8":
            decoder = codecs.getincrementaldecoder("utf-8")("strict")
            try:
                decoder.decode(head)
                for chunk in iter(lambda: stream.read(_CHUNK_BYTES), b""):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                encoding = "cp1252"
    except (OSError, EOFError, LimitExceeded) as exc:
        raise _unreadable(exc, name) from None
    return encoding


def file_encoding(stream: IO[bytes], name: str) -> str:
    """The encoding of a whole file (see ``_decide_encoding``), for readers other
    than ``read_rows`` (the query-log reader); ``TableError`` for a binary file."""
    return _decide_encoding(stream, name)


def refuse_binary(head: bytes, encoding: str, name: str) -> None:
    """``TableError`` with one clear sentence when ``head`` is not text."""
    _refuse_binary(head, encoding, name)


def _refuse_binary(head: bytes, encoding: str, name: str) -> None:
    """One clear sentence for a file that is not text, never a codec error."""
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise _not_text(name, what)
    try:
        text = codecs.getincrementaldecoder(encoding)("strict").decode(head)
    except UnicodeDecodeError as exc:
        raise _not_text(name, _bad_byte(exc, encoding)) from None
    controls = len(CONTROL_CHARACTERS.findall(text))
    if controls > 3 and controls > _BINARY_SHARE * len(text):
        raise _not_text(
            name,
            "it holds binary data (NUL and other control bytes); a UTF-16 text "
            "file needs its byte-order mark",
        )


_DECLARED = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16"}


def _bad_byte(exc: UnicodeDecodeError, encoding: str) -> str:
    byte = f"0x{exc.object[exc.start : exc.start + 1].hex().upper()}"
    if encoding in _DECLARED:
        return (
            f"it starts with the byte-order mark of {_DECLARED[encoding]}, but byte "
            f"{byte} is not {_DECLARED[encoding]} text"
        )
    return f"byte {byte} is not text in UTF-8 or Windows-1252"


def _not_text(name: str, why: str) -> TableError:
    return TableError(f"{name}: this is not a CSV text file: {why}.")


def _unreadable(exc: Exception, name: str, encoding: str = "") -> TableError:
    if isinstance(exc, LimitExceeded):
        return _over_limit(exc.message, exc.limit or "max_bytes")
    if isinstance(exc, UnicodeDecodeError):
        return _not_text(name, _bad_byte(exc, encoding))
    if isinstance(exc, (OSError, EOFError)):  # gzip.BadGzipFile is an OSError
        return TableError(f"{name} cannot be read as gzip: {exc}")
    return TableError(f"{name} cannot be read as CSV: {exc}")


def _guard_csv(
    reader: Iterator[list[str]], name: str, encoding: str
) -> Iterator[list[str]]:
    try:
        yield from reader
    except (UnicodeDecodeError, OSError, EOFError, csv.Error, LimitExceeded) as exc:
        raise _unreadable(exc, name, encoding) from None


# -- Excel ----------------------------------------------------------------------------


class _UnsavedFormula(str):
    """A formula cell with no saved value: ``read_rows`` makes it a cell error."""


def _xlsx_rows(
    raw: IO[bytes], limits: ReadLimits
) -> tuple[list[str], Iterator[list[Any]]]:
    from openpyxl import load_workbook  # only needed for .xlsx files

    start = raw.tell()
    try:
        archive = zipfile.ZipFile(raw)
        _check_parts(archive, limits)
        raw.seek(start)
        book = load_workbook(raw, read_only=True, data_only=True)
    except TableError:
        raise
    except zipfile.BadZipFile:
        raise TableError(
            "The file cannot be read as an Excel workbook: it is not a zip archive, "
            "as .xlsx files are (a CSV file must be named .csv)."
        ) from None
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise TableError(
            f"The file cannot be read as an Excel workbook: {exc}"
        ) from None
    sheet = book.worksheets[0]
    declared = (sheet.max_row or 0) * (sheet.max_column or 0)
    if limits.xlsx_max_cells is not None and declared > limits.xlsx_max_cells:
        raise _over_limit(
            f"its first sheet has {declared:,} cells, more than "
            f"{limits.xlsx_max_cells:,}",
            "xlsx_max_cells",
        )
    unsaved = _unsaved_formulas(archive, getattr(sheet, "_worksheet_path", ""))
    # The declared size may be wrong (some tools write "A1"): read what is there.
    sheet.reset_dimensions()
    rows = _xlsx_cells(sheet, unsaved, limits)
    header = next(rows, None)
    if header is None:
        raise TableError("The first sheet is empty: it needs a header row.")
    return [str(c) for c in header], rows


def _check_parts(archive: zipfile.ZipFile, limits: ReadLimits) -> None:
    """An .xlsx is a zip archive: its parts get the limits of a gzip file, before
    openpyxl expands any of them."""
    total = 0
    for part in archive.infolist():
        total += part.file_size
        if limits.gzip_max_bytes is not None and total > limits.gzip_max_bytes:
            raise _over_limit(
                f"the workbook expands to more than "
                f"{limits.gzip_max_bytes // (1024 * 1024):,} MiB",
                "max_bytes",
            )
        if (
            limits.gzip_max_ratio is not None
            and part.file_size > 1024 * 1024
            and part.file_size > limits.gzip_max_ratio * max(1, part.compress_size)
        ):
            raise _over_limit(
                f"a part of the workbook expands more than {limits.gzip_max_ratio} "
                "times its size (a compression bomb?)",
                "max_ratio",
            )


# A formula element in a sheet's XML, whatever namespace prefix the writer used.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _unsaved_formulas(archive: zipfile.ZipFile, path: str) -> set[tuple[int, int]]:
    """(row, column) of the cells holding a formula with no saved value.

    Excel saves each formula's result beside it, and openpyxl reads that result
    (``data_only``); a file written by a script and never opened in Excel has
    formulas without results, which would read as blanks. An empty text result is
    saved as type ``str`` with an empty value: that is a value. Most exports have
    no formulas at all, so the sheet is first searched for one."""
    if not path or not _has_formula(archive, path):
        return set()
    from openpyxl.utils.cell import coordinate_to_tuple

    unsaved = set()
    row_number = 0
    column = 0
    with archive.open(path) as source:
        for _, element in ElementTree.iterparse(source):
            tag = element.tag.rpartition("}")[2]
            if tag == "c":
                column += 1
                ref = element.get("r")
                if ref:
                    row_number, column = coordinate_to_tuple(ref)
                children = {child.tag.rpartition("}")[2]: child for child in element}
                if (
                    "f" in children
                    and not (children.get("v") is not None and children["v"].text)
                    and element.get("t") != "str"
                ):
                    unsaved.add((row_number, column))
            elif tag == "row":
                row_number = int(element.get("r") or row_number + 1)
                column = 0
                element.clear()
    return unsaved


def _has_formula(archive: zipfile.ZipFile, path: str) -> bool:
    tail = b""
    with archive.open(path) as source:
        for chunk in iter(lambda: source.read(_CHUNK_BYTES), b""):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _xlsx_cells(
    sheet: Any, unsaved: set[tuple[int, int]], limits: ReadLimits
) -> Iterator[list[Any]]:
    from openpyxl.utils import get_column_letter

    cells = 0
    for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells += len(row)
        if limits.xlsx_max_cells is not None and cells > limits.xlsx_max_cells:
            raise _over_limit(
                f"its first sheet has more than {limits.xlsx_max_cells:,} cells",
                "xlsx_max_cells",
            )
        values: list[Any] = []
        for column, cell in enumerate(row, start=1):
            if cell is None and (row_number, column) in unsaved:
                values.append(
                    _UnsavedFormula(
                        f"{sheet.title}!{get_column_letter(column)}{row_number} "
                        "holds a formula with no saved value: open and save the "
                        "file in Excel, or export CSV"
                    )
                )
            else:
                values.append(_xlsx_text(cell))
        yield values


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


def cell_problems(values: Mapping[str, str]) -> list[CellError]:
    """What is wrong with a row before any column is parsed: control characters
    (tab and line breaks are fine) and the problems met reading it."""
    problems = list(getattr(values, "problems", ()))
    for column, text in values.items():
        if CONTROL_CHARACTERS.search(text):
            problems.append(CellError(column, "contains control characters"))
    return problems


class Cells:
    """Parse one row column by column, keeping every bad value -- not only the
    first -- so that one fix-and-retry is enough (issue 10)::

        cells = Cells(raw)
        values = {"hire_date": cells(parse_date, "hire_date"), ...}
        cells.check(("hire_date", "separation_date"), lambda: ...)
        cells.done()  # raises RowErrors naming each bad column

    A value that fails to parse reads as ``None``; rules over several columns
    (``check``) are skipped when one of their columns is already bad.
    """

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values
        self.errors: list[CellError] = []

    def __call__(
        self, parse: Callable[..., Any], column: str, /, **options: Any
    ) -> Any:
        try:
            return parse(self.values, column, **options)
        except CellError as exc:
            self.errors.append(exc)
            return None

    def ok(self, *columns: str) -> bool:
        return not {e.column for e in self.errors} & set(columns)

    def check(self, columns: Sequence[str], rule: Callable[[], None]) -> None:
        if self.ok(*columns):
            try:
                rule()
            except CellError as exc:
                self.errors.append(exc)

    def done(self) -> None:
        if self.errors:
            raise RowErrors(self.errors)


_MIDNIGHT = re.compile(r"[T ]00:00(:00)?$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def parse_date(
    values: Mapping[str, str], column: str, *, required: bool = True
) -> dt.date | None:
    """A date column: ``YYYY-MM-DD``, or the US ``MM/DD/YYYY`` and ``M/D/YYYY``
    (never day first); an Excel date cell reads as ``YYYY-MM-DDT00:00:00``."""
    text = values.get(column, "")
    if not text:
        if required:
            raise CellError(column, f"a date is required ({DATE_FORMATS})")
        return None
    try:
        return parse_file_date(_MIDNIGHT.sub("", text))
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
