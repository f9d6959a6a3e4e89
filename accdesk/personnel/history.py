"""The dated history of a person's access changes (issue 12 §2): a change of unit
(a transfer), role level, access level or supervisor, whichever way it was made --
a hand edit, the annual account review, or an import that changes the value.

A transfer or a change of role level opens an access review (``ACCESS_REVIEW_DUE``
in ``eligibility.py``) until the ACC records it. Changes are created one by one
through the ORM, so the change record and anything listening to saves see them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from accdesk.agency.models import Agency
from accdesk.core.actor import current_actor
from accdesk.personnel.models import AccessChange, Person, SystemAccount

# Person fields whose change is kept, and the kind of change each is.
PERSON_FIELDS = {
    "unit": AccessChange.Change.UNIT,
    "role_level": AccessChange.Change.ROLE_LEVEL,
    "supervisor_employee_id": AccessChange.Change.SUPERVISOR,
}


def person_values(agency: Agency, employee_ids: Iterable[str]) -> dict[str, dict]:
    """The tracked fields of these people as stored now, by employee ID."""
    rows = Person.objects.filter(agency=agency, employee_id__in=list(employee_ids))
    return {
        row["employee_id"]: row
        for row in rows.values("employee_id", "pk", *PERSON_FIELDS)
    }


def record_person_changes(
    agency: Agency,
    before: dict[str, dict],
    *,
    on: dt.date,
    by: str = "",
    note: str = "",
) -> list[AccessChange]:
    """Keep each tracked field that differs from ``before`` (as read by
    ``person_values`` before the change) as an access change dated ``on``."""
    after = person_values(agency, before)
    made = []
    for emp, old in before.items():
        new = after.get(emp)
        if new is None:
            continue
        for name, change in PERSON_FIELDS.items():
            if old[name] != new[name]:
                made.append(
                    AccessChange.objects.create(
                        agency=agency,
                        person_id=new["pk"],
                        changed_on=on,
                        change=change,
                        old_value=old[name],
                        new_value=new[name],
                        note=note,
                        recorded_by=by or current_actor().label,
                    )
                )
    return made


def account_levels(agency: Agency, operator_ids: Iterable[str]) -> dict[str, str]:
    return dict(
        SystemAccount.objects.filter(
            agency=agency, operator_id__in=list(operator_ids)
        ).values_list("operator_id", "access_level")
    )


def record_level_changes(
    agency: Agency,
    before: dict[str, str],
    *,
    on: dt.date,
    by: str = "",
    note: str = "",
) -> list[AccessChange]:
    """Keep each account whose access level differs from ``before`` (operator ID
    -> level, ``account_levels`` before the change) in its person's history."""
    made = []
    accounts = SystemAccount.objects.filter(agency=agency, operator_id__in=list(before))
    people = {
        p.employee_id: p
        for p in Person.objects.filter(
            agency=agency, employee_id__in=[a.employee_id for a in accounts]
        )
    }
    for account in accounts:
        old = before[account.operator_id]
        person = people.get(account.employee_id)
        if person is not None and old != account.access_level:
            made.append(
                AccessChange.objects.create(
                    agency=agency,
                    person=person,
                    changed_on=on,
                    change=AccessChange.Change.ACCESS_LEVEL,
                    operator_id=account.operator_id,
                    old_value=old,
                    new_value=account.access_level,
                    note=note,
                    recorded_by=by or current_actor().label,
                )
            )
    return made
