"""The incidents app's dated duties for the "What's due" registry.

- ``incident_clock``: each clock of an open incident not yet done (reported
  internally, DOJ notified), dated on its due moment's day where the agency is;
  overdue once the moment has passed (``clocks.py``). Seen by the ACC and SPOC only.
- ``irp_review``: the plan's annual approval by the agency head (IR-1, IR-8). An
  agency with no approved plan has no date to show: the dashboard panel says the
  plan is missing.
- ``irp_test``: the plan's annual test (IR-3).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from accdesk.agency.models import Agency
from accdesk.incidents import clocks, rules
from accdesk.incidents.models import Incident, Status
from accdesk.lib.deadlines import OVERDUE, Deadline, status_on

INCIDENT_CLOCK, IRP_REVIEW, IRP_TEST = "incident_clock", "irp_review", "irp_test"


def incident_clocks(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
    now = timezone.now()
    found = []
    for incident in Incident.objects.filter(agency=agency, status=Status.OPEN):
        url = reverse("incidents:detail", kwargs={"ori": agency.ori, "pk": incident.pk})
        for c in clocks.clocks(incident, now):
            if c.done_at is not None:
                continue
            day = timezone.localtime(c.due_at, agency.tz).date()
            if not start <= day <= end:
                continue
            status = (
                OVERDUE if c.status == clocks.MISSED else status_on(day, agency.today())
            )
            found.append(
                Deadline(
                    date=day,
                    kind=INCIDENT_CLOCK,
                    title=f"Incident {incident.reference}: {c.task} by "
                    f"{timezone.localtime(c.due_at, agency.tz):%H:%M}",
                    subject=incident.reference,
                    status=status,
                    source=c.rule,
                    url=url,
                )
            )
    return found


def plan_duties(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
    today = agency.today()
    url = reverse("incidents:plan", kwargs={"ori": agency.ori})
    found = []
    titles = {
        IRP_REVIEW: ("Approve the incident response plan (annual)", "IR-1, IR-8"),
        IRP_TEST: ("Test the incident response plan (annual)", "IR-3"),
    }
    for duty in (rules.approval_duty(agency, today), rules.test_duty(agency, today)):
        title, controls = titles[duty.kind]
        if duty.due_on is None:
            continue
        day, status = duty.due_on, status_on(duty.due_on, today)
        if start <= day <= end:
            found.append(
                Deadline(
                    date=day,
                    kind=duty.kind,
                    title=title,
                    subject="Incident response plan",
                    status=status,
                    source=f"CJISSECPOL v5.9.5 {controls}",
                    url=url,
                )
            )
    return found
