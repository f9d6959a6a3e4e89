"""The validations' dated duties for the "What's due" registry.

- ``validation_due``: each list's open validations, due ``list_date`` + 30 days
  (California: 30 days from DOJ's notice, LASD MPP 5-07/130.10); one deadline per
  list and database, overdue from day 31.
- ``ori_validation_due``: the yearly ORI validation (brief §3.2), a year after the
  last one; never done: due today.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accdesk.agency.models import Agency
from accdesk.lib.deadlines import Deadline, status_on
from accdesk.validations import oris, rules

VALIDATION_DUE = "validation_due"
ORI_VALIDATION_DUE = "ori_validation_due"


def deadlines(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
    today = agency.today()
    url = reverse("validations:worklist", kwargs={"ori": agency.ori})
    found = [
        Deadline(
            date=group.due,
            kind=VALIDATION_DUE,
            title=f"Validate {len(group.records)} {group.database} record"
            f"{'s' if len(group.records) != 1 else ''} of the "
            f"{group.list_date:%Y-%m-%d} list",
            subject=f"{group.database} list {group.list_date:%Y-%m-%d}",
            status=status_on(group.due, today),
            source="LASD MPP 5-07/130.10 (30 days from DOJ's notice)",
            url=url,
        )
        for group in rules.worklist(agency, today)
        if start <= group.due <= end
    ]
    due, last = oris.next_due(agency)
    if start <= due <= end:
        found.append(
            Deadline(
                date=due,
                kind=ORI_VALIDATION_DUE,
                title="Yearly ORI validation: compare the NCIC ORI record with the "
                "agency profile",
                subject=agency.ori,
                status=status_on(due, today, can_be_overdue=last is not None),
                source="NCIC Operating Manual, ORI File §1.7",
                url=reverse("validations:ori", kwargs={"ori": agency.ori}),
            )
        )
    return found
