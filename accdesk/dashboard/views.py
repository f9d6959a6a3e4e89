from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accdesk.agency.models import Membership
from accdesk.agency.tenancy import AgencyRequest, agency_view
from accdesk.dashboard.panels import render_panels


def home(request: HttpRequest) -> HttpResponse:
    """Straight to the agency when there is one; otherwise a list to pick from."""
    memberships = [
        m
        for m in Membership.objects.filter(user=request.user).select_related("agency")
        if not m.expires_on or m.expires_on >= m.agency.today()
    ]
    if len(memberships) == 1:
        return redirect("dashboard:agency", ori=memberships[0].agency.ori)
    return render(request, "dashboard/home.html", {"memberships": memberships})


@agency_view("dashboard.view")
def agency(request: AgencyRequest) -> HttpResponse:
    return render(
        request,
        "dashboard/agency.html",
        {
            "panels": render_panels(request),
            "today": request.agency.today(),
        },
    )
