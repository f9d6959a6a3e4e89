"""The inspection export: the log for a date range, as an inspector receives it
(11 CCR §707(c): "available for inspection"). CSV for the web page and the
``export`` command, and the context of the printable page / PDF.

The CSV holds the import columns first, so an export can be imported elsewhere,
then the chain fields an inspector needs to check it, then the chain's head at the
time of the export. The head is repeated on every row rather than written on a line
of its own: the importer ignores extra columns, but would read such a line as a bad
row. It is what ``verify --head`` takes to show later that nothing after it was cut
off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from accdesk.agency.models import Agency
from accdesk.core.audit import record_event
from accdesk.releaselogs.chain import Head, head
from accdesk.releaselogs.importer import COLUMNS
from accdesk.releaselogs.models import ChainCheck, EntryQuerySet, ReleaseLogEntry

CSV_HEADER = (
    "sequence",
    *COLUMNS,
    "corrects",
    "superseded_by",
    "correction_reason",
    "recorded_at",
    "recorded_by",
    "hash",
    # The chain's head when the file was made, and when that was: the same on
    # every row. ``verify --head <head_sequence>:<head_hash>`` checks it later.
    "head_sequence",
    "head_hash",
    "exported_at",
)


def entries_between(agency: Agency, first: dt.date, last: dt.date) -> EntryQuerySet:
    """Every entry released in the range, corrected ones included, oldest first."""
    return (
        ReleaseLogEntry.objects.filter(agency=agency)
        .released_between(first, last, agency.tz)
        .with_superseded_by()
        .order_by("released_at", "sequence")
    )


def _local(value: dt.datetime, tz: dt.tzinfo) -> str:
    return value.astimezone(tz).isoformat(timespec="seconds")


def csv_rows(agency: Agency, entries: EntryQuerySet) -> Iterator[list[Any]]:
    # The head is read first and entries appended after it are left out, so that
    # no row of the file lies beyond the head the file states.
    current: Head = head(agency)
    exported_at = _local(timezone.now(), agency.tz)
    entries = entries.filter(sequence__lte=current.sequence)
    for entry in entries.iterator(chunk_size=2000):
        row: list[Any] = [entry.sequence, _local(entry.released_at, agency.tz)]
        row += [getattr(entry, name) for name in COLUMNS[1:]]
        row += [
            entry.corrects_sequence,
            entry.superseded_by,
            entry.correction_reason,
            _local(entry.recorded_at, agency.tz),
            entry.recorded_by,
            entry.hash,
            current.sequence,
            current.hash,
            exported_at,
        ]
        yield row


def filename(agency: Agency, first: dt.date, last: dt.date, suffix: str) -> str:
    return f"release-log-{agency.ori}-{first:%Y%m%d}-{last:%Y%m%d}.{suffix}"


def document_context(agency: Agency, first: dt.date, last: dt.date) -> dict[str, Any]:
    """What the printable page and the PDF show."""
    return {
        "agency": agency,
        "first": first,
        "last": last,
        "entries": list(entries_between(agency, first, last)),
        "head": head(agency),
        "last_check": ChainCheck.objects.filter(agency=agency).first(),
        "generated_at": timezone.now(),
    }


def record_export(
    agency: Agency, what: str, first: dt.date, last: dt.date, count: int
) -> None:
    """Exports of the log are recorded in the change record (AU-2)."""
    record_event(
        "releaselog.export",
        agency_id=agency.pk,
        message=f"{what}: released {first:%Y-%m-%d} to {last:%Y-%m-%d}, "
        f"{count} entr{'y' if count == 1 else 'ies'}",
    )
