"""``nextest`` import: NexTEST results, keyed by operator ID, test and date."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.personnel.models import Certification
from accdesk.testing import make_account

from .files import errors, run

pytestmark = pytest.mark.django_db

HEADER = "operator_id,test,completed_date,score,expiration_date\n"


def test_it_understands_the_reports_wording(agency):
    text = HEADER + (
        "LPD01,Full Access,2026-01-10,92,2027-01-10\n"
        "LPD02,Less than Full,2026-02-01,85.5,\n"
        "LPD03,Security Awareness,2026-03-01,,2027-03-01\n"
    )
    assert run("nextest", agency, text).ok
    tests = dict(Certification.objects.values_list("operator_id", "test"))
    assert tests == {"LPD01": "full", "LPD02": "ltf", "LPD03": "security_awareness"}
    ltf = Certification.objects.get(operator_id="LPD02")
    assert ltf.score == 85.5 and ltf.expiration_date is None


def test_an_employee_id_stands_in_for_staff_without_an_operator_id(agency):
    text = "employee_id,test,completed_date,score,expiration_date\nE7,security_awareness,2026-01-10,90,\n"
    assert run("nextest", agency, text).ok
    cert = Certification.objects.get()
    assert (cert.operator_id, cert.employee_id) == ("", "E7")


def test_map_renames_other_columns(agency):
    text = (
        "User,Exam,Taken,Pct,Expires On\nLPD01,Full Access,2026-01-10,92,2027-01-10\n"
    )
    column_map = {
        "user": "operator_id",
        "exam": "test",
        "taken": "completed_date",
        "pct": "score",
        "expires_on": "expiration_date",
    }
    result = run("nextest", agency, text, column_map=column_map)
    assert result.ok, errors(result)
    assert Certification.objects.get().completed_date == dt.date(2026, 1, 10)


def test_unknown_operator_ids_are_accepted_and_reported(agency):
    make_account(agency, operator_id="LPD01")
    text = HEADER + "LPD01,full,2026-01-10,92,\nLPD99,ltf,2026-01-10,92,\n"
    result = run("nextest", agency, text)
    assert result.ok and Certification.objects.count() == 2
    assert result.notes == [
        "1 NexTEST user(s) have no CLETS account here (see the reconciliation page): LPD99"
    ]


def test_reimporting_the_same_file_changes_nothing(agency):
    text = HEADER + "LPD01,full,2026-01-10,92,2027-01-10\n"
    run("nextest", agency, text)
    result = run("nextest", agency, text)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_a_new_expiration_date_updates_the_result(agency):
    run("nextest", agency, HEADER + "LPD01,full,2026-01-10,92,2027-01-10\n")
    result = run("nextest", agency, HEADER + "LPD01,full,2026-01-10,92,2027-02-10\n")
    assert result.updated == 1
    assert Certification.objects.get().expiration_date == dt.date(2027, 2, 10)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("LPD01,Expert,2026-01-10,92,", "test", "unknown value 'Expert'"),
        ("LPD01,full,2026-01-10,high,", "score", "'high' is not a number"),
        (
            "LPD01,full,2026-01-10,92,2025-01-10",
            "expiration_date",
            "is before completed_date",
        ),
        (
            ",full,2026-01-10,92,",
            "operator_id",
            "an operator ID (or, for staff with none, an employee_id)",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(agency, row, column, message):
    result = run("nextest", agency, HEADER + "LPD00,ltf,2026-01-01,90,\n" + row + "\n")
    (error,) = errors(result)
    assert error.startswith(f"row 2 (line 3), column {column!r}: {message}")
    assert not Certification.objects.exists()


def test_the_same_result_twice_is_an_error(agency):
    row = "LPD01,full,2026-01-10,92,\n"
    result = run("nextest", agency, HEADER + row + row.replace("92", "93"))
    assert errors(result) == [
        "row 2 (line 3): the same record (operator_id=LPD01, employee_id=, test=full, "
        "completed_date=2026-01-10) is already in row 1"
    ]
