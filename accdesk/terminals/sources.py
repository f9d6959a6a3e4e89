"""The terminals app's worklist reason (``settings.WORKLIST_SOURCES``, see
``personnel/sources.py``): someone separated who still holds a key, combination or
badge is to remediate (``KEY_NOT_RETURNED``, CJISSECPOL v5.9.5 PE-3), whatever
accounts they hold."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from accdesk.agency.models import Agency
from accdesk.personnel.eligibility import KEY_NOT_RETURNED, REMEDIATE, Reason
from accdesk.terminals.rules import keys_not_returned


def key_not_returned(
    agency: Agency, as_of: dt.date, people: Q | None
) -> dict[str, list[Reason]]:
    found: dict[str, list[Reason]] = {}
    for holding in keys_not_returned(agency, as_of, people):
        found.setdefault(holding.person.employee_id, []).append(
            Reason(
                KEY_NOT_RETURNED,
                REMEDIATE,
                as_of,
                f"{holding.get_kind_display().lower()} “{holding.label}” issued",
                holding.issued_on,
            )
        )
    return found
