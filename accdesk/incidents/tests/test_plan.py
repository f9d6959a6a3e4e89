"""The incident response plan: versions, approval and test each due 12 months on
(IR-1, IR-3, IR-8), the distribution list's e-mail and acknowledgements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accdesk.incidents import rules
from accdesk.incidents.models import Acknowledgement, PlanTest, ResponsePlan
from accdesk.testing import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_now")]
TODAY = dt.date(2026, 12, 4)


def _plan(agency, **kwargs):
    kwargs.setdefault("version", "1")
    return ResponsePlan.objects.create(agency=agency, **kwargs)


def test_no_approved_plan_is_missing(agency):
    assert rules.approval_duty(agency, TODAY).status == "missing"
    _plan(agency)
    assert rules.approval_duty(agency, TODAY).status == "missing"


@pytest.mark.parametrize(
    ("approved", "status"),
    [
        (dt.date(2025, 12, 4), "due"),  # due today: not yet overdue
        (dt.date(2025, 12, 3), "overdue"),
        (dt.date(2026, 6, 1), "ok"),
    ],
)
def test_the_approval_is_due_12_months_on(agency, approved, status):
    _plan(agency, approved_on=approved, approved_by="Chief")
    duty = rules.approval_duty(agency, TODAY)
    assert duty.status == status
    assert duty.due_on == dt.date(approved.year + 1, approved.month, approved.day)


def test_the_test_is_due_12_months_after_the_last_one(agency):
    plan = _plan(agency, approved_on=dt.date(2026, 1, 10), approved_by="Chief")
    assert rules.test_duty(agency, TODAY).due_on == dt.date(2027, 1, 10)
    PlanTest.objects.create(
        agency=agency,
        plan=plan,
        tested_on=dt.date(2025, 11, 30),
        kind="tabletop",
        participants="ACC, SPOC",
    )
    duty = rules.test_duty(agency, TODAY)
    assert (duty.due_on, duty.status) == (dt.date(2026, 11, 30), "overdue")


def test_the_acc_adds_approves_and_notifies_a_version(as_alice, alice, vera, agency):
    person = make_person(agency, ir_role=True)
    base = f"/a/{agency.ori}/incidents/plan/"
    response = as_alice.post(
        f"{base}new/",
        {
            "version": "2",
            "summary": "New DOJ contacts",
            "distribution_members": [vera.pk],
            "distribution_people": [person.pk],
        },
    )
    assert response.status_code == 302
    plan = ResponsePlan.objects.get()
    as_alice.post(
        f"{base}{plan.pk}/approve/",
        {"approved_by": "Chief Dana Whitfield", "approved_on": "2026-12-01"},
    )
    plan.refresh_from_db()
    assert plan.approved_on == dt.date(2026, 12, 1)
    as_alice.post(f"{base}{plan.pk}/notify/")
    assert [m.to for m in mail.outbox] == [[vera.email]]
    assert "version 2" in mail.outbox[0].subject
    page = as_alice.get(base).content.decode()
    assert page.count("Must acknowledge") == 2
    as_alice.post(f"{base}{plan.pk}/acknowledge/{person.pk}/")
    assert Acknowledgement.objects.filter(person=person).exists()


def test_a_member_on_the_list_acknowledges(vera, as_vera, agency):
    plan = _plan(agency, approved_on=dt.date(2026, 12, 1), approved_by="Chief")
    plan.distribution_members.add(vera)
    dashboard = as_vera.get(f"/a/{agency.ori}/").content.decode()
    assert "waiting for your acknowledgement" in dashboard
    as_vera.post(f"/a/{agency.ori}/incidents/plan/{plan.pk}/acknowledge/")
    as_vera.post(f"/a/{agency.ori}/incidents/plan/{plan.pk}/acknowledge/")
    assert Acknowledgement.objects.filter(user=vera).count() == 1


def test_someone_not_on_the_list_cannot_acknowledge(as_vera, agency):
    plan = _plan(agency)
    as_vera.post(f"/a/{agency.ori}/incidents/plan/{plan.pk}/acknowledge/")
    assert not Acknowledgement.objects.exists()


def test_a_test_is_recorded_and_a_viewer_cannot(as_alice, as_vera, agency):
    url = f"/a/{agency.ori}/incidents/plan/tests/"
    data = {"tested_on": "2026-11-20", "kind": "tabletop", "participants": "ACC"}
    assert as_vera.post(url, data).status_code == 403
    as_alice.post(url, data)
    assert PlanTest.objects.get().tested_on == dt.date(2026, 11, 20)
