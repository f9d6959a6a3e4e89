"""Transactional imports: one bad row and nothing is written.

An ``ImportFormat`` describes one file format: its columns, its natural key, how
to parse a row (``parse``, raising ``CellError``, or ``RowErrors`` through
``tabular.Cells`` to name every bad column) and how to write the parsed rows
(``apply``, usually through ``upsert``). ``run_import`` reads the whole file,
reports every error it finds -- every bad field of every bad row, and what
``apply`` finds wrong with the good rows -- and writes only when there are none,
inside one transaction, which it rolls back for a dry run or a preview, so that a
preview shows exactly what the real import would do.

Used by the ``accdesk import ...`` style commands (``print_result``) and by the
upload pages (``agency/uploads.py``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandError, OutputWrapper
from django.db import DatabaseError, models, transaction

from accdesk.core.audit import Audited, record_changes, record_event
from accdesk.lib.exports import write_csv, write_xlsx
from accdesk.lib.tabular import (
    CellError,
    RowError,
    RowErrors,
    TableError,
    cell_problems,
    read_rows,
)

MAX_LISTED_CHANGES = 500
MAX_LISTED_ERRORS = 200  # on the upload page; the command line prints them all


class ImportAborted(Exception):
    """Raised by an ``apply`` that cannot go on (e.g. a key is missing); the import
    is rolled back and the message shown as an error about the whole file."""


@dataclass
class Row:
    number: int
    raw: dict[str, str]
    values: dict[str, Any]


@dataclass(frozen=True)
class Change:
    row: int
    action: str  # create / update / unchanged / note
    key: str
    fields: tuple[str, ...] = ()
    # For an update: (field, old, new) as text, for the preview (issue 10).
    diff: tuple[tuple[str, str, str], ...] = ()


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    format_name: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    applied: bool = False
    # Optional columns the file does not have: their stored values are kept.
    absent_columns: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str | None, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def count(
        self,
        row: int,
        action: str,
        key: str,
        fields: Sequence[str] = (),
        diff: Sequence[tuple[str, str, str]] = (),
    ) -> None:
        setattr(self, _COUNTERS[action], getattr(self, _COUNTERS[action]) + 1)
        if action != "unchanged" and len(self.changes) < MAX_LISTED_CHANGES:
            self.changes.append(Change(row, action, key, tuple(fields), tuple(diff)))

    @property
    def unlisted_changes(self) -> int:
        """Creates and updates counted but not listed in ``changes``."""
        return self.created + self.updated - len(self.changes)

    def summary(self) -> str:
        verb = "Imported" if self.applied else "Would import"
        if self.errors:
            return f"{len(self.errors)} error(s): nothing was imported."
        return (
            f"{verb} {self.rows} row(s): {self.created} new, {self.updated} "
            f"updated, {self.unchanged} unchanged."
        )


_COUNTERS = {"create": "created", "update": "updated", "unchanged": "unchanged"}


@dataclass(frozen=True)
class ImportFormat:
    """One importable file format."""

    name: str
    label: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    key: tuple[str, ...]  # parsed-value names that identify a record
    parse: Callable[[dict[str, str]], dict[str, Any]]
    apply: Callable[[Any, list[Row], ImportResult], None]  # (agency, rows, result)
    column_map: Mapping[str, str] = field(default_factory=dict)  # built-in synonyms
    # One example row, column by column, in the order of the template's header:
    # the upload pages offer it as a CSV and .xlsx template (issue 10).
    example: Mapping[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        """The template's header: the example's order, then any column it lacks."""
        listed = tuple(self.example)
        return listed + tuple(
            c for c in (*self.required, *self.optional) if c not in listed
        )


def run_import(
    fmt: ImportFormat,
    source: Path | IO[bytes],
    filename: str,
    agency: Any,
    *,
    dry_run: bool = False,
    column_map: Mapping[str, str] | None = None,
) -> ImportResult:
    result = ImportResult(fmt.name)
    # Reading and parsing happen before the transaction: a slow or hostile file
    # (a gzip bomb) is refused holding no lock.
    rows = _parse_rows(
        fmt, source, filename, {**fmt.column_map, **(column_map or {})}, result
    )
    if any(error.row == 0 for error in result.errors) or not rows:
        return result
    # Bad rows or not, ``apply`` runs over the good ones (rolled back) so that
    # what it finds wrong -- an unknown employee ID, a release already in the
    # log -- is reported together with the bad fields.
    parse_errors = not result.ok
    try:
        with transaction.atomic():
            fmt.apply(agency, rows, result)
            if result.errors or dry_run:
                transaction.set_rollback(True)
            else:
                result.applied = True
                record_event(
                    f"import.{fmt.name}",
                    agency_id=agency.pk,
                    message=f"{filename}: {result.summary()}",
                )
    except ImportAborted as exc:
        result.applied = False
        result.error(0, None, str(exc))
    except DatabaseError as exc:
        # A value the database refuses; the transaction was rolled back.
        result.applied = False
        result.error(0, None, f"The database refused the data: {exc}")
    if parse_errors:
        result.notes.clear()  # about an import that cannot happen
    result.errors.sort(key=lambda error: error.row)
    return result


def _parse_rows(
    fmt: ImportFormat,
    source: Path | IO[bytes],
    filename: str,
    column_map: Mapping[str, str],
    result: ImportResult,
) -> list[Row]:
    rows: list[Row] = []
    first_row_of: dict[tuple[Any, ...], int] = {}
    found: set[str] = set()
    try:
        for number, raw in read_rows(
            source,
            filename,
            required=fmt.required,
            optional=fmt.optional,
            column_map=column_map,
            found=found,
        ):
            result.rows += 1
            problems = cell_problems(raw)
            try:
                values = fmt.parse(raw)
            except RowErrors as exc:
                problems += exc.errors
            except CellError as exc:
                problems.append(exc)
            if problems:
                named: set[str | None] = set()
                for problem in problems:
                    # One message per column: a cell that could not be read is
                    # not also reported as blank.
                    if problem.column is None or problem.column not in named:
                        result.error(number, problem.column, problem.message)
                        named.add(problem.column)
                continue
            key = tuple(values[name] for name in fmt.key)
            if key in first_row_of:
                described = ", ".join(
                    f"{n}={v}" for n, v in zip(fmt.key, key, strict=True)
                )
                result.error(
                    number,
                    None,
                    f"the same record ({described}) is already in row "
                    f"{first_row_of[key]}",
                )
                continue
            first_row_of[key] = number
            rows.append(Row(number, raw, values))
    except TableError as exc:
        result.errors.append(exc.error)
    result.absent_columns = frozenset(fmt.optional) - found
    if result.ok and result.rows == 0:
        result.error(0, None, "The file has a header but no rows.")
    return rows


def upsert(
    model: type[Audited],
    agency: Any,
    rows: list[Row],
    result: ImportResult,
    *,
    key: Sequence[str],
    fields: Sequence[str],
    describe: Callable[[Row], str] | None = None,
    existing: models.QuerySet[Any] | None = None,
) -> dict[tuple[Any, ...], Audited]:
    """Create or update one record per row, matched on ``key`` within the agency.

    ``rows[i].values`` must hold every name in ``key`` and ``fields`` (attnames, e.g.
    ``person_id``). Writes in bulk and records every change in the change record
    (bulk writes bypass the signals). Returns the records by key.

    A field named after an optional column the file does not have is left alone:
    a roster export without ``supervisor_employee_id`` must not erase supervisors.
    """
    fields = [name for name in fields if name not in result.absent_columns]
    shown = _Shown(model)
    queryset = existing if existing is not None else model.objects.filter(agency=agency)
    by_key = {tuple(getattr(obj, k) for k in key): obj for obj in queryset}
    created: list[Audited] = []
    updated: list[tuple[Audited, dict[str, Any]]] = []
    changed_fields: set[str] = set()
    for row in rows:
        row_key = tuple(row.values[k] for k in key)
        label = describe(row) if describe else " / ".join(str(v) for v in row_key)
        obj = by_key.get(row_key)
        if obj is None:
            obj = model(agency=agency, **{k: row.values[k] for k in (*key, *fields)})
            by_key[row_key] = obj
            created.append(obj)
            result.count(row.number, "create", label)
            continue
        diff = [f for f in fields if getattr(obj, f) != row.values[f]]
        if not diff:
            result.count(row.number, "unchanged", label)
            continue
        before = obj.snapshot()
        listed = len(result.changes) < MAX_LISTED_CHANGES
        shown_diff = [
            (shown.name(f), shown(f, getattr(obj, f)), shown(f, row.values[f]))
            for f in (diff if listed else ())
        ]
        for name in diff:
            setattr(obj, name, row.values[name])
        updated.append((obj, before))
        changed_fields.update(diff)
        result.count(row.number, "update", label, diff, shown_diff)
    model.objects.bulk_create(created, batch_size=1000)
    if updated:
        model.objects.bulk_update(
            [obj for obj, _ in updated], sorted(changed_fields), batch_size=1000
        )
    record_changes(
        [(obj, "create", None) for obj in created]
        + [(obj, "update", before) for obj, before in updated],
        message=f"import {result.format_name}",
    )
    return by_key


class _Shown:
    """A stored value as the preview shows it: ``old -> new`` in the file's terms
    (dates ISO, yes/no, a person by name and employee ID rather than a key)."""

    def __init__(self, model: type[Audited]) -> None:
        self.model = model
        self.labels: dict[tuple[str, Any], str] = {}

    def name(self, attname: str) -> str:
        return self.model._meta.get_field(attname).name

    def __call__(self, attname: str, value: Any) -> str:
        if value is None or value == "":
            return "(blank)"
        model_field = self.model._meta.get_field(attname)
        if model_field.is_relation:
            key = (attname, value)
            if key not in self.labels:
                related = model_field.related_model._default_manager.filter(
                    pk=value
                ).first()
                self.labels[key] = str(related) if related else str(value)
            return self.labels[key]
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, (dt.date, Decimal)):
            return str(value)
        if isinstance(value, (list, tuple)):
            return ";".join(str(v) for v in value)
        return str(value)


def describe_change(change: Change) -> str:
    """``row 3: update E1 (last_name: Smith -> Smyth)``, for the command line."""
    detail = ", ".join(f"{f}: {old} -> {new}" for f, old, new in change.diff)
    if not detail and change.fields:
        detail = ", ".join(change.fields)
    return f"row {change.row}: {change.action} {change.key}" + (
        f" ({detail})" if detail else ""
    )


def print_result(result: ImportResult, stdout: OutputWrapper, *, verbose: bool) -> None:
    """Report an import on the command line; errors make the command fail (exit 1).
    Every error is printed (the upload page lists the first ``MAX_LISTED_ERRORS``)."""
    if result.errors:
        for error in result.errors:
            stdout.write(f"error: {error}")
        raise CommandError(result.summary())
    if verbose:
        for change in result.changes:
            stdout.write(describe_change(change))
        if result.unlisted_changes:
            stdout.write(f"... and {result.unlisted_changes} more change(s)")
    for note in result.notes:
        stdout.write(f"note: {note}")
    stdout.write(result.summary())


def template_csv(fmt: ImportFormat) -> bytes:
    """The format's header and example row as CSV. With a byte-order mark, so that
    Excel opens it as UTF-8 (the reader takes either)."""
    text = io.StringIO()
    text.write("\ufeff")
    write_csv(text, fmt.columns, [[fmt.example.get(c, "") for c in fmt.columns]])
    return text.getvalue().encode("utf-8")


def template_xlsx(fmt: ImportFormat) -> bytes:
    """The same as an .xlsx workbook; example dates are real date cells."""
    buffer = io.BytesIO()
    write_xlsx(
        buffer,
        fmt.columns,
        [[_xlsx_example(fmt.example.get(c, "")) for c in fmt.columns]],
    )
    return buffer.getvalue()


def _xlsx_example(text: str) -> Any:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else text
    except ValueError:
        return text
