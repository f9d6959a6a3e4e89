from __future__ import annotations

import datetime as dt

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.deadlines.registry import gather
from accdesk.lib.deadlines import OVERDUE
from accdesk.lib.panels import Panel

DAYS = 14
SHOWN = 8


def whats_due(request: AgencyRequest) -> Panel | None:
    """The next 14 days, and how many duties are overdue."""
    if not may(request, "deadlines.view"):
        return None
    today = request.agency.today()
    items = gather(
        request.agency,
        today,
        today + dt.timedelta(days=DAYS),
        role=request.membership.role,
    )
    soon = [i for i in items if i.status != OVERDUE]
    return Panel(
        "deadlines/_panel_due.html",
        {
            "overdue": sum(1 for i in items if i.status == OVERDUE),
            "soon": soon[:SHOWN],
            "more": max(0, len(soon) - SHOWN),
            "days": DAYS,
        },
    )
