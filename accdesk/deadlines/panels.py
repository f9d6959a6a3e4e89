from __future__ import annotations

import datetime as dt

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.deadlines.registry import summarize
from accdesk.lib.panels import Panel

DAYS = 14
SHOWN = 8


def whats_due(request: AgencyRequest) -> Panel | None:
    """The next 14 days, and how many duties are overdue: the What's-due page's
    deadlines, counted (``summarize``), not listed."""
    if not may(request, "deadlines.view"):
        return None
    today = request.agency.today()
    summary = summarize(
        request.agency,
        today + dt.timedelta(days=DAYS),
        first=SHOWN,
        role=request.membership.role,
    )
    return Panel(
        "deadlines/_panel_due.html",
        {
            "overdue": summary.overdue,
            "soon": summary.first,
            "more": max(0, summary.ahead - SHOWN),
            "days": DAYS,
        },
    )
