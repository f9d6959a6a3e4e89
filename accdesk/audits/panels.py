from __future__ import annotations

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.audits import rules
from accdesk.audits.models import Audit, AuditType, Status
from accdesk.lib.panels import Panel


def audits(request: AgencyRequest) -> Panel | None:
    """Audits not closed, corrective actions overdue, and the next expected DOJ
    audit (3 years after the last of its type)."""
    if not may(request, "audits.view"):
        return None
    agency = request.agency
    day = agency.today()
    current = [
        (a, *rules.counts(a))
        for a in Audit.objects.filter(agency=agency).exclude(status=Status.CLOSED)
    ]
    expected = [
        (label, when)
        for code, label in AuditType.choices
        if (when := rules.next_expected(agency, code)) is not None
    ]
    return Panel(
        "audits/_panel.html",
        {
            "current": current[:6],
            "overdue": rules.overdue_actions(agency, day),
            "expected": sorted(expected, key=lambda pair: pair[1])[:3],
            "today": day,
        },
    )
