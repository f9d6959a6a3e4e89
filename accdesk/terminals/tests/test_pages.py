"""Sites, terminals, inspections, reviews, keys and documents: the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accdesk.core.models import ChangeRecord
from accdesk.terminals.models import (
    CorrectiveAction,
    Inspection,
    InventoryReview,
    KeyHolding,
    PhysicalReview,
    Site,
    SystemDocument,
    Terminal,
    questions_for,
)
from accdesk.testing import (
    make_evidence,
    make_inspection,
    make_person,
    make_site,
    make_terminal,
)

pytestmark = pytest.mark.django_db


def url(agency, name, **kwargs):
    return reverse(f"terminals:{name}", kwargs={"ori": agency.ori, **kwargs})


def test_the_site_page_shows_its_terminals_people_inspections_and_actions(
    as_sam, agency, sam
):
    site = make_site(agency, name="Main Station")
    person = make_person(agency, first_name="Olga", last_name="Petrova")
    site.unescorted.add(person)
    make_terminal(agency, terminal="LKM005", site=site, public_view=True)
    inspection = make_inspection(
        site, {"not_facing_public": "no"}, signed_off_on=agency.today()
    )
    answer = inspection.answers.get(answer="no")
    CorrectiveAction.objects.create(
        agency=agency,
        answer=answer,
        description="Turn the screen",
        owner=sam,
        due_date=agency.today(),
    )
    make_evidence(site, title="Floor plan", owner=sam)
    page = as_sam.get(url(agency, "site", pk=site.pk)).content.decode()
    for text in (
        "LKM005",
        "Seen by the public",
        "Olga Petrova",
        "Turn the screen",
        "Floor plan",
        "Never done",
    ):
        assert text in page, text


def test_the_spoc_adds_and_edits_a_site_and_a_terminal(as_sam, agency):
    person = make_person(agency)
    as_sam.post(
        url(agency, "add_site"),
        {
            "name": "Dispatch",
            "site_type": "dispatch",
            "locks": "on",
            "unescorted": [person.pk],
        },
    )
    site = Site.objects.get(agency=agency, name="Dispatch")
    assert list(site.unescorted.all()) == [person]
    as_sam.post(
        url(agency, "edit_site", pk=site.pk),
        {"name": "Dispatch Center", "site_type": "dispatch"},
    )
    site.refresh_from_db()
    assert site.name == "Dispatch Center" and not site.locks
    response = as_sam.post(
        url(agency, "add_terminal"),
        {
            "terminal": "lkm020",
            "terminal_type": "workstation",
            "site": site.pk,
            "status": "retired",
        },
    )
    assert "A retired terminal needs its retired date." in response.content.decode()
    as_sam.post(
        url(agency, "add_terminal"),
        {
            "terminal": "lkm020",
            "terminal_type": "workstation",
            "site": site.pk,
            "status": "active",
        },
    )
    terminal = Terminal.objects.get(agency=agency, terminal="LKM020")
    as_sam.post(
        url(agency, "edit_terminal", pk=terminal.pk),
        {
            "terminal": "LKM020",
            "terminal_type": "workstation",
            "status": "retired",
            "retired_date": "2026-01-02",
        },
    )
    terminal.refresh_from_db()
    assert terminal.retired_date == dt.date(2026, 1, 2)


def test_a_viewer_sees_but_does_not_edit(as_vera, agency):
    site = make_site(agency)
    assert as_vera.get(url(agency, "site", pk=site.pk)).status_code == 200
    assert as_vera.get(url(agency, "add_site")).status_code == 403
    assert (
        as_vera.post(
            url(agency, "review_inventory"), {"reviewed_on": "2026-01-01"}
        ).status_code
        == 403
    )


def test_an_inspection_with_a_no_opens_a_corrective_action(as_alice, agency, alice):
    site = make_site(agency)
    questions = list(questions_for(agency))
    data = {
        "inspected_on": agency.today().isoformat(),
        "inspector": "Sgt. Ruiz",
        "notes": "",
    }
    for q in questions:
        data[f"answer_{q.pk}"] = "yes"
    missing = as_alice.post(
        url(agency, "new_inspection", pk=site.pk),
        {**data, f"answer_{questions[0].pk}": ""},
    )
    assert (
        missing.status_code == 400
        and "Answer yes, no or n.a." in missing.content.decode()
    )
    printer = next(q for q in questions if q.code == "printer_secured")
    data[f"answer_{printer.pk}"] = "no"
    data[f"note_{printer.pk}"] = "Tray by the lobby door"
    response = as_alice.post(url(agency, "new_inspection", pk=site.pk), data)
    inspection = Inspection.objects.get(site=site)
    assert response["Location"] == url(agency, "inspection", pk=inspection.pk)
    (action,) = CorrectiveAction.objects.filter(agency=agency)
    assert action.owner == alice and action.due_date == agency.today() + dt.timedelta(
        days=30
    )
    assert "Tray by the lobby door" in action.description
    page = as_alice.get(url(agency, "inspection", pk=inspection.pk)).content.decode()
    assert "1 no" in page and "Sign off" in page
    as_alice.post(url(agency, "sign_off", pk=inspection.pk))
    inspection.refresh_from_db()
    assert (
        inspection.signed_off_on == agency.today()
        and inspection.signed_off_by == alice.email
    )
    # Signed off: it can no longer change.
    assert (
        as_alice.get(url(agency, "edit_inspection", pk=inspection.pk)).status_code
        == 302
    )


def test_changing_a_no_back_closes_its_action(as_alice, agency):
    site = make_site(agency)
    inspection = make_inspection(site)
    question = inspection.answers.first().question
    data = {"inspected_on": inspection.inspected_on.isoformat(), "inspector": "X"}
    for answer in inspection.answers.all():
        data[f"answer_{answer.question_id}"] = "yes"
    as_alice.post(
        url(agency, "edit_inspection", pk=inspection.pk),
        {**data, f"answer_{question.pk}": "no"},
    )
    action = CorrectiveAction.objects.get(answer__inspection=inspection)
    assert action.is_open
    as_alice.post(url(agency, "edit_inspection", pk=inspection.pk), data)
    action.refresh_from_db()
    assert not action.is_open


def test_the_owner_and_due_date_of_an_action_can_change(as_alice, agency, sam):
    inspection = make_inspection(make_site(agency), {"session_lock": "no"})
    inspection.answers.get(answer="no")
    action = CorrectiveAction.objects.create(
        agency=agency,
        answer=inspection.answers.get(answer="no"),
        description="Set the lock",
        owner=sam,
        due_date=dt.date(2026, 9, 1),
    )
    as_alice.post(
        url(agency, "edit_action", pk=action.pk),
        {
            "description": "Set a 15-minute lock",
            "owner": sam.pk,
            "due_date": "2026-08-01",
            "closed_on": "2026-07-01",
        },
    )
    action.refresh_from_db()
    assert action.due_date == dt.date(2026, 8, 1) and action.closed_on == dt.date(
        2026, 7, 1
    )


def test_the_inspection_pdf_is_a_pdf_and_recorded(as_vera, agency):
    inspection = make_inspection(
        make_site(agency, name="Main Station"), {"media_disposal": "no"}
    )
    response = as_vera.get(url(agency, "inspection_pdf", pk=inspection.pk))
    assert response.content[:4] == b"%PDF"
    assert ChangeRecord.objects.filter(
        event="export", message="inspection PDF"
    ).exists()


def test_the_inventory_review_is_signed_off_with_a_date(as_sam, agency, sam):
    make_terminal(agency)
    as_sam.post(
        url(agency, "review_inventory"),
        {"reviewed_on": agency.today().isoformat(), "note": "All present"},
    )
    review = InventoryReview.objects.get(agency=agency)
    assert review.reviewed_by == sam.email and review.terminals == 1
    future = (agency.today() + dt.timedelta(days=1)).isoformat()
    as_sam.post(url(agency, "review_inventory"), {"reviewed_on": future})
    assert InventoryReview.objects.filter(agency=agency).count() == 1


def test_the_terminal_list_filters_and_downloads(as_vera, agency):
    make_terminal(agency, terminal="LKM001", host="10.0.0.1")
    make_terminal(agency, terminal="LKM009", retired_date=dt.date(2025, 1, 1))
    page = as_vera.get(url(agency, "terminals")).content.decode()
    assert "LKM001" in page and "LKM009" not in page
    assert (
        "LKM009"
        in as_vera.get(url(agency, "terminals") + "?status=retired").content.decode()
    )
    csv = b"".join(
        as_vera.get(
            url(agency, "terminals") + "?status=all&format=csv"
        ).streaming_content
    ).decode()
    assert (
        csv.splitlines()[0]
        == "terminal,type,site,host,public_view,status,unit,retired_date"
    )
    assert "LKM009,workstation,,,no,retired,,2025-01-01" in csv


def test_a_review_is_recorded_and_takes_evidence(as_alice, agency, alice):
    site = make_site(agency)
    response = as_alice.post(
        url(agency, "add_review", pk=site.pk),
        {
            "kind": "visitor_log",
            "reviewed_on": agency.today().isoformat(),
            "note": "OK",
        },
    )
    review = PhysicalReview.objects.get(site=site)
    assert response["Location"] == url(agency, "review", pk=review.pk)
    assert review.reviewed_by == alice.email
    make_evidence(review, title="Visitor log scan", owner=alice)
    assert (
        "Visitor log scan"
        in as_alice.get(url(agency, "review", pk=review.pk)).content.decode()
    )


def test_keys_are_issued_and_returned(as_alice, agency):
    site = make_site(agency)
    person = make_person(agency)
    as_alice.post(
        url(agency, "add_key", pk=site.pk),
        {
            "person": person.pk,
            "kind": "key",
            "label": "Door #1",
            "site": site.pk,
            "issued_on": "2025-01-01",
        },
    )
    holding = KeyHolding.objects.get(person=person)
    response = as_alice.post(
        url(agency, "edit_key", pk=holding.pk),
        {
            "person": person.pk,
            "kind": "key",
            "label": "Door #1",
            "site": site.pk,
            "issued_on": "2025-01-01",
            "returned_on": "2024-12-01",
        },
    )
    assert "It was returned before it was issued." in response.content.decode()
    as_alice.post(
        url(agency, "edit_key", pk=holding.pk),
        {
            "person": person.pk,
            "kind": "key",
            "label": "Door #1",
            "site": site.pk,
            "issued_on": "2025-01-01",
            "returned_on": "2026-01-01",
        },
    )
    holding.refresh_from_db()
    assert holding.returned_on == dt.date(2026, 1, 1)


def test_documents_default_to_a_yearly_review_and_the_diagram_is_flagged(
    as_alice, agency, alice
):
    assert (
        "No network diagram on file."
        in as_alice.get(f"/a/{agency.ori}/").content.decode()
    )
    as_alice.post(
        url(agency, "add_document"),
        {
            "kind": "network_diagram",
            "title": "CLETS network",
            "version": "1",
            "effective_date": "2026-01-10",
            "owner": alice.pk,
        },
    )
    document = SystemDocument.objects.get(agency=agency)
    assert document.next_review_date == dt.date(2027, 1, 10)
    as_alice.post(
        url(agency, "edit_document", pk=document.pk),
        {
            "kind": "network_diagram",
            "title": "CLETS network",
            "version": "2",
            "effective_date": "2026-01-10",
            "reviewed_on": "2026-03-01",
            "next_review_date": "2027-01-10",
            "owner": alice.pk,
        },
    )
    document.refresh_from_db()
    assert document.next_review_date == dt.date(
        2027, 3, 1
    )  # a year from the new review


def test_the_agency_adds_a_checklist_question(as_alice, agency):
    as_alice.post(
        url(agency, "add_question"),
        {
            "code": "fax_room",
            "text": "The fax room is locked.",
            "source": "Agency policy 4.2",
            "order": 50,
            "active": "on",
        },
    )
    assert "The fax room is locked." in [q.text for q in questions_for(agency)]
    response = as_alice.post(
        url(agency, "add_question"),
        {"code": "session_lock", "text": "x", "source": "y", "order": 1},
    )
    assert "session_lock is a standard question already." in response.content.decode()


def test_the_dashboard_panel_lists_what_is_due(as_alice, agency):
    site = make_site(agency, name="Records Annex")
    make_terminal(agency, terminal="LKM005", public_view=True, site=site)
    page = as_alice.get(f"/a/{agency.ori}/").content.decode()
    assert 'id="panel-sites"' in page
    assert "Records Annex: Self-inspection never done." in page
    assert "Terminal LKM005 can be seen by the public" in page
    assert "Terminal inventory review (CM-8) never signed off." in page


def _late_site(agency, owner, n):
    """A site inspected and reviewed more than a year ago, with a terminal the
    public can see and a document past its review: everything the panel lists."""
    site = make_site(agency, name=f"Annex {n}")
    long_ago = agency.today() - dt.timedelta(days=400)
    make_inspection(site, inspected_on=long_ago, signed_off_on=long_ago)
    for kind in PhysicalReview.Kind.values:
        PhysicalReview.objects.create(
            agency=agency, site=site, kind=kind, reviewed_on=long_ago, reviewed_by="x"
        )
    make_terminal(agency, public_view=True, site=site)
    SystemDocument.objects.create(
        agency=agency,
        kind=SystemDocument.Kind.SECURITY_POLICY,
        title=f"Policy {n}",
        effective_date=long_ago,
        next_review_date=long_ago,
        owner=owner,
    )


def _queries(client, path):
    client.get(path)  # the worklist rebuilt after the change (sites are an input)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("path", ["", "sites/"])
def test_the_dashboard_and_sites_page_cost_the_same_for_more_sites(
    as_alice, alice, agency, path
):
    """Each site's last inspection and reviews are read for all sites at once, and
    their links need no query of their own (issue 18)."""
    _late_site(agency, alice, 0)
    small, page = _queries(as_alice, f"/a/{agency.ori}/{path}")
    for n in range(1, 4):
        _late_site(agency, alice, n)
    large, page = _queries(as_alice, f"/a/{agency.ori}/{path}")

    assert "Annex 3" in page
    if not path:
        assert page.count("can be seen by the public") == 4
    assert large == small
