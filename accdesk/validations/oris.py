"""The yearly ORI validation (brief §3.2; NCIC ORI File §1.7 "Validation").

The ACC compares what the NCIC ORI record holds (name, address, phone, agency head,
ORI type full/limited) with the agency profile in ACC Desk. Each difference is a
correction DOJ must make to the ORI record, so a mismatch puts it on the agency's
open Notify-DOJ task, like the other agency changes (``agency/notices.py``): what
DOJ holds, and what it should hold (the profile). Due yearly [I: the ORI chapter's
validation interval was not found; the NCIC validations are yearly].
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from accdesk.agency import notices
from accdesk.agency.models import Agency, Designation
from accdesk.validations.models import OriValidation

FIELDS = {
    "name": "Agency name",
    "address": "Agency address",
    "phone": "Agency telephone",
    "agency_head": "Agency head",
    "ori_type": "ORI type",
}


def profile_values(agency: Agency) -> dict[str, str]:
    head = agency.designations.filter(
        kind=Designation.Kind.AGENCY_HEAD, ends_on__isnull=True
    ).first()
    return {
        "name": agency.name,
        "address": agency.address,
        "phone": agency.phone,
        "agency_head": head.name if head else "",
        "ori_type": agency.ori_access,
    }


def _same(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.replace(",", " ").split()).casefold()

    return norm(a) == norm(b)


def compare(agency: Agency, record: dict[str, str]) -> list[dict[str, str]]:
    """The fields where the ORI record differs from the profile (spacing, commas
    and letter case aside)."""
    profile = profile_values(agency)
    return [
        {"field": f, "label": label, "record": record[f], "profile": profile[f]}
        for f, label in FIELDS.items()
        if not _same(record[f], profile[f])
    ]


@transaction.atomic
def validate(
    agency: Agency, record: dict[str, Any], validated_on: dt.date, by: str, notes: str
) -> OriValidation:
    """Record one ORI validation; a mismatch opens (or joins) a Notify-DOJ task."""
    mismatches = compare(agency, record)
    notice = None
    if mismatches:
        notice = notices.report(
            agency,
            [
                notices.Change(
                    f"ori_record_{m['field']}",
                    f"NCIC ORI record: {m['label']}",
                    m["record"],
                    m["profile"],
                    validated_on,
                )
                for m in mismatches
            ],
        )
    return OriValidation.objects.create(
        agency=agency,
        validated_on=validated_on,
        mismatches=mismatches,
        notice=notice,
        validated_by=by,
        notes=notes,
        **{f: record[f] for f in FIELDS},
    )


def next_due(agency: Agency) -> tuple[dt.date, OriValidation | None]:
    """A year after the last ORI validation; today when there was none."""
    last = agency.ori_validations.first()
    if last is None:
        return agency.today(), None
    day = last.validated_on
    try:
        return day.replace(year=day.year + 1), last
    except ValueError:
        return day.replace(year=day.year + 1, day=28), last
