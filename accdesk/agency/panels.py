from __future__ import annotations

from accdesk.agency.models import Designation
from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.lib.panels import Panel


def notify_doj(request: AgencyRequest) -> Panel | None:
    """Open "Notify DOJ" tasks."""
    if not may(request, "agency.view"):
        return None
    open_notices = list(request.agency.notices.open().order_by("created_at"))
    return Panel("agency/_panel_notices.html", {"open_notices": open_notices})


def designated_roles(request: AgencyRequest) -> Panel | None:
    """Designated roles with no current holder: DOJ expects each to be filled."""
    if not may(request, "agency.view"):
        return None
    filled = set(
        request.agency.designations.filter(ends_on__isnull=True).values_list(
            "kind", flat=True
        )
    )
    missing = [
        Designation.Kind(k).label for k in Designation.SINGLE_HOLDER if k not in filled
    ]
    return Panel("agency/_panel_roles.html", {"missing_roles": missing})
