from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accdesk.agency.tenancy import AgencyRequest, agency_view, in_force_memberships
from accdesk.dashboard.panels import render_panels


def home(request: HttpRequest) -> HttpResponse:
    """Straight to the agency when there is one; otherwise a list to pick from."""
    memberships = in_force_memberships(request.user)
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
