from __future__ import annotations

import datetime as dt

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.evidence.models import EvidenceFile
from accdesk.lib.panels import Panel

EXPIRING_DAYS = 30


def expiring_evidence(request: AgencyRequest) -> Panel | None:
    """Evidence files in force that have expired or expire within 30 days: a
    certificate or agreement copy an auditor would find out of date."""
    if not may(request, "evidence.view") or not may(request, "agency.view"):
        return None
    today = request.agency.today()
    files = list(
        EvidenceFile.objects.filter(
            agency=request.agency,
            expiry_date__lte=today + dt.timedelta(days=EXPIRING_DAYS),
        )
        .current()
        .order_by("expiry_date", "title")[:10]
    )
    if not files:
        return None
    return Panel("evidence/_panel_expiring.html", {"files": files, "today": today})
