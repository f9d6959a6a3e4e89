"""The reconciliation page: roster vs. CLETS accounts vs. NexTEST."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.personnel.reconcile import reconcile
from accdesk.testing import (
    make_account,
    make_certification,
    make_eligible_operator,
    make_person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mismatches(agency, crew, frozen_today):
    make_person(agency, employee_id="E7", last_name="Noaccount")
    make_person(agency, employee_id="E8", employment_status="separated")
    ghost = make_account(agency, operator_id="GHOST", employee_id="E404")
    make_person(agency, employee_id="E9", absent_from_roster_since=frozen_today)
    make_certification(ghost, operator_id="LPD777")
    make_certification(
        ghost, operator_id="", employee_id="E555", test="security_awareness"
    )
    return ghost


def test_it_lists_each_kind_of_mismatch(as_alice, agency, mismatches):
    response = as_alice.get(f"/a/{agency.ori}/roster/reconciliation/")
    assert response.status_code == 200
    r = response.context["r"]
    assert sorted(p.employee_id for p in r.no_account) == ["E7", "E9"]
    assert [a.operator_id for a in r.not_on_roster] == ["GHOST"]
    assert [c.operator_id for c in r.nextest_no_account] == ["LPD777"]
    assert [c.employee_id for c in r.nextest_not_on_roster] == ["E555"]
    assert [p.employee_id for p in r.absent_from_roster] == ["E9"]
    assert b"NexTEST: new operators (CSV)" in response.content


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam"])
def test_read_only_roles_see_it_without_the_export(request, agency, mismatches, client):
    response = request.getfixturevalue(client).get(
        f"/a/{agency.ori}/roster/reconciliation/"
    )
    assert response.status_code == 200
    assert b"NexTEST: new operators" not in response.content


def test_a_supervisor_may_not(as_sue, agency, mismatches):
    assert as_sue.get(f"/a/{agency.ori}/roster/reconciliation/").status_code == 403


def test_an_outsider_gets_404(as_charlie, agency, mismatches):
    assert as_charlie.get(f"/a/{agency.ori}/roster/reconciliation/").status_code == 404


def test_separated_means_what_the_rules_say_status_or_a_passed_date(
    agency, frozen_today
):
    """``is_separated``: status ``separated``, or a separation date on or before
    today -- a passed date separates someone HR left ``active``."""
    day = dt.timedelta(days=1)
    make_person(agency, employee_id="STAYS")
    make_person(agency, employee_id="LEAVING", separation_date=frozen_today + day)
    make_person(agency, employee_id="LEFT", separation_date=frozen_today - day)
    make_person(agency, employee_id="TODAY", separation_date=frozen_today)
    make_person(
        agency,
        employee_id="SAYS-SO",
        employment_status="separated",
        separation_date=frozen_today + day,
    )
    r = reconcile(agency)
    assert sorted(p.employee_id for p in r.no_account) == ["LEAVING", "STAYS"]
    # On a later day the leaver has left too.
    later = reconcile(agency, frozen_today + day)
    assert [p.employee_id for p in later.no_account] == ["STAYS"]


def test_it_shows_the_issue_12_findings(as_alice, agency, frozen_today):
    from accdesk.personnel.models import BackgroundCheck, OperatorIdHolder

    person, account = make_eligible_operator(agency, employee_id="E1")
    BackgroundCheck.objects.filter(person=person).update(
        approved_date=account.created_date + dt.timedelta(days=1)
    )
    OperatorIdHolder.objects.create(
        agency=agency,
        operator_id=account.operator_id,
        employee_id="E0",
        created_date=dt.date(2019, 1, 1),
        disabled_date=account.created_date - dt.timedelta(days=30),
        replaced_on=account.created_date,
    )
    response = as_alice.get(f"/a/{agency.ori}/roster/reconciliation/")
    html = response.content.decode()
    r = response.context["r"]
    assert [f["employee_id"] for f in r.access_before_clearance] == ["E1"]
    assert [f["previous_employee_id"] for f in r.identifier_reused] == ["E0"]
    assert "Accounts created before clearance (1)" in html
    assert "Operator IDs reused within a year (1)" in html
