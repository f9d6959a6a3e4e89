"""The incident pages: who sees them, reporting, the DOJ notice, the breach
decision, closing, the DOJ report and the misuse case."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from accdesk.agency.models import Designation
from accdesk.core.models import ChangeRecord
from accdesk.incidents.models import Incident, ReportGeneration
from accdesk.testing import make_person

from .conftest import NOW, make_incident

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_now")]


def _url(agency, name="", pk=None):
    base = f"/a/{agency.ori}/incidents/"
    return f"{base}{pk}/{name}" if pk else f"{base}{name}"


REPORT = {
    "incident_type": "lost_device",
    "phase": "one_time",
    "discovered_at": "2026-12-04T07:15",
    "reported_internally_at": "2026-12-04T07:40",
    "reporter_name": "Jordan Reyes",
    "detection_method": "officer reported the loss",
    "description": "A patrol laptop was left at a coffee shop.",
}


def test_the_acc_reports_an_incident_in_the_agency_time_zone(as_alice, agency):
    response = as_alice.post(_url(agency, "new/"), REPORT)
    incident = Incident.objects.get(agency=agency)
    assert response.status_code == 302
    # 07:15 in Los Angeles is 15:15 UTC.
    assert incident.discovered_at == dt.datetime(2026, 12, 4, 15, 15, tzinfo=dt.UTC)
    page = as_alice.get(_url(agency, pk=incident.pk)).content.decode()
    assert "Dec 4, 2026 07:15" in page and "met, 35 min to spare" in page


def test_a_report_in_the_future_or_before_the_discovery_is_refused(as_alice, agency):
    response = as_alice.post(
        _url(agency, "new/"),
        {**REPORT, "discovered_at": "2026-12-05T07:15", "breach": "on"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "future" in form.errors["discovered_at"][0]
    assert "breach" in form.errors["breach_known_at"][0]
    assert not Incident.objects.exists()


def test_a_time_that_happens_twice_is_refused(as_alice, agency):
    # 01:30 on Nov 1, 2026 happens twice in Los Angeles.
    data = {**REPORT, "discovered_at": "2026-11-01T01:30", "reported_internally_at": ""}
    response = as_alice.post(_url(agency, "new/"), data)
    assert response.status_code == 400
    assert "discovered_at" in response.context["form"].errors


def test_incidents_are_restricted(as_vera, as_sam, vera, agency, as_charlie):
    incident = make_incident(agency)
    assert as_sam.get(_url(agency, pk=incident.pk)).status_code == 200
    assert as_vera.get(_url(agency, pk=incident.pk)).status_code == 404
    assert incident.reference not in as_vera.get(_url(agency)).content.decode()
    incident.named_members.add(vera)
    assert as_vera.get(_url(agency, pk=incident.pk)).status_code == 200
    assert as_vera.get(_url(agency, "edit/", incident.pk)).status_code == 403
    assert as_charlie.get(_url(agency, pk=incident.pk)).status_code == 404


def test_the_change_record_keeps_field_names_only(as_alice, agency):
    as_alice.post(_url(agency, "new/"), REPORT)
    record = ChangeRecord.objects.filter(object_type="incidents.incident").first()
    assert record.restricted
    assert "coffee shop" not in str(record.changes)
    assert "coffee shop" not in record.object_repr
    assert ChangeRecord.objects.filter(event="view", restricted=True).exists() is False
    incident = Incident.objects.get()
    as_alice.get(_url(agency, pk=incident.pk))
    assert ChangeRecord.objects.filter(event="view", restricted=True).exists()


def test_notify_doj_records_how_and_to_whom(as_alice, agency):
    Designation.objects.create(
        agency=agency, kind="doj_iso", name="Lee Park", starts_on=dt.date(2026, 1, 1)
    )
    incident = make_incident(agency)
    response = as_alice.post(
        _url(agency, "doj/", incident.pk),
        {
            "notified_at": "2026-12-04T08:50",
            "how": "e-mail",
            "recipients": ["doj_iso"],
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.doj_notified_how == "e-mail"
    assert incident.doj_notified_to == "DOJ Information Security Officer: Lee Park"


def test_a_breach_is_reported_by_phone(as_alice, agency):
    incident = make_incident(agency, breach=True, breach_known_at=NOW)
    response = as_alice.post(
        _url(agency, "doj/", incident.pk),
        {"notified_at": "2026-12-04T09:00", "how": "e-mail", "recipients": ["doj_cio"]},
    )
    assert response.status_code == 400
    assert "phone" in response.context["doj_form"].errors["how"][0]


def test_the_breach_decision_is_recorded(as_alice, agency):
    incident = make_incident(agency)
    as_alice.post(
        _url(agency, "breach/", incident.pk),
        {
            "notify_individuals": "False",
            "harm_assessment": "Laptop encrypted; no data readable.",
            "rules_applied": "Civil Code 1798.29",
            "decided_on": "2026-12-04",
            "decided_by": "Chief Dana Whitfield",
        },
    )
    incident.refresh_from_db()
    assert incident.notify_individuals is False
    assert incident.decided_by == "Chief Dana Whitfield"
    page = as_alice.get(_url(agency, pk=incident.pk)).content.decode()
    assert re.search(r'value="False" id="id_notify_individuals_1"[^>]* checked', page)


def test_closing_names_the_people_needing_training(as_alice, agency):
    person = make_person(agency)
    incident = make_incident(agency)
    response = as_alice.post(
        _url(agency, "close/", incident.pk),
        {
            "status": "closed",
            "closed_at": "2026-12-04T08:55",
            "resolution": "Laptop recovered and reimaged.",
            "needs_training": [person.pk],
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == "closed"
    assert list(incident.needs_training.all()) == [person]
    assert incident.actions.get().text == "Closed: resolved."


def test_the_doj_report_pdf_and_email_are_recorded(as_alice, agency):
    incident = make_incident(agency, locations="Main Station, records room")
    response = as_alice.get(_url(agency, "report.pdf", incident.pk))
    assert response.content[:4] == b"%PDF"
    assert response["Content-Disposition"].endswith(
        f'incident-report-{agency.ori}-IR-{incident.pk}.pdf"'
    )
    text = as_alice.get(_url(agency, "report-email/?download=1", incident.pk))
    body = text.content.decode()
    assert "Location(s): Main Station, records room" in body
    assert f"ORI {agency.ori}" in body and "Method of detection: antivirus" in body
    assert "&" not in body.replace("Program & Technical", "")
    assert list(ReportGeneration.objects.values_list("fmt", flat=True)) == [
        "email",
        "pdf",
    ]
    assert ChangeRecord.objects.filter(event="export").count() == 2


def test_a_misuse_incident_opens_a_linked_case(as_alice, agency):
    incident = make_incident(agency, incident_type="clets_misuse")
    response = as_alice.post(_url(agency, "open-case/", incident.pk))
    incident.refresh_from_db()
    case = incident.misuse_case
    assert case.case_number == incident.reference
    assert response.url == f"/a/{agency.ori}/investigations/{case.pk}/"
    page = as_alice.get(response.url).content.decode()
    assert f"/a/{agency.ori}/incidents/{incident.pk}/" in page
