from __future__ import annotations

import pytest
from django.urls import reverse

from accdesk.agency.models import DojNotice

pytestmark = pytest.mark.django_db


def _edit_url(agency):
    return reverse("agency:edit_profile", kwargs={"ori": agency.ori})


def _form(agency, **changes):
    data = {
        "name": agency.name,
        "address": agency.address,
        "phone": agency.phone,
        "county": agency.county,
        "agency_type": agency.agency_type,
        "ori_access": agency.ori_access,
        "time_zone": agency.time_zone,
        "effective_on": "2026-11-15",
    }
    return {**data, **changes}


def test_everyone_in_the_agency_may_read_the_profile(
    as_alice, as_bob, as_vera, as_sam, agency
):
    url = reverse("agency:profile", kwargs={"ori": agency.ori})
    for client in (as_alice, as_bob, as_vera, as_sam):
        response = client.get(url)
        assert response.status_code == 200
        assert agency.phone.encode() in response.content


def test_a_phone_change_opens_a_notify_doj_task(as_alice, agency):
    response = as_alice.post(_edit_url(agency), _form(agency, phone="(555) 777-0000"))
    notice = DojNotice.objects.get(agency=agency)
    assert response["Location"] == reverse(
        "agency:notice", kwargs={"ori": agency.ori, "pk": notice.pk}
    )
    assert notice.is_open
    assert notice.changes == [
        {
            "item": "phone",
            "label": "Agency telephone",
            "old": "(555) 010-0000",
            "new": "(555) 777-0000",
            "effective_on": "2026-11-15",
        }
    ]
    assert "CLETS Administration Section" in notice.body
    assert "was: (555) 010-0000" in notice.body
    assert "now: (555) 777-0000" in notice.body
    assert "Effective November 15, 2026" in notice.body


def test_an_address_change_is_reported_and_crlf_is_not_a_change(as_alice, agency):
    same = agency.address.replace("\n", "\r\n")
    as_alice.post(_edit_url(agency), _form(agency, address=same))
    assert not DojNotice.objects.exists()
    as_alice.post(_edit_url(agency), _form(agency, address="9 New Road\r\nTestville"))
    assert DojNotice.objects.get().changes[0]["item"] == "address"


def test_a_name_change_is_saved_without_a_notice(as_alice, agency):
    as_alice.post(_edit_url(agency), _form(agency, name="Alpha Valley PD"))
    agency.refresh_from_db()
    assert agency.name == "Alpha Valley PD"
    assert not DojNotice.objects.exists()


def test_bad_input_changes_nothing(as_alice, agency):
    response = as_alice.post(
        _edit_url(agency), _form(agency, name="", phone="1", time_zone="Mars/Olympus")
    )
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert b"Unknown time zone" in response.content
    agency.refresh_from_db()
    assert agency.phone == "(555) 010-0000"
    assert not DojNotice.objects.exists()


@pytest.mark.parametrize("persona", ["as_sam", "as_vera", "as_bob"])
def test_only_the_acc_may_edit(request, persona, agency):
    client = request.getfixturevalue(persona)
    response = client.post(_edit_url(agency), _form(agency, phone="(555) 777-0000"))
    assert response.status_code == 403
    agency.refresh_from_db()
    assert agency.phone == "(555) 010-0000"


def test_the_time_zone_is_fixed_once_query_logs_are_archived(as_alice, agency):
    from accdesk.querylogs.models import LogImport

    response = as_alice.post(_edit_url(agency), _form(agency, time_zone="UTC"))
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.time_zone == "UTC"

    LogImport.objects.create(agency=agency, filename="log.csv", sha256="0" * 64)
    response = as_alice.post(
        _edit_url(agency), _form(agency, time_zone="America/New_York")
    )
    assert response.status_code == 200
    assert "cannot change once query logs are archived" in response.content.decode()
    agency.refresh_from_db()
    assert agency.time_zone == "UTC"
    # Everything else can still change.
    response = as_alice.post(_edit_url(agency), _form(agency, county="Lakemont"))
    assert response.status_code == 302
