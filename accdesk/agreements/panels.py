from __future__ import annotations

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.agreements import rules
from accdesk.lib.panels import Panel


def agreements(request: AgencyRequest) -> Panel | None:
    """Agency-level findings (Subscriber Agreement missing or duplicated, new HDC
    0001/0011 needed, a vendor without MCA), missing addenda, and agreements
    expired or expiring within 90 days."""
    if not may(request, "agreements.view"):
        return None
    day = request.agency.today()
    due = rules.expiring(request.agency, day, max(rules.EXPIRING_WINDOWS))
    return Panel(
        "agreements/_panel.html",
        {
            "findings": rules.agency_findings(request.agency, day),
            "addenda": len(rules.missing_addenda(request.agency, day)),
            "due": due[:8],
            "more": max(0, len(due) - 8),
            "today": day,
        },
    )
