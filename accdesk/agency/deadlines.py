"""The agency app's deadlines: open "Notify DOJ" tasks.

Training deck (ACC duties): tell DOJ's CLETS Administration Section of a change of
agency head, ACC, SPOC, telephone or address. No deadline is published (domain
brief §2.3), so an open notice is listed on the change date and is never overdue:
it stays due until the ACC records that it was sent.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accdesk.agency.models import Agency
from accdesk.lib.deadlines import Deadline, status_on

SOURCE = "DOJ ACC training: notify CAS of changes (no deadline published)"


def doj_notice(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
    today = agency.today()
    notices = agency.notices.open().filter(
        effective_on__gte=start, effective_on__lte=end
    )
    return [
        Deadline(
            date=notice.effective_on,
            kind="doj_notice",
            title="Notify DOJ: "
            + ", ".join(change["label"] for change in notice.changes),
            subject=f"Notice #{notice.pk}",
            status=status_on(notice.effective_on, today, can_be_overdue=False),
            source=SOURCE,
            url=reverse("agency:notice", kwargs={"ori": agency.ori, "pk": notice.pk}),
        )
        for notice in notices.order_by("effective_on", "pk")
    ]
