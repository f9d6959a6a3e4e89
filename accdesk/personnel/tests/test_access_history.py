"""The access-change history is kept whichever way a change is made: an HR roster
or accounts import that changes a role level, supervisor or access level records
it too (dated the import day), and a role level change opens the review."""

from __future__ import annotations

import pytest

from accdesk import testing
from accdesk.personnel import worklist
from accdesk.personnel.demo import csv_bytes
from accdesk.personnel.models import AccessChange
from accdesk.personnel.tests.files import run

pytestmark = pytest.mark.django_db


def _roster_row(person, **changes):
    row = {
        "employee_id": person.employee_id,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "employment_status": "active",
        "hire_date": "",
        "separation_date": "",
        "role_level": person.role_level,
        "administrator": "no",
        "sworn": "no",
        "employer": "agency",
        "supervisor_employee_id": person.supervisor_employee_id,
    }
    return {**row, **changes}


def _import(agency, kind, rows):
    result = run(kind, agency, csv_bytes(rows))
    assert result.ok, result.errors
    return result


def test_a_roster_import_keeps_role_level_and_supervisor_changes(agency, crew):
    ann = crew["ann"]
    _import(agency, "roster", [_roster_row(ann, role_level="privileged")])
    (change,) = AccessChange.objects.filter(person=ann)
    assert (change.change, change.old_value, change.new_value) == (
        "role_level",
        "general",
        "privileged",
    )
    assert change.changed_on == agency.today()
    assert "roster import" in change.note
    (item,) = [i for i in worklist.compute(agency).items if i.employee_id == "E1"]
    assert "ACCESS_REVIEW_DUE" in item.reason_codes
    # The same file again changes nothing and records nothing.
    _import(agency, "roster", [_roster_row(ann, role_level="privileged")])
    assert AccessChange.objects.filter(person=ann).count() == 1
    _import(
        agency,
        "roster",
        [_roster_row(ann, role_level="privileged", supervisor_employee_id="S9")],
    )
    latest = AccessChange.objects.filter(person=ann).latest("id")
    assert (latest.change, latest.old_value, latest.new_value) == (
        "supervisor",
        "S1",
        "S9",
    )
    assert not latest.needs_review


def test_a_new_person_in_the_roster_has_no_change(agency, frozen_today):
    person = testing.make_person(agency, employee_id="E50")
    row = _roster_row(person)
    person.delete()
    _import(agency, "roster", [row])
    assert not AccessChange.objects.exists()


def test_an_accounts_import_keeps_access_level_changes(agency, crew):
    account = crew["ben_account"]
    row = {
        "operator_id": account.operator_id,
        "employee_id": account.employee_id,
        "access_level": "ltf",
        "status": "active",
        "created_date": str(account.created_date),
        "last_activity_date": str(account.last_activity_date),
        "disabled_date": "",
    }
    _import(agency, "accounts", [row])
    (change,) = AccessChange.objects.filter(person=crew["ben"])
    assert (change.change, change.operator_id, change.old_value, change.new_value) == (
        "access_level",
        account.operator_id,
        "full",
        "ltf",
    )
