"""The navigation bar: one line per section, shown only to roles that may open it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accdesk.agency.models import Membership
from accdesk.agency.permissions import can
from accdesk.agency.tenancy import in_force_memberships


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str


NAV = [
    NavItem("Dashboard", "dashboard:agency", "dashboard.view"),
    NavItem("What's due", "deadlines:due", "deadlines.view"),
    NavItem("Worklist", "roster:worklist", "roster.view"),
    NavItem("Roster", "roster:list", "roster.view"),
    NavItem("Query logs", "querylogs:overview", "querylogs.view"),
    NavItem("Release log", "releaselogs:list", "releaselog.view"),
    NavItem("Investigations", "investigations:list", "investigations.view"),
    NavItem("Incidents", "incidents:list", "incidents.view"),
    NavItem("Agreements", "agreements:register", "agreements.view"),
    NavItem("Sites", "terminals:sites", "sites.view"),
    NavItem("Audits", "audits:list", "audits.view"),
    NavItem("Validations", "validations:worklist", "validations.view"),
    NavItem("Evidence", "evidence:list", "evidence.view"),
    NavItem("Agency", "agency:profile", "agency.view"),
    NavItem("Users", "agency:members", "members.view"),
    NavItem("Change record", "changes:list", "changes.view"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the current agency's sections and the user's agencies."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not request.user.is_authenticated:
        return {}
    ori = membership.agency.ori
    items = [
        {
            "label": item.label,
            "url": reverse(item.url_name, kwargs={"ori": ori}),
            "active": request.resolver_match is not None
            and request.resolver_match.view_name == item.url_name,
        }
        for item in NAV
        if can(membership.role, item.action)
    ]
    return {
        "nav_items": items,
        "nav_agencies": [m.agency for m in in_force_memberships(request.user)],
        "current_agency": membership.agency,
        "current_role": membership,
    }


def back_link(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the page the user came from, when it is one of ours, for
    the error pages' "Back to the previous page"."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or referer == request.build_absolute_uri():
        return {}
    if not url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return {}
    return {"error_back_url": referer}
