"""The agreements' worklist reason (``settings.WORKLIST_SOURCES``, see
``personnel/sources.py``): an employee of a private vendor with access to CJI and no
FBI CJIS Security Addendum (HDC 0012) in force is to remediate (CJISSECPOL v5.9.5
§5.1.1.5), whatever accounts they hold."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from accdesk.agency.models import Agency
from accdesk.agreements.rules import missing_addenda
from accdesk.personnel.eligibility import ADDENDUM_MISSING, REMEDIATE, Reason


def addendum_missing(
    agency: Agency, as_of: dt.date, people: Q | None
) -> dict[str, list[Reason]]:
    return {
        person.employee_id: [
            Reason(
                ADDENDUM_MISSING,
                REMEDIATE,
                as_of,
                f"no HDC 0012 in force (private vendor {vendor.name})",
            )
        ]
        for person, vendor in missing_addenda(agency, as_of, people)
    }
