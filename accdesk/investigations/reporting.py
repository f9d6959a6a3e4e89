"""The reporting task: which annual misuse reports are due, overdue or sent.

The report for year Y becomes due on January 1 of Y+1 and must reach DOJ by
February 1 of Y+1; after that day it is overdue until the ACC records the date it
was sent (domain brief §2.1: reporting late is a common failure, EFF 2015). Dates
are calendar dates in the agency's time zone (``agency.today()``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Min

from accdesk.agency.models import Agency
from accdesk.investigations.models import AnnualReport
from accdesk.investigations.report import build_report, display, due_date

SENT, DUE, OVERDUE, IN_PROGRESS = "sent", "due", "overdue", "in_progress"


@dataclass(frozen=True)
class ReportStatus:
    year: int
    due_on: dt.date
    state: str  # SENT, DUE, OVERDUE, or IN_PROGRESS for the current year
    sent: AnnualReport | None = None

    @property
    def is_open(self) -> bool:
        """An open reporting task: the year is over and the report not sent."""
        return self.state in (DUE, OVERDUE)


def first_reporting_year(agency: Agency, today: dt.date) -> int:
    """The previous year's report is always owed; earlier years are owed from the
    year of the agency's first recorded case or report (zero-case years included).
    """
    first_case = agency.misuse_cases.aggregate(first=Min("opened_on"))["first"]
    first_report = agency.misuse_reports.aggregate(first=Min("year"))["first"]
    years = [today.year - 1, first_report, first_case.year if first_case else None]
    return min(year for year in years if year is not None)


def report_statuses(agency: Agency, today: dt.date) -> list[ReportStatus]:
    """Every reporting year, newest (the current, unfinished year) first."""
    sent = {report.year: report for report in agency.misuse_reports.all()}
    return [
        _status(year, today, sent.get(year))
        for year in range(today.year, first_reporting_year(agency, today) - 1, -1)
    ]


def status_of(agency: Agency, year: int, today: dt.date) -> ReportStatus:
    return _status(year, today, agency.misuse_reports.filter(year=year).first())


def _status(year: int, today: dt.date, sent: AnnualReport | None) -> ReportStatus:
    due_on = due_date(year)
    if sent is not None:
        state = SENT
    elif year >= today.year:
        state = IN_PROGRESS
    else:
        state = OVERDUE if today > due_on else DUE
    return ReportStatus(year, due_on, state, sent)


def report_context(agency: Agency, year: int, today: dt.date) -> dict[str, Any]:
    """What the report page and its PDF show (one template for both)."""
    report = build_report(agency, year)
    status = status_of(agency, year, today)
    return {
        "agency": agency,
        "report": report,
        "status": status,
        # What DOJ received differs from the cases as they stand now.
        "changed_since_sent": status.sent is not None and status.sent.content != report,
        "prepared_on": today,
        **display(report),
    }


@transaction.atomic
def record_sent(
    agency: Agency, year: int, *, sent_on: dt.date, by: Any = None, how: str = ""
) -> AnnualReport:
    """Record that the report for ``year`` was sent: closes the reporting task and
    keeps the report as it was sent."""
    return AnnualReport.objects.create(
        agency=agency,
        year=year,
        sent_on=sent_on,
        sent_by=by,
        sent_how=how,
        content=build_report(agency, year),
    )
