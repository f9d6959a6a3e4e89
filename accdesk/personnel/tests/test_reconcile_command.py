"""``accdesk reconcile --agency ORI [--as-of YYYY-MM-DD] --format json`` (issue 12
§1.8, §2 "Identifiers")."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from accdesk.core.imports import run_import
from accdesk.personnel.demo import csv_bytes
from accdesk.personnel.imports import FORMATS
from accdesk.personnel.models import BackgroundCheck, PolicySetting
from accdesk.testing import (
    make_account,
    make_check,
    make_eligible_operator,
    make_person,
    make_training,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
TODAY = dt.date(2026, 6, 15)
LISTS = (
    "not_on_roster",
    "absent_from_roster",
    "no_account",
    "nextest_no_account",
    "nextest_not_on_roster",
    "access_before_clearance",
    "access_before_training",
    "identifier_reused",
)


def _reconcile(agency, *args):
    out = io.StringIO()
    call_command(
        "reconcile", "--agency", agency.ori, *args, "--format", "json", stdout=out
    )
    return json.loads(out.getvalue())


def _operator(agency, employee_id, created, approved, trained):
    person = make_person(agency, employee_id=employee_id)
    account = make_account(
        agency, person, operator_id=f"OP-{employee_id}", created_date=created
    )
    for check in ("state", "fbi"):
        make_check(
            person,
            check_type=check,
            decided=dt.date(2022, 1, 3),
            approved_date=approved[check],
        )
    make_training(person, completed_date=trained)
    return person, account


def test_it_lists_every_list_of_the_page_by_name(agency):
    make_account(agency, operator_id="GHOST", employee_id="E404")
    data = _reconcile(agency)
    assert data["agency"] == agency.ori and data["as_of"] == "2026-06-15"
    assert [k for k in data if k not in ("agency", "as_of")] == list(LISTS)
    assert data["not_on_roster"][0]["operator_id"] == "GHOST"


@pytest.mark.parametrize(
    ("created", "listed"),
    [
        (dt.date(2022, 3, 9), True),  # the day before the later approval
        (dt.date(2022, 3, 10), False),  # on it
        (dt.date(2022, 3, 11), False),
    ],
)
def test_access_before_clearance_counts_from_the_later_approval(
    agency, created, listed
):
    approved = {"state": dt.date(2022, 1, 5), "fbi": dt.date(2022, 3, 10)}
    _operator(agency, "E1", created, approved, dt.date(2022, 1, 1))
    found = _reconcile(agency)["access_before_clearance"]
    expected = [
        {
            "employee_id": "E1",
            "operator_id": "OP-E1",
            "account_created": created.isoformat(),
            "cleared_on": "2022-03-10",
        }
    ]
    assert found == (expected if listed else [])


def test_an_approval_after_the_as_of_date_is_not_a_clearance_yet(agency):
    approved = {"state": dt.date(2022, 1, 5), "fbi": dt.date(2022, 3, 10)}
    _operator(agency, "E1", dt.date(2022, 2, 1), approved, dt.date(2022, 1, 1))
    assert _reconcile(agency, "--as-of", "2022-03-09")["access_before_clearance"] == []
    assert len(_reconcile(agency, "--as-of", "2022-03-10")["access_before_clearance"])


@pytest.mark.parametrize(
    ("created", "trained", "listed"),
    [
        (dt.date(2022, 11, 30), dt.date(2023, 1, 1), False),  # before the rule
        (dt.date(2022, 12, 1), dt.date(2023, 1, 1), True),  # from its first day
        (dt.date(2023, 5, 1), dt.date(2023, 5, 2), True),  # the day before
        (dt.date(2023, 5, 2), dt.date(2023, 5, 2), False),  # trained that day
    ],
)
def test_access_before_training_from_december_2022(agency, created, trained, listed):
    approved = {"state": dt.date(2022, 1, 5), "fbi": dt.date(2022, 1, 5)}
    _operator(agency, "E1", created, approved, trained)
    found = _reconcile(agency)["access_before_training"]
    expected = [
        {
            "employee_id": "E1",
            "operator_id": "OP-E1",
            "account_created": created.isoformat(),
            "first_training_on": trained.isoformat(),
        }
    ]
    assert found == (expected if listed else [])


def test_the_training_before_access_date_is_a_dated_setting(agency):
    approved = {"state": dt.date(2022, 1, 5), "fbi": dt.date(2022, 1, 5)}
    _operator(agency, "E1", dt.date(2022, 6, 1), approved, dt.date(2022, 7, 1))
    assert _reconcile(agency)["access_before_training"] == []
    PolicySetting.objects.create(
        agency=agency,
        name="training_before_access_from",
        value=20220101,
        effective_from=dt.date(2026, 1, 1),
        citation="Agency policy: training before access since 2022",
    )
    assert len(_reconcile(agency)["access_before_training"]) == 1


def test_unapproved_or_record_without_cso_grant_is_not_a_clearance_date(agency):
    person, _ = make_eligible_operator(agency, employee_id="E1")
    BackgroundCheck.objects.filter(person=person, check_type="fbi").update(
        result="record"
    )
    assert _reconcile(agency)["access_before_clearance"] == []


def _accounts(agency, rows):
    base = {
        "access_level": "full",
        "status": "active",
        "last_activity_date": "",
        "disabled_date": "",
    }
    data = csv_bytes([{**base, **row} for row in rows])
    result = run_import(FORMATS["accounts"], io.BytesIO(data), "a.csv", agency)
    assert result.ok, result.errors


@pytest.mark.parametrize(
    ("new_created", "listed"),
    [("2026-03-01", True), ("2026-03-02", True), ("2026-03-03", False)],
)
def test_an_operator_id_reused_within_a_year_of_deactivation(
    agency, new_created, listed
):
    make_person(agency, employee_id="E1")
    make_person(agency, employee_id="E2")
    _accounts(
        agency,
        [
            {
                "operator_id": "LPD7",
                "employee_id": "E1",
                "created_date": "2020-01-01",
                "status": "disabled",
                "disabled_date": "2025-03-02",
            }
        ],
    )
    _accounts(
        agency,
        [{"operator_id": "LPD7", "employee_id": "E2", "created_date": new_created}],
    )
    found = _reconcile(agency)["identifier_reused"]
    expected = {
        "operator_id": "LPD7",
        "employee_id": "E2",
        "account_created": new_created,
        "previous_employee_id": "E1",
        "previous_deactivated": "2025-03-02",
    }
    assert found == ([expected] if listed else [])


def test_an_operator_id_kept_by_its_holder_is_not_reused(agency):
    make_person(agency, employee_id="E1")
    row = {"operator_id": "LPD7", "employee_id": "E1", "created_date": "2020-01-01"}
    _accounts(agency, [row])
    _accounts(agency, [{**row, "last_activity_date": "2026-06-01"}])
    assert _reconcile(agency)["identifier_reused"] == []
