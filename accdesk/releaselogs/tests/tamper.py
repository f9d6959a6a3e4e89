"""Changes made behind the app's back, with raw SQL: what the chain must catch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, models

from accdesk.releaselogs.models import PurgeCertificate, ReleaseLogEntry
from accdesk.testing import behind_the_triggers


def _sql_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def update(model: type[models.Model], pk: int, **values: Any) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in values)
    with behind_the_triggers(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {columns} WHERE id = %s",
            [*map(_sql_value, values.values()), pk],
        )


def delete(model: type[models.Model], pk: int) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with behind_the_triggers(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])


def insert_copy(entry: ReleaseLogEntry, **overrides: Any) -> None:
    """Insert a row like ``entry`` (a forger copying a real row), changed as told."""
    row = ReleaseLogEntry.objects.filter(pk=entry.pk).values().get()
    row.pop("id")
    row.update(overrides)
    table = connection.ops.quote_name(ReleaseLogEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in row)
    marks = ", ".join(["%s"] * len(row))
    with behind_the_triggers(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",
            [_sql_value(v) for v in row.values()],
        )


def delete_entry(entry: ReleaseLogEntry) -> None:
    delete(ReleaseLogEntry, entry.pk)


def update_entry(entry: ReleaseLogEntry, **values: Any) -> None:
    update(ReleaseLogEntry, entry.pk, **values)


def update_certificate(certificate: PurgeCertificate, **values: Any) -> None:
    update(PurgeCertificate, certificate.pk, **values)
