"""The red banner: open integrity alerts, for the members who may act on them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accdesk.agency.permissions import can
from accdesk.jobs.alerts import CHECKS, open_alerts


def alerts(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    if membership is None or not can(membership.role, "changes.view"):
        return {}
    found = [
        {"headline": CHECKS.get(a.name, a.name), "alert": a}
        for a in open_alerts(membership.agency)
    ]
    return {"integrity_alerts": found}
