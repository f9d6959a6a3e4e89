"""Audit pages through the test client: roles, the "no" answer, samples, closing,
the mock audit, the questionnaire upload, the dashboard panel and what's due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accdesk import testing
from accdesk.audits import rules
from accdesk.audits.models import Audit, Finding
from accdesk.deadlines.registry import collect

pytestmark = pytest.mark.django_db


def url(agency, name, **kwargs):
    return reverse(f"audits:{name}", kwargs={"ori": agency.ori, **kwargs})


def test_the_list_shows_audits_and_the_next_expected(as_vera, audit, agency):
    page = as_vera.get(url(agency, "list")).content.decode()
    assert audit.title in page and "Mar 2, 2029" in page
    assert "New audit" not in page and "Run a mock audit" not in page


def test_a_viewer_may_not_edit(as_vera, audit, agency):
    assert as_vera.get(url(agency, "add")).status_code == 403
    assert as_vera.post(url(agency, "mock")).status_code == 403
    assert as_vera.post(url(agency, "close", pk=audit.pk)).status_code == 403


def test_the_acc_records_an_audit(as_alice, agency):
    response = as_alice.post(
        url(agency, "add"),
        {
            "type": "database",
            "title": "DOJ database audit 2027",
            "databases": ["WPS", "SVS"],
            "auditor_agency": "CA DOJ",
            "announced_date": "2027-01-04",
            "onsite_start": "2027-02-03",
            "status": "scheduled",
        },
    )
    audit = Audit.objects.get(title="DOJ database audit 2027")
    assert response.status_code == 302 and audit.databases == ["WPS", "SVS"]
    bad = as_alice.post(
        url(agency, "add"),
        {
            "type": "cori",
            "title": "x",
            "databases": ["WPS"],
            "status": "scheduled",
            "onsite_start": "2027-02-03",
            "onsite_end": "2027-02-01",
        },
    )
    assert bad.status_code == 400
    assert "Only for a database audit." in bad.content.decode()


def test_a_no_answer_opens_a_finding_once(as_alice, audit, agency):
    question = audit.questionnaire.questions.get(number="1.2")
    target = url(agency, "answer", pk=audit.pk, question=question.pk)
    data = {
        "value": "no",
        "note": "Lobby can see it",
        "links": f"Site | /a/{agency.ori}/sites/",
    }
    assert as_alice.post(target, data).status_code == 302
    assert as_alice.post(target, data).status_code == 302
    finding = Finding.objects.get(audit=audit)
    assert finding.source == "answer" and "Lobby can see it" in finding.description
    assert finding.answer.record_links == [
        {"label": "Site", "url": f"/a/{agency.ori}/sites/"}
    ]
    outside = as_alice.post(target, {**data, "links": "https://example.com/"})
    assert outside.status_code == 400


def test_samples_are_drawn_and_checked(as_alice, audit, agency, wps_records):
    response = as_alice.post(
        url(agency, "draw_sample", pk=audit.pk),
        {"database": "WPS", "size": "50", "seed": "abc"},
    )
    sample = audit.samples.get()
    assert response.status_code == 302 and sample.items.count() == 50
    item = sample.items.first()
    prefix = f"item{item.pk}"
    as_alice.post(
        url(agency, "sample", pk=sample.pk),
        {
            f"{prefix}-master_case": "yes",
            f"{prefix}-second_party": "no",
            f"{prefix}-validation_current": "yes",
            f"{prefix}-accurate": "yes",
        },
    )
    item.refresh_from_db()
    assert item.result == "fail" and item.checked_by
    assert Finding.objects.get(audit=audit).source == "sample"


def test_closing_through_the_pages(as_alice, alice, audit, agency):
    finding = Finding.objects.create(
        agency=agency,
        audit=audit,
        description="Monitor faces the lobby",
        opened_on=dt.date(2026, 3, 3),
    )
    as_alice.post(
        url(agency, "finding", pk=finding.pk),
        {
            "description": "Move it",
            "owner": alice.pk,
            "due_date": "2026-06-01",
            "status": "open",
        },
    )
    action = finding.actions.get()
    refused = as_alice.post(
        url(agency, "action", pk=action.pk),
        {"closed_on": "2026-04-01", "closure_note": "Moved"},
    )
    assert refused.status_code == 400
    assert "Attach the closure evidence" in refused.content.decode()
    testing.make_evidence(action, agency)
    as_alice.post(
        url(agency, "action", pk=action.pk),
        {"closed_on": "2026-04-01", "closure_note": "Moved"},
    )
    finding.refresh_from_db()
    assert not finding.is_open
    as_alice.post(url(agency, "close", pk=audit.pk))
    audit.refresh_from_db()
    assert audit.status == "closed"


def test_the_mock_audit_opens_a_self_audit_with_findings(as_alice, agency):
    testing.make_site(agency, name="Main Station")
    response = as_alice.post(url(agency, "mock"))
    audit = Audit.objects.get(type="self")
    assert response.url == audit.get_absolute_url()
    texts = [f.description for f in audit.findings.all()]
    assert any("Main Station" in t for t in texts)  # never inspected
    assert any("Query-log audit" in t for t in texts)  # no logs archived
    assert any(t.startswith("Agreements:") for t in texts)  # no HDC 0001
    assert all(f.source == "mock" for f in audit.findings.all())


def test_the_binder_downloads_from_the_button(as_bob, audit, agency):
    response = as_bob.get(url(agency, "binder", pk=audit.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_questionnaire_is_uploaded_as_a_new_version(as_alice, agency):
    upload = SimpleUploadedFile(
        "doj.csv",
        b"section,number,question,source\nRecords,1,Is a release log kept?,11 CCR 707\n",
    )
    response = as_alice.post(
        url(agency, "import"), {"title": "CORI pre-audit", "file": upload}
    )
    assert response.status_code == 302
    page = as_alice.get(response.url).content.decode()
    assert "Is a release log kept?" in page and "version 1" in page
    bad = SimpleUploadedFile("bad.csv", b"section,number,question\n,1,\n")
    response = as_alice.post(url(agency, "import"), {"title": "CORI", "file": bad})
    assert response.status_code == 400 and "row 1" in response.content.decode()


def test_overdue_actions_are_on_the_dashboard_and_in_whats_due(
    as_alice, alice, audit, agency
):
    finding = Finding.objects.create(
        agency=agency, audit=audit, description="x", opened_on=dt.date(2026, 3, 3)
    )
    rules.add_action(
        finding,
        description="Sign the statements",
        owner=alice,
        due_date=agency.today() - dt.timedelta(days=1),
    )
    page = as_alice.get(reverse("dashboard:agency", kwargs={"ori": agency.ori}))
    assert "Sign the statements" in page.content.decode()
    kinds = {
        d.kind: d.status for d, _ in collect(agency, agency.today(), agency.today())
    }
    assert kinds["corrective_action_due"] == "overdue"
