from __future__ import annotations

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.lib.panels import Panel
from accdesk.querylogs.models import LogImport


def querylog_audit(request: AgencyRequest) -> Panel | None:
    """The last query-log import: is the archive up to date, and what did it find."""
    if not may(request, "querylogs.view"):
        return None
    last = LogImport.objects.filter(agency=request.agency).first()
    return Panel("querylogs/_panel.html", {"last_import": last})
