"""Importing an existing release log (a spreadsheet or an older system's export).

Unlike the roster imports, this one never updates: every row becomes a new entry
appended to the chain, in order of release. A row that matches an entry already in
the log (same time, terminals, requestor and information) is an error, so importing
a file twice cannot double the log. One bad row and nothing is written
(``run_import``).

Every row becomes an ordinary entry: the ``corrects`` and ``superseded_by`` columns
of an inspection export are ignored like any other extra column, so a correction
imported elsewhere is no longer linked to the entry it corrects (docs/formats.md).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from accdesk.agency.models import Agency, normalize_ori, validate_ori
from accdesk.core.imports import ImportAborted, ImportFormat, ImportResult, Row
from accdesk.lib.env import ConfigurationError
from accdesk.lib.tabular import CellError, Cells, parse_choice, parse_text
from accdesk.releaselogs.chain import ChainBusy, append
from accdesk.releaselogs.models import CONTENT_FIELDS, Method, ReleaseLogEntry
from accdesk.releaselogs.retention import latest_purge_date
from accdesk.releaselogs.roster import RosterNames

COLUMNS = CONTENT_FIELDS  # the contract of issue 5, in this order
OPTIONAL = ("requesting_ori", "case_number")
# What makes a row "the same release" as an entry or an earlier row. The requestor is
# part of it: the same record sent over the same terminals at the same minute to two
# requestors is two releases.
IDENTITY = (
    "released_at",
    "requesting_terminal",
    "receiving_terminal",
    "requestor_name",
    "information",
)

METHODS = {
    **{code: code for code in Method.values},
    "in person": Method.IN_PERSON,
    "in-person": Method.IN_PERSON,
    "counter": Method.IN_PERSON,
    "e-mail": Method.EMAIL,
    "telephone": Method.PHONE,
    "teletype": Method.ELECTRONIC,
    "clets": Method.ELECTRONIC,
}
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def parse_released_at(values: dict[str, str], column: str) -> dt.datetime:
    """``YYYY-MM-DD HH:MM[:SS]`` in the agency's time zone, or ISO 8601 with an
    offset. A naive value is made aware in ``apply``, which knows the agency."""
    text = values[column]
    if not text:
        raise CellError(column, "a date and time is required (YYYY-MM-DD HH:MM)")
    if not _DATETIME.match(text):
        raise CellError(
            column,
            f"{text!r} is not a date and time in the form YYYY-MM-DD HH:MM "
            "(if the old log has no time, write 00:00)",
        )
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CellError(column, f"{text!r} is not a real date and time") from None


def parse(values: dict[str, str]) -> dict[str, Any]:
    field = ReleaseLogEntry._meta.get_field
    cells = Cells(values)
    parsed: dict[str, Any] = {"released_at": cells(parse_released_at, "released_at")}
    for name in COLUMNS[1:]:
        if name == "method":
            parsed[name] = cells(parse_choice, name, choices=METHODS)
            continue
        parsed[name] = cells(
            parse_text,
            name,
            required=name not in OPTIONAL,
            max_length=field(name).max_length,
        )

    def valid_ori() -> None:
        parsed["requesting_ori"] = ori = normalize_ori(parsed["requesting_ori"])
        if ori:
            try:
                validate_ori(ori)
            except ValidationError as exc:
                raise CellError("requesting_ori", exc.messages[0]) from None

    cells.check(("requesting_ori",), valid_ori)
    cells.done()
    return parsed


def apply(agency: Agency, rows: list[Row], result: ImportResult) -> None:
    """Append one entry per row, oldest release first."""
    now = timezone.now()
    for row in rows:
        released_at = row.values["released_at"]
        if timezone.is_naive(released_at):
            released_at = timezone.make_aware(released_at, agency.tz)
        row.values["released_at"] = released_at
        if released_at > now:
            result.error(row.number, "released_at", "is in the future")
        elif duplicate := _existing(agency, row.values):
            result.error(
                row.number,
                None,
                f"this release is already in the log as entry #{duplicate}",
            )
    if result.errors:
        return
    roster = RosterNames.of(agency)
    for row in sorted(rows, key=lambda r: (r.values["released_at"], r.number)):
        entry = ReleaseLogEntry(agency=agency, **row.values)
        try:
            append(entry, roster=roster)
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                result.error(row.number, column, " ".join(messages))
            continue
        except (ChainBusy, ConfigurationError) as exc:
            raise ImportAborted(str(exc)) from exc
        result.count(row.number, "create", _describe(entry))
    _note_old_entries(agency, rows, result)


def _existing(agency: Agency, values: dict[str, Any]) -> int | None:
    return (
        ReleaseLogEntry.objects.filter(
            agency=agency, **{name: values[name] for name in IDENTITY}
        )
        .values_list("sequence", flat=True)
        .first()
    )


def _describe(entry: ReleaseLogEntry) -> str:
    released = entry.released_at.astimezone(entry.agency.tz)
    return f"#{entry.sequence}: {released:%Y-%m-%d %H:%M} to {entry.requesting_agency}"


def _note_old_entries(agency: Agency, rows: list[Row], result: ImportResult) -> None:
    before = latest_purge_date(agency)
    old = sum(
        1
        for row in rows
        if row.values["released_at"].astimezone(agency.tz).date() < before
    )
    if old == 1:
        result.notes.append(
            f"1 entry was released before {before:%Y-%m-%d}: it is past the "
            "retention period and may be purged."
        )
    elif old:
        result.notes.append(
            f"{old} entries were released before {before:%Y-%m-%d}: they are past "
            "the retention period and may be purged."
        )


RELEASE_LOG = ImportFormat(
    name="releaselog",
    label="Third-party release log",
    required=tuple(c for c in COLUMNS if c not in OPTIONAL),
    optional=OPTIONAL,
    key=IDENTITY,
    parse=parse,
    apply=apply,
    example={
        "released_at": "2024-05-02 09:15",
        "requesting_terminal": "LKPD01",
        "receiving_terminal": "LKDA03",
        "requestor_name": "DDA Priya Natarajan",
        "requesting_agency": "Lakemont County District Attorney",
        "requesting_ori": "CA0990013",
        "information": "CII rap sheet – EXAMPLE, JORDAN, CII A00000002",
        "method": "fax",
        "purpose": "Filing decision, PC 11105(b)(2)",
        "case_number": "LK-24-1187",
        "released_by": "Maria Alvarez",
    },
)
