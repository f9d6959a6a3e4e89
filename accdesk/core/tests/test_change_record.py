"""The change record: append-only, masked, and written from every write path."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from accdesk import testing
from accdesk.agency.models import Agency
from accdesk.core.actor import acting_as
from accdesk.core.audit import diff, mask_date, record_changes, record_event
from accdesk.core.models import AppendOnlyError, ChangeRecord

pytestmark = pytest.mark.django_db


def _record():
    return record_event("test.event", message="hello")


def test_a_record_cannot_be_changed(agency):
    record = _record()
    record.message = "rewritten"
    with pytest.raises(AppendOnlyError):
        record.save()


def test_a_record_cannot_be_deleted():
    record = _record()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        ChangeRecord.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        ChangeRecord.objects.update(message="x")
    assert ChangeRecord.objects.filter(pk=record.pk, message="hello").exists()


def test_the_admin_cannot_change_or_delete_records():
    superuser = testing.make_user("root@example.test", is_superuser=True, is_staff=True)
    client = testing.signed_in_client(superuser)
    record = _record()
    url = reverse("admin:core_changerecord_change", args=[record.pk])
    assert client.get(url).status_code == 200  # view only
    response = client.post(url, {"message": "rewritten"})
    assert response.status_code == 403
    delete = reverse("admin:core_changerecord_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ChangeRecord.objects.filter(pk=record.pk, message="hello").exists()


def test_times_are_shown_in_utc_to_hundredths():
    record = _record()
    record.at = dt.datetime(2026, 3, 1, 8, 5, 9, 123456, tzinfo=dt.UTC)
    assert record.at_display == "2026-03-01 08:05:09.12Z"


def _fake(**kwargs):
    kwargs.setdefault("audit_restricted", False)
    kwargs.setdefault("audit_private_fields", frozenset())
    kwargs.setdefault("audit_masked_fields", {})
    return SimpleNamespace(**kwargs)


def test_masked_fields_keep_the_year_only():
    names, values = diff(
        _fake(audit_masked_fields={"dob": mask_date}),
        {"dob": "1980-04-05"},
        {"dob": "1981-06-07"},
    )
    assert names == ["dob"]
    assert values == {"dob": ["1980-**-**", "1981-**-**"]}


def test_private_fields_are_named_but_not_stored():
    names, values = diff(
        _fake(audit_private_fields=frozenset({"password"})),
        {"password": "hash1", "email": "a"},
        {"password": "hash2", "email": "b"},
    )
    assert names == ["email", "password"]
    assert values == {"email": ["a", "b"]}


def test_restricted_records_keep_field_names_only():
    names, values = diff(
        _fake(audit_restricted=True),
        {"subject": "DOE,JOHN", "case": "1"},
        {"subject": "ROE,RICHARD", "case": "1"},
    )
    assert names == ["subject"]
    assert values == {}


def test_a_password_change_is_recorded_without_the_hash(alice):
    alice.set_password("another long passphrase")
    alice.save()
    record = ChangeRecord.objects.filter(
        object_type="access.user", action="update"
    ).latest("id")
    assert "password" in record.changed_fields
    assert "password" not in record.changes
    assert "pbkdf2" not in str(record.changes) and "md5" not in str(record.changes)


# -- one test per write path ---------------------------------------------------------


def test_a_page_edit_is_recorded_with_the_user(as_alice, agency):
    as_alice.post(
        reverse("agency:edit_profile", kwargs={"ori": agency.ori}),
        {
            "name": agency.name,
            "address": agency.address,
            "phone": "(555) 123-0000",
            "county": "",
            "agency_type": "cja",
            "ori_access": "full",
            "time_zone": agency.time_zone,
            "effective_on": "2026-11-01",
        },
    )
    record = ChangeRecord.objects.get(object_type="agency.agency", action="update")
    assert record.actor_label == "alice@alpha.test"
    assert record.agency_id == agency.pk
    assert record.changes == {"phone": ["(555) 010-0000", "(555) 123-0000"]}
    assert record.request_id


def test_an_admin_edit_is_recorded_with_the_superuser(agency):
    superuser = testing.make_user("root@example.test", is_superuser=True, is_staff=True)
    client = testing.signed_in_client(superuser)
    url = reverse("admin:agency_agency_change", args=[agency.pk])
    response = client.post(
        url,
        {
            "ori": agency.ori,
            "name": "Renamed Agency",
            "address": agency.address,
            "phone": agency.phone,
            "county": "",
            "agency_type": "cja",
            "ori_access": "full",
            "time_zone": agency.time_zone,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    record = ChangeRecord.objects.get(object_type="agency.agency", action="update")
    assert record.actor_label == "root@example.test"
    assert record.changes["name"] == [
        "Alpha Valley Police Department",
        "Renamed Agency",
    ]


def test_a_command_is_recorded_as_the_os_user():
    call_command("agency", "add", "--ori", "CA0370000", "--name", "Harbor PD")
    record = ChangeRecord.objects.get(object_type="agency.agency", action="create")
    assert record.actor_label.startswith("cli:")
    assert record.changes["ori"] == [None, "CA0370000"]


def test_bulk_writes_record_through_record_changes(agency):
    agencies = Agency.objects.bulk_create([Agency(ori="CA0380000", name="Bulk One")])
    with acting_as("cli:bulk"):
        assert record_changes([(agencies[0], "create", None)]) == 1
    record = ChangeRecord.objects.get(
        object_type="agency.agency", object_id=str(agencies[0].pk)
    )
    assert record.actor_label == "cli:bulk"
    assert record.action == "create"
