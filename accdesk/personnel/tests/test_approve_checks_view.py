"""Recording the agency head's approval of background checks in bulk (issue 12
§1.7)."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.personnel import worklist
from accdesk.personnel.models import BackgroundCheck
from accdesk.testing import make_check, make_eligible_operator, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def unapproved(agency, frozen_today):
    """Two people whose imported clearances have no approval on file."""
    people = []
    for employee_id in ("E1", "E2"):
        person, _ = make_eligible_operator(agency, employee_id=employee_id)
        BackgroundCheck.objects.filter(person=person).update(
            approved_by="", approved_date=None
        )
        people.append(person)
    return people


def _url(agency):
    return f"/a/{agency.ori}/roster/checks/approve/"


def _codes(agency, employee_id):
    items = worklist.compute(agency).items
    return next(i for i in items if i.employee_id == employee_id).reason_codes


def test_it_lists_the_checks_awaiting_approval(as_alice, agency, unapproved):
    assert _codes(agency, "E1") == ["CLEARANCE_NOT_APPROVED"]
    response = as_alice.get(_url(agency))
    assert response.status_code == 200
    assert len(response.context["checks"]) == 4
    assert b"Record approval" in response.content


def test_the_acc_records_the_approval_of_the_selected_checks(
    as_alice, agency, unapproved, frozen_today
):
    first = BackgroundCheck.objects.filter(person=unapproved[0])
    response = as_alice.post(
        _url(agency),
        {
            "check": [str(c.pk) for c in first],
            "approved_by": "Chief R. Alvarez",
            "on": str(frozen_today - dt.timedelta(days=1)),
        },
    )
    assert response.status_code == 302
    assert {(c.approved_by, c.approved_date) for c in first.all()} == {
        ("Chief R. Alvarez", frozen_today - dt.timedelta(days=1))
    }
    assert _codes(agency, "E1") == []
    assert _codes(agency, "E2") == ["CLEARANCE_NOT_APPROVED"]
    assert (
        ChangeRecord.objects.filter(
            object_type="personnel.backgroundcheck", action="update"
        ).count()
        == 2
    )


def test_an_approval_needs_a_selection_a_name_and_a_past_date(
    as_alice, agency, unapproved, frozen_today
):
    check = BackgroundCheck.objects.filter(person=unapproved[0]).first()
    for data in (
        {"approved_by": "Chief", "on": str(frozen_today)},  # nothing selected
        {"check": [check.pk], "approved_by": "", "on": str(frozen_today)},
        {
            "check": [check.pk],
            "approved_by": "Chief",
            "on": str(frozen_today + dt.timedelta(days=1)),
        },
        {
            "check": [check.pk],
            "approved_by": "Chief",
            "on": str(check.decision_date - dt.timedelta(days=1)),
        },
    ):
        assert as_alice.post(_url(agency), data).status_code == 400
    assert not BackgroundCheck.objects.exclude(approved_date=None).exists()


def test_a_check_of_another_agency_cannot_be_approved(
    as_alice, agency, other_agency, unapproved, frozen_today
):
    person = make_person(other_agency, employee_id="X1")
    theirs = make_check(person, check_type="state", approved_date=None, approved_by="")
    response = as_alice.post(
        _url(agency),
        {"check": [theirs.pk], "approved_by": "Chief", "on": str(frozen_today)},
    )
    assert response.status_code == 400
    theirs.refresh_from_db()
    assert theirs.approved_date is None


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam", "as_sue"])
def test_only_the_acc_records_approvals(request, agency, client):
    assert request.getfixturevalue(client).get(_url(agency)).status_code == 403
