from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accdesk.agency import notices
from accdesk.agency.models import Designation, DojNotice

pytestmark = pytest.mark.django_db
D = dt.date


def _designate_url(agency, kind):
    return reverse("agency:designate", kwargs={"ori": agency.ori, "kind": kind})


def test_replacing_the_acc_keeps_history_and_opens_a_notice(as_alice, agency):
    _, first = notices.designate(
        agency, "acc", name="Robert Kim", effective_on=D(2024, 1, 1)
    )
    notices.mark_sent(first, D(2024, 1, 2), None)
    as_alice.post(
        _designate_url(agency, "acc"),
        {
            "name": "Maria Alvarez",
            "title": "Sergeant",
            "phone": "(555) 010-4410",
            "email": "maria@alpha.test",
            "effective_on": "2026-10-01",
        },
    )
    old, new = Designation.objects.filter(kind="acc").order_by("starts_on")
    assert (old.name, old.ends_on) == ("Robert Kim", D(2026, 9, 30))
    assert (new.name, new.ends_on) == ("Maria Alvarez", None)
    notice = DojNotice.objects.latest("id")
    assert notice.changes[0]["old"] == "Robert Kim"
    assert notice.changes[0]["new"].startswith("Maria Alvarez, Sergeant")


@pytest.mark.parametrize("kind", ["agency_head", "spoc"])
def test_agency_head_and_spoc_changes_are_reported(agency, kind):
    _, notice = notices.designate(agency, kind, name="X Y", effective_on=D(2026, 1, 1))
    assert notice is not None and notice.changes[0]["item"] == kind


@pytest.mark.parametrize("kind", ["doj_field_rep", "other"])
def test_other_contacts_are_not_reported(agency, kind):
    _, notice = notices.designate(agency, kind, name="X Y", effective_on=D(2026, 1, 1))
    assert notice is None


def test_the_notice_is_addressed_to_the_field_representative(agency):
    notices.designate(
        agency,
        "doj_field_rep",
        name="Jordan Lee",
        email="jl@doj.test",
        effective_on=D(2020, 1, 1),
    )
    _, notice = notices.designate(
        agency, "spoc", name="Kevin Osei", effective_on=D(2026, 1, 1)
    )
    assert "cc: Jordan Lee, DOJ Field Representative (jl@doj.test)" in notice.body


def test_a_replacement_must_start_after_the_current_holder(as_alice, agency):
    notices.designate(agency, "acc", name="Robert Kim", effective_on=D(2026, 5, 1))
    response = as_alice.post(
        _designate_url(agency, "acc"),
        {"name": "Maria Alvarez", "effective_on": "2026-05-01"},
    )
    assert b"must take effect after 2026-05-01" in response.content
    assert Designation.objects.get(kind="acc").name == "Robert Kim"
    assert not DojNotice.objects.filter(changes__0__new__startswith="Maria").exists()


def test_the_database_allows_one_current_holder_per_role(agency):
    Designation.objects.create(
        agency=agency, kind="spoc", name="A", starts_on=D(2026, 1, 1)
    )
    with pytest.raises(IntegrityError):
        Designation.objects.create(
            agency=agency, kind="spoc", name="B", starts_on=D(2026, 2, 1)
        )


def test_any_number_of_other_contacts(agency):
    for name in ("A", "B", "C"):
        notices.designate(agency, "other", name=name, effective_on=D(2026, 1, 1))
    assert agency.designations.filter(kind="other", ends_on__isnull=True).count() == 3


def test_editing_contact_details_is_not_a_change_of_holder(as_alice, agency):
    holder, _ = notices.designate(
        agency, "acc", name="Robert Kim", effective_on=D(2026, 1, 1)
    )
    url = reverse(
        "agency:edit_designation", kwargs={"ori": agency.ori, "pk": holder.pk}
    )
    as_alice.post(url, {"title": "Lieutenant", "phone": "1", "email": ""})
    holder.refresh_from_db()
    assert holder.title == "Lieutenant"
    assert DojNotice.objects.count() == 1  # only the original designation


def test_a_viewer_cannot_designate(as_vera, agency):
    response = as_vera.post(
        _designate_url(agency, "acc"), {"name": "Mallory", "effective_on": "2026-01-01"}
    )
    assert response.status_code == 403
    assert not Designation.objects.exists()
