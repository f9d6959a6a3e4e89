"""Reading the roster inputs from the database: the right facts, on the right
person, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from accdesk.personnel.eligibility import evaluate
from accdesk.personnel.facts import load_facts
from accdesk.personnel.models import Deactivation, PolicySetting
from accdesk.personnel.policy import NEXTEST_MONTHS
from accdesk.testing import (
    make_account,
    make_certification,
    make_check,
    make_eligible_operator,
    make_person,
    make_signed_form,
    make_training,
)

pytestmark = pytest.mark.django_db


def _by_id(facts):
    return {p.employee_id: p for p in facts.people}


def test_it_attaches_every_input_to_its_person(agency):
    person, account = make_eligible_operator(agency, employee_id="E1")
    make_signed_form(person, form="areas_of_liability")
    make_signed_form(person, form="security_awareness_ack")  # evidence only
    make_training(person, course="ir_training", level="")  # not a rule input
    facts = load_facts(agency)
    loaded = _by_id(facts)["E1"]
    assert [a.operator_id for a in loaded.accounts] == [account.operator_id]
    assert sorted(c.check for c in loaded.checks) == ["fbi", "state"]
    assert [t.kind for t in loaded.awareness_training] == ["general"]
    assert set(loaded.forms) == {"employee_statement", "areas_of_liability"}
    assert [c.kind for c in facts.operator_tests[account.operator_id]] == ["full"]
    assert evaluate(facts, agency.today()).items[0].status == "eligible"


def test_it_reads_the_employment_dates(agency):
    make_person(
        agency,
        employee_id="E1",
        employment_status="active",
        hire_date=dt.date(2026, 7, 1),
        separation_date=dt.date(2027, 1, 31),
    )
    make_person(agency, employee_id="E2")
    loaded = _by_id(load_facts(agency))
    assert loaded["E1"].hire_date == dt.date(2026, 7, 1)
    assert loaded["E1"].separation_date == dt.date(2027, 1, 31)
    assert loaded["E1"].employment_status == "active"
    assert loaded["E2"].hire_date is None


def test_it_keeps_the_first_signature_of_each_form(agency):
    person = make_person(agency)
    today = agency.today()
    make_signed_form(person, signed_date=today - dt.timedelta(days=10))
    make_signed_form(person, signed_date=today - dt.timedelta(days=900))
    loaded = load_facts(agency).people[0]
    assert loaded.forms["employee_statement"] == today - dt.timedelta(days=900)


def test_a_persons_accounts_come_earliest_first_then_by_operator_id(agency):
    person = make_person(agency, employee_id="E1")
    today = agency.today()
    for operator_id, days in (
        ("NEW", 10),
        ("OLD-B", 900),
        ("MID", 300),
        ("OLD-A", 900),
    ):
        make_account(
            agency,
            person,
            operator_id=operator_id,
            created_date=today - dt.timedelta(days=days),
        )
    loaded = load_facts(agency).people[0]
    assert [a.operator_id for a in loaded.accounts] == ["OLD-A", "OLD-B", "MID", "NEW"]
    (item,) = evaluate(load_facts(agency), today, upcoming=False).items
    assert item.operator_id == "OLD-A"


def test_orphan_accounts_come_earliest_first(agency):
    today = agency.today()
    make_account(agency, operator_id="LATE", created_date=today)
    make_account(agency, operator_id="EARLY", created_date=today - dt.timedelta(1))
    facts = load_facts(agency)
    assert [a.operator_id for a in facts.orphan_accounts] == ["EARLY", "LATE"]


def test_accounts_matching_no_one_are_orphans(agency):
    make_person(agency, employee_id="E1")
    make_account(agency, operator_id="GHOST", employee_id="E404")
    make_account(agency, operator_id="NOBODY", employee_id="")
    facts = load_facts(agency)
    assert sorted(a.operator_id for a in facts.orphan_accounts) == ["GHOST", "NOBODY"]


def test_security_awareness_tests_reach_their_person_by_operator_or_employee_id(agency):
    with_account = make_person(agency, employee_id="E1")
    account = make_account(agency, with_account)
    clerk = make_person(agency, employee_id="E2")
    make_certification(account, test="security_awareness")
    make_certification(
        account,
        operator_id="",
        employee_id=clerk.employee_id,
        test="security_awareness",
    )
    people = _by_id(load_facts(agency))
    assert len(people["E1"].awareness_tests) == 1
    assert len(people["E2"].awareness_tests) == 1


def test_it_knows_the_latest_deactivation_mark_of_each_account(agency):
    person = make_person(agency)
    account = make_account(agency, person)
    today = agency.today()
    for days in (30, 3):
        Deactivation.objects.create(
            agency=agency,
            account=account,
            deactivated_on=today - dt.timedelta(days=days),
            marked_by="alice",
        )
    loaded = load_facts(agency).people[0].accounts[0]
    assert loaded.marked_deactivated_on == today - dt.timedelta(days=3)


def test_it_reads_the_agencys_policy_versions(agency, other_agency):
    PolicySetting.objects.create(
        agency=agency,
        name=NEXTEST_MONTHS,
        value=24,
        effective_from=dt.date(2010, 1, 1),
        citation="test",
    )
    assert load_facts(agency).policy.value(NEXTEST_MONTHS, dt.date(2020, 1, 1)) == 24
    assert (
        load_facts(other_agency).policy.value(NEXTEST_MONTHS, dt.date(2020, 1, 1)) == 12
    )


def test_it_reads_only_the_agencys_own_records(agency, other_agency):
    make_eligible_operator(agency, employee_id="E1")
    make_eligible_operator(other_agency, employee_id="E1")
    make_account(other_agency, operator_id="THEIRS", employee_id="E404")
    facts = load_facts(agency)
    assert len(facts.people) == 1 and facts.orphan_accounts == []
    assert len(facts.people[0].checks) == 2


def test_a_supervisor_scope_reads_only_their_people_and_no_orphans(agency):
    mine, my_account = make_eligible_operator(agency, supervisor_employee_id="S1")
    make_eligible_operator(agency, supervisor_employee_id="S2")
    make_account(agency, operator_id="GHOST", employee_id="E404")
    facts = load_facts(agency, people=Q(supervisor_employee_id="S1"))
    assert [p.employee_id for p in facts.people] == [mine.employee_id]
    assert facts.orphan_accounts == []
    assert list(facts.operator_tests) == [my_account.operator_id]
    assert len(facts.people[0].checks) == 2


def test_the_number_of_queries_does_not_grow_with_the_roster(
    agency, django_assert_num_queries
):
    for _ in range(5):
        person, _ = make_eligible_operator(agency)
        make_check(person, check_type="fbi", decided=agency.today())
    # One query per table; the ninth reads the access changes (issue 12 §2).
    with django_assert_num_queries(9):
        facts = load_facts(agency)
    assert len(facts.people) == 5
