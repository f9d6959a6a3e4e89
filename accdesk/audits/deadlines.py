"""The audits' dated duties for the "What's due" registry.

- ``corrective_action_due``: an open corrective action of an audit finding, on its
  due date (overdue after it). Source: the finding's citation.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accdesk.agency.models import Agency
from accdesk.audits.models import CorrectiveAction
from accdesk.lib.deadlines import Deadline, status_on

CORRECTIVE_ACTION_DUE = "corrective_action_due"


def deadlines(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
    today = agency.today()
    rows = (
        CorrectiveAction.objects.filter(
            agency=agency, due_date__gte=start, due_date__lte=end
        )
        .exclude(status=CorrectiveAction.State.DONE)
        .select_related("finding__audit", "owner")
    )
    return [
        Deadline(
            date=a.due_date,
            kind=CORRECTIVE_ACTION_DUE,
            title=f"Corrective action for {a.finding.audit.title}: "
            f"{a.description[:80]}",
            subject=a.finding.audit.title,
            status=status_on(a.due_date, today),
            source=a.finding.citation or "Audit finding",
            url=reverse("audits:action", kwargs={"ori": agency.ori, "pk": a.pk}),
            owner=a.owner.email,
        )
        for a in rows.order_by("due_date", "id")
    ]
