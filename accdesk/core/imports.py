"""Transactional imports: one bad row and nothing is written.

An ``ImportFormat`` describes one file format: its columns, its natural key, how
to parse a row (``parse``, raising ``CellError``) and how to write the parsed rows
(``apply``, usually through ``upsert``). ``run_import`` reads the whole file,
reports every row error it finds, and writes only when there are none -- inside one
transaction, which it rolls back for a dry run or a preview, so that a preview shows
exactly what the real import would do.

Used by the ``accdesk import ...`` style commands (``print_result``) and by the
upload pages (``agency/uploads.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandError, OutputWrapper
from django.db import DatabaseError, models, transaction

from accdesk.core.audit import Audited, record_changes, record_event
from accdesk.lib.tabular import CellError, RowError, TableError, check_cells, read_rows

MAX_LISTED_CHANGES = 500


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
        self, row: int, action: str, key: str, fields: Sequence[str] = ()
    ) -> None:
        setattr(self, _COUNTERS[action], getattr(self, _COUNTERS[action]) + 1)
        if action != "unchanged" and len(self.changes) < MAX_LISTED_CHANGES:
            self.changes.append(Change(row, action, key, tuple(fields)))

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
    rows = _parse_rows(
        fmt, source, filename, {**fmt.column_map, **(column_map or {})}, result
    )
    if not result.ok:
        return result
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
            try:
                check_cells(raw)
                values = fmt.parse(raw)
            except CellError as exc:
                result.error(number, exc.column, exc.message)
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
        for name in diff:
            setattr(obj, name, row.values[name])
        updated.append((obj, before))
        changed_fields.update(diff)
        result.count(row.number, "update", label, diff)
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


def print_result(result: ImportResult, stdout: OutputWrapper, *, verbose: bool) -> None:
    """Report an import on the command line; errors make the command fail (exit 1)."""
    if result.errors:
        for error in result.errors:
            stdout.write(f"error: {error}")
        raise CommandError(result.summary())
    if verbose:
        for change in result.changes:
            fields = f" ({', '.join(change.fields)})" if change.fields else ""
            stdout.write(f"row {change.row}: {change.action} {change.key}{fields}")
    for note in result.notes:
        stdout.write(f"note: {note}")
    stdout.write(result.summary())
