"""Adding evidence to a record through its upload page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from accdesk.evidence.models import EvidenceFile
from accdesk.testing import TINY_PDF, make_evidence, make_person

pytestmark = pytest.mark.django_db

RENAMED_PROGRAM = (
    b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"PE\x00\x00" + b"\x00" * 300
)


def _add_url(agency, app="agency", model="agency", pk=None):
    return reverse(
        "evidence:add",
        kwargs={
            "ori": agency.ori,
            "app_label": app,
            "model_name": model,
            "pk": pk or agency.pk,
        },
    )


def _upload(name, data):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def _form(alice, name="hdc-0001.pdf", data=TINY_PDF, **extra):
    return {
        "file": _upload(name, data),
        "title": "CLETS Subscriber Agreement",
        "kind": "signed_copy",
        "effective_date": "2026-01-15",
        "expiry_date": "",
        "owner": alice.pk,
        "notes": "",
        **extra,
    }


def test_the_acc_adds_a_signed_copy_to_the_agency(as_alice, alice, agency, settings):
    response = as_alice.post(
        _add_url(agency) + "?next=/a/" + agency.ori + "/profile/", _form(alice)
    )
    assert response.status_code == 302
    assert response["Location"] == f"/a/{agency.ori}/profile/"
    (evidence,) = EvidenceFile.objects.filter(agency=agency)
    assert evidence.record == agency and evidence.owner == alice
    assert evidence.uploaded_by == alice and evidence.uploaded_by_label == alice.email
    page = as_alice.get(f"/a/{agency.ori}/profile/").content.decode()
    assert "CLETS Subscriber Agreement" in page and "Evidence files" in page


def test_a_renamed_executable_is_refused_with_a_clear_message(
    as_alice, alice, agency, settings
):
    response = as_alice.post(
        _add_url(agency), _form(alice, name="agreement.pdf", data=RENAMED_PROGRAM)
    )
    assert response.status_code == 400
    assert (
        "“agreement.pdf” is named as a PDF, but its contents are a Windows program"
        in response.content.decode()
    )
    assert not EvidenceFile.objects.exists()
    assert not list((settings.DATA_DIR / "evidence").rglob("*.enc"))


def test_a_file_over_the_size_limit_is_refused(as_alice, alice, agency, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    big = TINY_PDF + b"0" * (1024 * 1024)
    response = as_alice.post(_add_url(agency), _form(alice, name="scan.pdf", data=big))
    assert response.status_code == 400
    assert (
        "larger than the limit for evidence files (1 MB)" in response.content.decode()
    )
    assert not EvidenceFile.objects.exists()


def test_an_expiry_before_the_effective_date_is_refused(as_alice, alice, agency):
    response = as_alice.post(_add_url(agency), _form(alice, expiry_date="2025-12-31"))
    assert response.status_code == 400
    assert "The expiry date is before the effective date." in response.content.decode()


def test_a_viewer_cannot_add_evidence(as_vera, alice, agency):
    response = as_vera.post(_add_url(agency), _form(alice))
    assert response.status_code == 403
    assert not EvidenceFile.objects.exists()


def test_the_spoc_cannot_add_to_a_record_they_may_not_edit(as_sam, alice, agency):
    # The agency profile is the ACC's to edit (agency.edit).
    response = as_sam.post(_add_url(agency), _form(alice))
    assert response.status_code == 403


def test_a_record_of_another_agency_or_type_is_not_found(
    as_alice, alice, agency, other_agency
):
    assert as_alice.get(_add_url(agency, pk=other_agency.pk)).status_code == 404
    stranger = make_person(other_agency)
    url = _add_url(agency, app="personnel", model="person", pk=stranger.pk)
    assert as_alice.get(url).status_code == 404
    # A model that takes no evidence.
    assert (
        as_alice.get(
            _add_url(agency, app="core", model="changerecord", pk=1)
        ).status_code
        == 404
    )


def test_a_new_version_keeps_the_old_one_and_its_file(as_alice, alice, agency):
    first = make_evidence(agency, data=TINY_PDF + b"first", owner=alice)
    url = reverse("evidence:new_version", kwargs={"ori": agency.ori, "pk": first.pk})
    assert "Version 1" in as_alice.get(url).content.decode()
    response = as_alice.post(url, _form(alice, data=TINY_PDF + b"second"))
    assert response.status_code == 302
    first.refresh_from_db()
    second = first.replaced_by
    assert second.version == 2 and not first.is_current
    old = as_alice.get(
        reverse("evidence:file", kwargs={"ori": agency.ori, "pk": first.pk})
    )
    assert b"".join(old.streaming_content) == TINY_PDF + b"first"
    detail = as_alice.get(
        reverse("evidence:detail", kwargs={"ori": agency.ori, "pk": second.pk})
    )
    assert detail.content.decode().count("signed-copy.pdf") >= 1
    assert "Superseded" in detail.content.decode()


def test_a_superseded_version_takes_no_new_version(as_alice, alice, agency):
    first = make_evidence(agency, owner=alice)
    make_evidence(agency, owner=alice, replaces=first)
    url = reverse("evidence:new_version", kwargs={"ori": agency.ori, "pk": first.pk})
    response = as_alice.post(url, _form(alice))
    assert response.status_code == 302
    assert EvidenceFile.objects.count() == 2


def test_marking_superseded_keeps_the_file(as_alice, alice, agency):
    evidence = make_evidence(agency, owner=alice)
    url = reverse("evidence:supersede", kwargs={"ori": agency.ori, "pk": evidence.pk})
    as_alice.post(url, {"note": "Withdrawn: replaced by the 2026 agreement"})
    evidence.refresh_from_db()
    assert not evidence.is_current
    assert evidence.superseded_note == "Withdrawn: replaced by the 2026 agreement"
    assert evidence.superseded_by_label == alice.email
