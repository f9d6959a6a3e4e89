"""The change record's deadline: the weekly audit-log review (CJISSECPOL v5.9.5
AU-6), owned by the SPOC (the ACC when there is none). Each week not yet covered by
a review is listed, due the Monday after it ends."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accdesk.agency.contacts import contact_email
from accdesk.agency.models import Agency
from accdesk.changes.reviews import weeks
from accdesk.lib.deadlines import Deadline, status_on

SOURCE = "CJISSECPOL v5.9.5 AU-6: audit records reviewed weekly"


def audit_log_review(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
    today = agency.today()
    owner = contact_email(agency, "spoc")
    url = reverse("changes:reviews", kwargs={"ori": agency.ori})
    # A week's review becomes a duty when the week begins (later weeks are not
    # listed yet); it is listed by its due date, the Monday after.
    until = min(today, end - dt.timedelta(days=7))
    return [
        Deadline(
            date=week.due_on,
            kind="audit_log_review",
            title=f"Review the change record for the week of {week.monday:%b %-d}",
            subject=f"Week of {week.monday:%Y-%m-%d}",
            status=status_on(week.due_on, today),
            source=SOURCE,
            url=url,
            owner=owner,
        )
        for week in weeks(agency, until)
        if week.review is None and start <= week.due_on <= end
    ]
