"""Django's admin cannot change what DOJ must be told about (issue 2): the agency's
telephone and address, its designated roles and the DOJ notices are read-only
there; the agency's own pages open the "Notify DOJ" task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accdesk import testing
from accdesk.agency import notices
from accdesk.agency.models import Agency, Designation, DojNotice

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return testing.signed_in_client(
        testing.make_user("root@example.test", is_superuser=True, is_staff=True)
    )


def _agency_form(agency, **changes):
    data = {
        "ori": agency.ori,
        "name": agency.name,
        "address": agency.address,
        "phone": agency.phone,
        "county": agency.county,
        "agency_type": agency.agency_type,
        "ori_access": agency.ori_access,
        "time_zone": agency.time_zone,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_the_admin_cannot_change_the_phone_or_address(root, agency):
    url = reverse("admin:agency_agency_change", args=[agency.pk])
    page = root.get(url).content.decode()
    assert 'name="phone"' not in page
    assert 'name="address"' not in page
    assert agency.phone in page  # shown, read-only
    response = root.post(
        url,
        _agency_form(
            agency, name="Renamed", phone="(555) 999-0000", address="9 Elm St"
        ),
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.name == "Renamed"  # other fields stay editable
    assert (agency.phone, agency.address) == (
        "(555) 010-0000",
        "1 Main Street\nTestville, CA 90000",
    )
    assert not DojNotice.objects.exists()


def test_a_new_agency_gets_its_phone_and_address_in_the_admin(root):
    page = root.get(reverse("admin:agency_agency_add")).content.decode()
    assert 'name="phone"' in page
    assert 'name="address"' in page


def _urls(name, obj):
    return {
        "add": reverse(f"admin:agency_{name}_add"),
        "change": reverse(f"admin:agency_{name}_change", args=[obj.pk]),
        "delete": reverse(f"admin:agency_{name}_delete", args=[obj.pk]),
    }


@pytest.mark.parametrize("model", [Designation, DojNotice])
def test_designations_and_notices_are_read_only_in_the_admin(root, agency, model):
    notices.designate(
        agency, "acc", name="Robert Kim", effective_on=dt.date(2024, 1, 1)
    )
    obj = model.objects.get()
    before = model.objects.filter(pk=obj.pk).values().get()
    urls = _urls(model._meta.model_name, obj)
    assert root.get(urls["change"]).status_code == 200  # view only
    assert root.get(urls["add"]).status_code == 403
    assert root.post(urls["add"], {}).status_code == 403
    assert root.post(urls["change"], {"name": "X", "body": "X"}).status_code == 403
    assert root.post(urls["delete"], {"post": "yes"}).status_code == 403
    changelist = reverse(f"admin:agency_{model._meta.model_name}_changelist")
    response = root.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)  # no such action: nothing happens
    assert model.objects.filter(pk=obj.pk).values().get() == before
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_an_agency_cannot_be_deleted_in_the_admin(root, agency):
    url = reverse("admin:agency_agency_delete", args=[agency.pk])
    assert root.post(url, {"post": "yes"}).status_code == 403
    response = root.post(
        reverse("admin:agency_agency_changelist"),
        {"action": "delete_selected", "_selected_action": [agency.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Agency.objects.filter(pk=agency.pk).exists()
