"""Validation pages: the worklist, a record's validation, the completed export,
entry quality, the ORI validation, deadlines and the panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accdesk.agency.models import DojNotice
from accdesk.core.models import ChangeRecord
from accdesk.deadlines.registry import collect
from accdesk.validations import oris
from accdesk.validations.models import HitConfirmation, ListedRecord

pytestmark = pytest.mark.django_db


def url(agency, name, **kwargs):
    return reverse(f"validations:{name}", kwargs={"ori": agency.ori, **kwargs})


def listed(agency, days_ago, record_id="W1", **kwargs):
    list_date = agency.today() - dt.timedelta(days=days_ago)
    return ListedRecord.objects.create(
        agency=agency,
        database=kwargs.pop("database", "WPS"),
        record_id=record_id,
        record_file="wanted_person",
        entered_date=list_date - dt.timedelta(days=70),
        list_date=list_date,
        **kwargs,
    )


def test_the_worklist_shows_lists_with_their_deadline(as_vera, agency):
    listed(agency, 31, "W1")
    listed(agency, 5, "V1", database="SVS")
    page = as_vera.get(url(agency, "worklist")).content.decode()
    assert "W1" in page and "V1" in page and "Overdue" in page
    assert "NCIC would purge" in page
    only = as_vera.get(url(agency, "worklist") + "?database=SVS").content.decode()
    assert "V1" in only and ">W1<" not in only
    assert "Import a validation list" not in page


def test_the_acc_validates_and_the_spoc_checks(as_alice, alice, sam, agency):
    record = listed(agency, 10)
    data = {
        "sources": ["court", "dmv"],
        "result": "validated",
        "master_case_located": "yes",
        "validated_by": alice.pk,
        "validated_on": str(agency.today()),
        "second_party_by": alice.pk,
        "second_party_on": str(agency.today()),
    }
    refused = as_alice.post(url(agency, "record", pk=record.pk), data)
    assert refused.status_code == 400 and "another person" in refused.content.decode()
    ok = as_alice.post(
        url(agency, "record", pk=record.pk), {**data, "second_party_by": sam.pk}
    )
    assert ok.status_code == 302
    record.refresh_from_db()
    assert record.completed and record.sources == ["court", "dmv"]
    # The record's contents stay out of the change record (restricted).
    change = ChangeRecord.objects.filter(object_type__contains="listed").last()
    assert change is None or "court" not in str(change.changes)


def test_the_viewer_may_not_save_a_validation(as_vera, agency):
    record = listed(agency, 10)
    response = as_vera.post(
        url(agency, "record", pk=record.pk), {"result": "validated"}
    )
    assert response.status_code == 403


def test_completed_validations_download_for_the_auditor(as_bob, alice, sam, agency):
    listed(
        agency,
        40,
        "W1",
        validated_by=alice,
        validated_on=agency.today(),
        second_party_by=sam,
        second_party_on=agency.today(),
        result="validated",
        master_case_located=True,
    )
    listed(agency, 40, "W2")
    response = as_bob.get(url(agency, "completed") + "?format=csv")
    text = b"".join(response.streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("database,record_id,record_file")
    assert len(lines) == 2 and "W1" in lines[1] and "yes" in lines[1]
    assert ChangeRecord.objects.filter(
        event="export", message__contains="completed validations"
    ).exists()


def test_entry_quality_pages(as_alice, agency):
    response = as_alice.post(
        url(agency, "add_hit"),
        {
            "database": "WPS",
            "record_id": "W1",
            "requesting_ori": "CA0990100",
            "priority": "urgent",
            "requested_at": "2026-10-05T14:00",
            "responded_at": "2026-10-05T14:10",
            "responded_by": "Dispatch",
        },
    )
    assert response.status_code == 302
    assert HitConfirmation.objects.get().requested_at.tzinfo is not None
    same = as_alice.post(
        url(agency, "add_check"),
        {
            "database": "WPS",
            "record_id": "W1",
            "kind": "entry",
            "done_on": "2026-10-05",
            "done_by": "Clerk Ames",
            "second_party_by": "Clerk Ames",
        },
    )
    assert same.status_code == 400
    page = as_alice.get(url(agency, "quality")).content.decode()
    assert "October 2026" in page and "1 of 1" in page


def test_the_ori_validation_page_opens_a_notice_on_a_mismatch(as_alice, agency):
    values = {
        **oris.profile_values(agency),
        "phone": "(555) 123-0000",
        "validated_on": str(agency.today()),
        "notes": "",
    }
    response = as_alice.post(url(agency, "ori"), values)
    assert response.status_code == 302
    assert DojNotice.objects.filter(agency=agency).open().count() == 1
    page = as_alice.get(url(agency, "ori")).content.decode()
    assert "1 difference" in page and "To send" in page


def test_deadlines_and_panel(as_alice, agency):
    listed(agency, 31)
    found = {d.kind: d for d, _ in collect(agency, agency.today(), agency.today())}
    assert found["validation_due"].status == "overdue"
    assert found["ori_validation_due"].status == "due_today"
    page = as_alice.get(reverse("dashboard:agency", kwargs={"ori": agency.ori}))
    assert 'id="panel-validations"' in page.content.decode()
