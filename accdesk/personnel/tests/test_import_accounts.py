"""``accounts`` import: the CLETS account list, keyed by operator ID. It is the
source of truth for account status."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.personnel.models import SystemAccount
from accdesk.testing import make_account, make_person

from .files import errors, run

pytestmark = pytest.mark.django_db

HEADER = "operator_id,employee_id,access_level,status,created_date,last_activity_date,disabled_date\n"
ROW = "LPD01,E1,full,active,2024-02-01,2026-06-01,\n"


def test_it_creates_accounts(agency):
    make_person(agency, employee_id="E1")
    result = run(
        "accounts",
        agency,
        HEADER
        + ROW
        + "LPD02,E1,Less than Full,disabled,2020-01-01,2021-01-01,2021-02-01\n",
    )
    assert result.ok and result.created == 2
    first = SystemAccount.objects.get(operator_id="LPD01")
    assert (first.employee_id, first.access_level, first.status) == (
        "E1",
        "full",
        "active",
    )
    assert first.created_date == dt.date(2024, 2, 1)
    assert first.last_activity_date == dt.date(2026, 6, 1)
    second = SystemAccount.objects.get(operator_id="LPD02")
    assert second.access_level == "ltf" and second.disabled_date == dt.date(2021, 2, 1)


def test_an_account_of_someone_not_on_the_roster_is_accepted_as_an_orphan(agency):
    result = run("accounts", agency, HEADER + ROW)
    assert result.ok and SystemAccount.objects.filter(operator_id="LPD01").exists()
    assert result.notes == ["1 account(s) match no one on the roster (orphans): LPD01"]


def test_the_disabled_date_column_is_optional(agency):
    header = HEADER.replace(",disabled_date", "")
    assert run("accounts", agency, header + "LPD01,E1,ltf,active,2024-02-01,\n").ok


def test_reimporting_the_same_file_changes_nothing(agency):
    run("accounts", agency, HEADER + ROW)
    result = run("accounts", agency, HEADER + ROW)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_a_marked_deactivation_that_clets_still_shows_active_reopens(agency, alice):
    person = make_person(agency, employee_id="E1")
    account = make_account(agency, person, operator_id="LPD01")
    account.mark_deactivated(
        on=agency.today(), by="alice", user=alice, note="", reasons="SEPARATED"
    )
    result = run("accounts", agency, HEADER + ROW)
    account.refresh_from_db()
    assert account.status == "active" and account.disabled_date is None
    assert (
        "LPD01 was marked deactivated in ACC Desk but is still active in CLETS: "
        "it is back on the worklist." in result.notes
    )
    assert (
        ChangeRecord.objects.filter(
            object_type="personnel.systemaccount",
            object_id=str(account.pk),
            action="update",
        ).count()
        == 2
    )  # marked disabled, then active again from CLETS


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            "LPD01,E1,supervisor,active,2024-02-01,,",
            "access_level",
            "unknown value 'supervisor'",
        ),
        ("LPD01,E1,full,locked,2024-02-01,,", "status", "unknown value 'locked'"),
        (
            "LPD01,E1,full,active,,,",
            "created_date",
            "a date is required (YYYY-MM-DD or MM/DD/YYYY)",
        ),
        (
            "LPD01,E1,full,active,2024-02-01,2023-01-01,",
            "last_activity_date",
            "is before created_date (2024-02-01)",
        ),
        (
            "LPD01,E1,full,disabled,2024-02-01,,2024/03/01",
            "disabled_date",
            "'2024/03/01' is not a date",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(agency, row, column, message):
    result = run(
        "accounts", agency, HEADER + "LPD00,E0,ltf,active,2024-01-01,,\n" + row + "\n"
    )
    (error,) = errors(result)
    assert error.startswith(f"row 2 (line 3), column {column!r}: {message}")
    assert not SystemAccount.objects.exists()


def test_the_same_operator_id_twice_is_an_error(agency):
    result = run("accounts", agency, HEADER + ROW + ROW.replace("E1", "E2"))
    assert errors(result) == [
        "row 2 (line 3): the same record (operator_id=LPD01) is already in row 1"
    ]
    assert not SystemAccount.objects.exists()
