"""Security incidents in the browser (issue 15): report an incident and watch its
clock turn missed on a fixed clock, notify DOJ, generate the PDF, close with
retraining, approve and test the plan."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from accdesk.agency.models import Designation
from accdesk.incidents.models import Incident, ResponsePlan
from accdesk.testing import make_person
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=LA)


def test_an_acc_reports_an_incident_and_its_clock_turns_missed(
    page, live_server, alice, agency, artifacts
):
    with time_machine.travel(NOW, tick=False) as clock:
        sign_in(page, live_server.url, alice)
        page.get_by_role("link", name="Incidents", exact=True).click()
        page.get_by_role("link", name="Report an incident").click()
        page.get_by_label("Type").select_option("malware")
        page.get_by_label("Discovered").fill("2026-12-04T08:01")
        page.get_by_label("Reported by").fill("Jordan Reyes")
        page.get_by_label("Method of detection").fill("antivirus alert")
        page.get_by_label("Description").fill("Malware on a records workstation.")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("reported.")).to_be_visible()
        internal = page.locator('#clocks [data-clock="internal"]')
        expect(internal).to_contain_text("Running")
        expect(internal).to_contain_text("running, 1 min left")
        expect(internal).to_contain_text("due Dec 4, 2026 09:01")

        clock.shift(dt.timedelta(minutes=2))  # 09:02: a minute past the hour
        page.reload()
        expect(internal).to_contain_text("Missed")
        expect(internal).to_contain_text("missed by 1 min")
        page.get_by_role("link", name="Dashboard").click()
        expect(page.locator("#panel-incidents")).to_contain_text("missed by 1 min")
        page.screenshot(path=str(artifacts / "incident-clock-missed.png"))


def test_an_acc_notifies_doj_makes_the_pdf_and_closes_with_retraining(
    page, live_server, alice, agency
):
    Designation.objects.create(
        agency=agency, kind="doj_iso", name="Lee Park", starts_on=dt.date(2026, 1, 1)
    )
    person = make_person(agency, first_name="Tomas", last_name="Ibarra")
    with time_machine.travel(NOW, tick=False):
        incident = Incident.objects.create(
            agency=agency,
            incident_type="lost_device",
            reporter_name="Tomas Ibarra",
            detection_method="reported by the officer",
            description="A laptop was lost.",
            discovered_at=NOW - dt.timedelta(hours=2),
            reported_internally_at=NOW - dt.timedelta(hours=1, minutes=40),
        )
        sign_in(page, live_server.url, alice)
        page.goto(f"{live_server.url}/a/{agency.ori}/incidents/{incident.pk}/")

        page.get_by_label("DOJ notified at").fill("2026-12-04T08:30")
        page.get_by_label("How").select_option("e-mail")
        page.get_by_label("DOJ Information Security Officer: Lee Park").check()
        page.get_by_role("button", name="Record the DOJ notice").click()
        expect(
            page.get_by_text("DOJ notice recorded: met, 22 h 30 min to spare.")
        ).to_be_visible()
        expect(page.locator('#clocks [data-clock="doj"]')).to_contain_text("Met")

        with page.expect_download() as pdf:
            page.get_by_role("link", name="DOJ report (PDF)").click()
        assert open(pdf.value.path(), "rb").read(4) == b"%PDF"
        page.goto(f"{live_server.url}/a/{agency.ori}/incidents/{incident.pk}/")
        expect(page.locator("#report-generations")).to_contain_text("PDF")

        page.get_by_role("link", name="Close the incident").click()
        page.get_by_label("Closed at").fill("2026-12-04T08:45")
        page.get_by_label("Resolution").fill("Laptop recovered; disk encrypted.")
        page.get_by_label("Ibarra, Tomas").check()
        page.get_by_role("button", name="Close the incident").click()
        expect(
            page.get_by_text(f"Incident {incident.reference} closed.")
        ).to_be_visible()
        expect(page.locator("#resolution")).to_contain_text("Tomas Ibarra")

        page.get_by_role("link", name="Worklist").click()
        expect(
            page.get_by_text("Training due after a security incident").first
        ).to_be_visible()
    assert person.incidents_needing_training.get() == incident


def test_an_acc_approves_and_tests_the_plan(page, live_server, alice, agency):
    sign_in(page, live_server.url, alice)
    page.goto(f"{live_server.url}/a/{agency.ori}/incidents/plan/")
    expect(page.locator("#approval-status")).to_contain_text("Missing")
    page.get_by_role("link", name="New version").click()
    page.get_by_label("Version").fill("4")
    page.get_by_label("What changed").fill("First plan in ACC Desk.")
    page.get_by_label(alice.email).check()
    page.get_by_role("button", name="Save").click()

    page.get_by_label("Approved by").fill("Chief Dana Whitfield")
    page.get_by_role("button", name="Record approval of version 4").click()
    expect(page.get_by_text("Version 4 approved.")).to_be_visible()
    expect(page.locator("#approval-status")).to_contain_text("Up to date")

    page.get_by_role("button", name="Notify the distribution list of version 4").click()
    expect(page.get_by_text("1 member(s) e-mailed")).to_be_visible()
    page.get_by_role("button", name="I acknowledge").click()
    expect(page.get_by_text("You acknowledged version 4.")).to_be_visible()

    page.get_by_label("Kind").select_option("tabletop")
    page.get_by_label("Participants").fill("ACC, SPOC, records supervisor")
    page.get_by_label("Lessons learned").fill("Update the DOJ phone list.")
    page.get_by_role("button", name="Record the test").click()
    expect(page.get_by_text("Plan test recorded")).to_be_visible()
    expect(page.locator("#test-status")).to_contain_text("Up to date")
    assert ResponsePlan.objects.get().acknowledgements.count() == 1
