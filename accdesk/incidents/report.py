"""The DOJ report of an incident: every CJIS-016 field (domain brief §6: the
Michigan State Police ISO Security Incident Report, which follows the FBI form;
the CLETS form itself was not found), the agency header and a signature block.
One context feeds the PDF (``incidents/report.html``) and the plain-text e-mail
body to paste (``incidents/report_email.txt``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from accdesk.agency.models import Designation
from accdesk.incidents import clocks
from accdesk.incidents.models import Incident


def context(incident: Incident, now: dt.datetime) -> dict[str, Any]:
    agency = incident.agency
    current = {d.kind: d for d in agency.designations.filter(ends_on__isnull=True)}
    local = timezone.localtime(now, agency.tz)
    return {
        "incident": incident,
        "agency": agency,
        "clocks": clocks.clocks(incident, now),
        "actions": list(incident.actions.all()),
        "recipients": [
            (Designation.Kind(k).label, current.get(k))
            for k in Designation.DOJ_INCIDENT_CONTACTS
        ],
        "signer": current.get(Designation.Kind.SPOC)
        or current.get(Designation.Kind.ACC),
        "agency_head": current.get(Designation.Kind.AGENCY_HEAD),
        "prepared_at": local,
        "subject": f"Security incident report {incident.reference}, "
        f"{agency.name} ({agency.ori})",
    }


def email_body(ctx: dict[str, Any]) -> str:
    """The report as plain text (``\\n`` line ends), times in the agency's zone."""
    with timezone.override(ctx["agency"].tz):
        return render_to_string("incidents/report_email.txt", ctx).strip() + "\n"


def filename(incident: Incident, suffix: str) -> str:
    return f"incident-report-{incident.agency.ori}-{incident.reference}.{suffix}"
