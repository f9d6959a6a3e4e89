"""Demo validations of the Lakemont Police Department (fictional records, dated
from today): last month's list, partly validated, with some records overdue; this
month's list, just arrived; a record whose master case was not located; entry
checks and hit confirmations (one URGENT answered late); a yearly ORI validation
that found the phone number out of date on DOJ's record."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accdesk.agency.models import Agency, Membership, Role
from accdesk.validations import oris
from accdesk.validations.models import (
    EntryCheck,
    HitConfirmation,
    ListedRecord,
    Result,
)

# (database, record_id, record_file, days before the list it was entered)
LAST_MONTH = [
    ("WPS", "W260000101", "wanted_person", 75, "Felony warrant, case 26-000481"),
    ("WPS", "W260000102", "wanted_person", 70, "Misdemeanor warrant, case 26-000502"),
    ("SVS", "V260000201", "stolen_vehicle", 80, "2019 sedan, plate 8ABC123"),
    ("SVS", "V260000202", "stolen_vehicle", 65, "2021 pickup, plate 9XYZ456"),
    ("AFS", "F260000301", "gun", 88, "Handgun reported stolen, case 26-000377"),
    (
        "CARPOS",
        "R260000401",
        "protection_order",
        62,
        "Protective order, case 26-FL-0088",
    ),
    ("MUPS", "M260000501", "missing_person", 61, "Missing adult, case 26-000610"),
]
THIS_MONTH = [
    ("WPS", "W260000111", "wanted_person", 70, "Felony warrant, case 26-000655"),
    ("APS", "P260000601", "article", 68, "Laptop, serial LKM-44821"),
    ("SVS", "V260000211", "stolen_vehicle", 72, "2018 motorcycle, plate 2MC4455"),
]


def _users(agency: Agency) -> tuple[object, object]:
    acc = Membership.objects.filter(agency=agency, role=Role.ACC).first()
    spoc = Membership.objects.filter(agency=agency, role=Role.SPOC).first()
    return acc.user, (spoc or acc).user


def load(agency: Agency, today: dt.date) -> None:
    if ListedRecord.objects.filter(agency=agency).exists():
        return
    acc, spoc = _users(agency)
    last_list = today - dt.timedelta(days=40)  # its 30 days ran out 10 days ago
    this_list = today - dt.timedelta(days=5)
    for list_date, rows in ((last_list, LAST_MONTH), (this_list, THIS_MONTH)):
        for database, record_id, record_file, entered, description in rows:
            ListedRecord.objects.create(
                agency=agency,
                database=database,
                record_id=record_id,
                record_file=record_file,
                entered_date=list_date - dt.timedelta(days=entered),
                list_date=list_date,
                description=description,
                entered_by="Records Unit",
            )
    done = {
        "W260000101": (Result.VALIDATED, True),
        "V260000201": (Result.VALIDATED, True),
        "F260000301": (Result.MODIFIED, True),
        "W260000102": (Result.CANCELLED, False),  # master case purged: cancel
    }
    for record_id, (result, located) in done.items():
        record = ListedRecord.objects.get(agency=agency, record_id=record_id)
        record.sources = ["complainant", "court"] if located else ["court"]
        record.contact_notes = (
            "Demo: contact made by phone."
            if located
            else ("Demo: master case file not found in the records room.")
        )
        record.result = result
        record.master_case_located = located
        record.validated_by = acc
        record.validated_on = last_list + dt.timedelta(days=12)
        if located:
            record.second_party_by = spoc
            record.second_party_on = last_list + dt.timedelta(days=14)
        record.save()
    _quality(agency, today)
    oris.validate(
        agency,
        {**oris.profile_values(agency), "phone": "(555) 010-4000"},
        today - dt.timedelta(days=20),
        "Maria Alvarez",
        "Demo: DOJ's ORI record still has the old switchboard number.",
    )


def _quality(agency: Agency, today: dt.date) -> None:
    checks = [
        ("WPS", "W260000111", "entry", None, -30, "Clerk Ames", "Clerk Bell"),
        ("SVS", "V260000211", "entry", None, -25, "Clerk Bell", ""),
        ("SVS", "V260000202", "locate", -12, -12, "Clerk Ames", "Clerk Bell"),
        ("WPS", "W260000102", "cancel", -9, -6, "Clerk Bell", "Clerk Ames"),
    ]
    for database, record_id, kind, needed, done, by, checker in checks:
        EntryCheck.objects.create(
            agency=agency,
            database=database,
            record_id=record_id,
            kind=kind,
            needed_on=today + dt.timedelta(days=needed) if needed is not None else None,
            done_on=today + dt.timedelta(days=done),
            done_by=by,
            second_party_by=checker,
            second_party_on=today + dt.timedelta(days=done) if checker else None,
        )
    now = timezone.now()
    hits = [
        ("WPS", "W260000101", "urgent", 3, 8),
        ("SVS", "V260000201", "urgent", 2, 14),  # late: 14 minutes
        ("SVS", "V260000202", "routine", 1, 45),
    ]
    for database, record_id, priority, days_ago, minutes in hits:
        asked = now - dt.timedelta(days=days_ago)
        HitConfirmation.objects.create(
            agency=agency,
            database=database,
            record_id=record_id,
            requesting_ori="CA0990100",
            priority=priority,
            requested_at=asked,
            responded_at=asked + dt.timedelta(minutes=minutes),
            responded_by="Dispatch",
        )
