"""Demo release-log entries: fictional agencies, people, terminals and subjects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accdesk.agency.models import Agency
from accdesk.releaselogs.chain import append
from accdesk.releaselogs.models import Method, ReleaseLogEntry
from accdesk.releaselogs.verification import verify

DA = {
    "requesting_agency": "Lakemont County District Attorney",
    "requesting_ori": "CA0990013",
    "receiving_terminal": "LKDA03",
}
PROBATION = {
    "requesting_agency": "Lakemont County Probation",
    "requesting_ori": "CA099015Y",
    "receiving_terminal": "LKPR01",
}
COURT = {
    "requesting_agency": "Lakemont Superior Court",
    "requesting_ori": "CA099025J",
    "receiving_terminal": "LKSC02",
}

# (days ago, hour, minute, recipient, fields); the first is past retention.
ENTRIES: list[tuple[int, int, int, dict[str, str], dict[str, Any]]] = [
    (
        3 * 365 + 40,
        10,
        15,
        COURT,
        {
            "requestor_name": "Clerk R. Fenwick",
            "information": "CII rap sheet – TESTER, SAMPLE, CII A00000001",
            "method": Method.MAIL,
            "purpose": "Sentencing report, PC 11105(b)(3)",
            "case_number": "LK-CR-0001",
            "released_by": "Robert Kim",
        },
    ),
    (
        45,
        9,
        5,
        DA,
        {
            "requestor_name": "DDA Priya Natarajan",
            "information": "CII rap sheet – EXAMPLE, JORDAN, CII A00000002",
            "method": Method.ELECTRONIC,
            "purpose": "Filing decision, PC 11105(b)(2)",
            "case_number": "LK-24-1187",
            "released_by": "Maria Alvarez",
        },
    ),
    (
        20,
        14,
        40,
        PROBATION,
        {
            "requestor_name": "PO Marcus Bell",
            "information": "III record – PLACEHOLDER, CASEY, FBI 000000AA0",
            "method": Method.FAX,
            "purpose": "Pre-sentence investigation, PC 11105(b)(4)",
            "case_number": "LK-PR-5531",
            "released_by": "Maria Alvarez",
        },
    ),
    (
        6,
        11,
        30,
        DA,
        {
            "requestor_name": "Inv. Hannah Cho",
            "information": "CII rap sheet – SPECIMEN, ALEX, CII A00000003",
            "method": Method.IN_PERSON,
            "purpose": "Prosecution, PC 11105(b)(2)",
            "case_number": "LK-24-1302",
            "released_by": "Kevin Osei",
        },
    ),
]


def load(agency: Agency, today: dt.date) -> None:
    if ReleaseLogEntry.objects.filter(agency=agency).exists():
        return
    entries = []
    for days_ago, hour, minute, recipient, fields in ENTRIES:
        released_at = dt.datetime.combine(
            today - dt.timedelta(days=days_ago), dt.time(hour, minute), agency.tz
        )
        entry = ReleaseLogEntry(
            agency=agency,
            released_at=released_at,
            requesting_terminal="LKPD01",
            **recipient,
            **fields,
        )
        entries.append(append(entry))
    # The clerk typed the wrong case number on the probation release.
    wrong = entries[2]
    append(
        wrong.correction(
            "Case number digits transposed (5531 → 5513).", case_number="LK-PR-5513"
        )
    )
    verify(agency)
