"""The investigations app's deadlines: the annual misuse report to DOJ.

The report for year Y is due February 1 of Y+1 (training deck, "IB 18-07-CJIS";
domain brief §2.1) and stays open until the ACC records that it was sent
(``reporting.report_statuses`` decides which years are owed: one place for the rule).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accdesk.agency.models import Agency
from accdesk.investigations.reporting import SENT, report_statuses
from accdesk.lib.deadlines import Deadline, status_on

SOURCE = "DOJ IB 18-07-CJIS: misuse investigations reported every February 1"


def misuse_report(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
    today = agency.today()
    return [
        Deadline(
            date=status.due_on,
            kind="misuse_report",
            title=f"Misuse report for {status.year} to DOJ",
            subject=f"{status.year} report",
            status=status_on(status.due_on, today),
            source=SOURCE,
            url=reverse(
                "investigations:report", kwargs={"ori": agency.ori, "year": status.year}
            ),
        )
        for status in reversed(report_statuses(agency, today))
        if status.state != SENT and start <= status.due_on <= end
    ]
