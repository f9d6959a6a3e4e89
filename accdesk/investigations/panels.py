from __future__ import annotations

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.investigations.reporting import report_statuses
from accdesk.lib.panels import Panel


def misuse_report(request: AgencyRequest) -> Panel | None:
    """The annual misuse report to DOJ: due from January 1, overdue after
    February 1, until the ACC records that it was sent."""
    if not may(request, "investigations.view"):
        return None
    statuses = report_statuses(request.agency, request.agency.today())
    return Panel(
        "investigations/_panel_report.html",
        {
            "open_reports": [s for s in reversed(statuses) if s.is_open],
            "last_sent": next((s for s in statuses if s.sent), None),
            "current": statuses[0],
            "open_cases": request.agency.misuse_cases.open().count(),
        },
    )
