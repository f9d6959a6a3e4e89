"""The roster's dashboard panel: counts by status and the most overdue items, read
from the stored worklist (two indexed queries, whatever the roster's size)."""

from __future__ import annotations

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.lib.panels import Panel
from accdesk.personnel.scoping import scope
from accdesk.worklistcache import store

MOST_OVERDUE = 5


def eligibility(request: AgencyRequest) -> Panel | None:
    if not may(request, "roster.view"):
        return None
    rows = store.current_rows(request.agency, scope(request))
    today = request.agency.today()
    return Panel(
        "personnel/_panel_worklist.html",
        {
            "counts": store.counts_by_status(rows),
            "most_overdue": store.most_overdue(rows, today, MOST_OVERDUE),
        },
    )
