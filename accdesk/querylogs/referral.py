"""The one place where a lead becomes a misuse investigation.

Misuse investigations (issue 5) are built in their own app; until it is merged this
stub keeps the lead as "referred" and says so. Wiring it up means replacing the body
of ``open_investigation`` with: create the investigation from ``lead``, link it, and
redirect to it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from accdesk.agency.tenancy import AgencyRequest
from accdesk.querylogs.models import Lead


def open_investigation(request: AgencyRequest, lead: Lead) -> HttpResponse:
    messages.warning(
        request,
        "Misuse investigations are not available in ACC Desk yet. The lead is "
        "marked as referred to an investigation; open the case by hand for now.",
    )
    return redirect("querylogs:lead", ori=request.agency.ori, key=lead.key)
