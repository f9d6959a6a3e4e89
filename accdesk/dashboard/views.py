from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from accdesk.agency.tenancy import AgencyRequest, agency_view, in_force_memberships
from accdesk.dashboard import help_pages
from accdesk.dashboard.panels import render_panels
from accdesk.lib.commandline import accdesk_executable


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


def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/help_index.html", {"pages": help_pages.index()})


def help_page(request: HttpRequest, page: str) -> HttpResponse:
    """A page of docs/, rendered (signed-in users only, like every page)."""
    found = help_pages.page(page)
    if found is None:
        raise Http404("No such help page.")
    return render(
        request,
        "dashboard/help_page.html",
        {"help": found, "command_prefix": accdesk_executable()},
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page with the navigation (Django's own renders it without the
    request). If the page itself fails -- the error may be in what it reads --
    a plain sentence still gets out."""
    try:
        return HttpResponseServerError(render_to_string("500.html", request=request))
    except Exception:  # the last resort must not raise
        logging.getLogger(__name__).exception("the 500 page could not be rendered")
        return HttpResponseServerError(
            "ACC Desk could not finish this request.", content_type="text/plain"
        )
