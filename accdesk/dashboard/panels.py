"""The dashboard's panels: an explicit list, one function per app.

Each function takes the agency request and returns a ``Panel`` (a template and its
context) or ``None`` when the member's role may not see it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.template.context_processors import csrf
from django.template.loader import render_to_string

from accdesk.agency.panels import designated_roles, notify_doj
from accdesk.agency.tenancy import AgencyRequest
from accdesk.agreements.panels import agreements
from accdesk.audits.panels import audits
from accdesk.deadlines.panels import whats_due
from accdesk.evidence.panels import expiring_evidence
from accdesk.incidents.panels import open_incidents, response_plan
from accdesk.investigations.panels import misuse_report
from accdesk.lib.panels import Panel
from accdesk.personnel.panels import account_review, eligibility
from accdesk.querylogs.panels import querylog_audit
from accdesk.releaselogs.panels import release_log
from accdesk.terminals.panels import sites
from accdesk.validations.panels import validations

PANELS: list[Callable[[AgencyRequest], Panel | None]] = [
    whats_due,
    eligibility,
    notify_doj,
    misuse_report,
    release_log,
    designated_roles,
    querylog_audit,
    agreements,
    sites,
    audits,
    validations,
    expiring_evidence,
    account_review,
    open_incidents,
    response_plan,
]


def render_panels(request: AgencyRequest) -> list[str]:
    """Each visible panel, rendered with its own context, the request and the CSRF
    token (a panel's form). Not the page's context processors: run once a panel,
    the navigation and the alerts banner would be read fifteen times a page."""
    shared = {"request": request, **csrf(request)}
    return [
        render_to_string(panel.template, {**shared, **panel.context})
        for make in PANELS
        if (panel := make(request)) is not None
    ]
