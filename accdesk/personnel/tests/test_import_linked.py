"""``training``, ``background`` and ``forms`` imports: records about someone on
the roster, so an unknown employee ID is an error."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.personnel.models import BackgroundCheck, SignedForm, TrainingRecord
from accdesk.testing import make_person

from .files import errors, run

pytestmark = pytest.mark.django_db

TRAINING = "employee_id,course,level,completed_date,expiration_date,score\n"
BACKGROUND = "employee_id,check,submitted_date,result,decision,decision_date,rap_back\n"
FORMS = "employee_id,form,signed_date\n"

GOOD = {
    "training": (
        TRAINING,
        "E1,security_awareness,general,2026-01-10,,95\n",
        TrainingRecord,
    ),
    "background": (
        BACKGROUND,
        "E1,fbi,2025-01-02,no_record,cleared,2025-02-01,yes\n",
        BackgroundCheck,
    ),
    "forms": (FORMS, "E1,employee_statement,2025-01-02\n", SignedForm),
}


@pytest.fixture
def ann(agency):
    return make_person(agency, employee_id="E1")


def test_it_imports_training(agency, ann):
    text = (
        TRAINING
        + "E1,security_awareness,general,2026-01-10,,95\nE1,ir_training,,2026-02-01,2027-02-01,\n"
    )
    assert run("training", agency, text).ok
    awareness = TrainingRecord.objects.get(course="security_awareness")
    assert (awareness.person, awareness.level, awareness.score) == (ann, "general", 95)
    assert awareness.expiration_date is None
    assert TrainingRecord.objects.get(course="ir_training").expiration_date == dt.date(
        2027, 2, 1
    )


def test_security_awareness_needs_its_level(agency, ann):
    result = run("training", agency, TRAINING + "E1,security_awareness,,2026-01-10,,\n")
    assert errors(result) == [
        "row 1 (line 2), column 'level': security awareness needs its AT-3 level "
        "(unescorted, general, privileged or security)"
    ]


def test_it_imports_background_checks(agency, ann):
    text = (
        BACKGROUND
        + "E1,DOJ,2025-01-02,no record,cleared,2025-02-01,no\nE1,fbi,2025-01-02,pending,,,\n"
    )
    assert run("background", agency, text).ok
    state = BackgroundCheck.objects.get(check_type="state")
    assert (state.result, state.decision, state.rap_back) == (
        "no_record",
        "cleared",
        False,
    )
    fbi = BackgroundCheck.objects.get(check_type="fbi")
    assert (fbi.result, fbi.decision, fbi.decision_date) == ("pending", "", None)


def test_the_rap_back_column_is_optional(agency, ann):
    header = BACKGROUND.replace(",rap_back", "")
    assert run(
        "background", agency, header + "E1,state,2025-01-02,record,denied,2025-03-01\n"
    ).ok
    assert BackgroundCheck.objects.get().decision == "denied"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            "E1,state,2025-01-02,no_record,cleared,,",
            "decision_date",
            "a decision needs its date",
        ),
        (
            "E1,state,2025-01-02,no_record,,2025-02-01,",
            "decision",
            "a decision date needs a decision",
        ),
        (
            "E1,state,2025-01-02,no_record,cleared,2024-12-01,",
            "decision_date",
            "is before submitted_date",
        ),
        ("E1,dmv,2025-01-02,no_record,,,", "check", "unknown value 'dmv'"),
        ("E1,state,2025-01-02,clean,,,", "result", "unknown value 'clean'"),
        (
            "E1,state,2025-01-02,no_record,maybe,2025-02-01,",
            "decision",
            "unknown value 'maybe'",
        ),
    ],
)
def test_a_bad_background_row_is_named(agency, ann, row, column, message):
    (error,) = errors(run("background", agency, BACKGROUND + row + "\n"))
    assert error.startswith(f"row 1 (line 2), column {column!r}: {message}")
    assert not BackgroundCheck.objects.exists()


def test_it_imports_signed_forms(agency, ann):
    text = (
        FORMS
        + "E1,employee_statement,2025-01-02\nE1,Areas of Liability ack,2025-01-03\nE1,security_awareness_ack,2025-01-04\n"
    )
    assert run("forms", agency, text).ok
    assert sorted(SignedForm.objects.values_list("form", flat=True)) == [
        "areas_of_liability",
        "employee_statement",
        "security_awareness_ack",
    ]


def test_an_unknown_form_is_an_error(agency, ann):
    (error,) = errors(run("forms", agency, FORMS + "E1,hdc0001,2025-01-02\n"))
    assert error.startswith("row 1 (line 2), column 'form': unknown value 'hdc0001'")


@pytest.mark.parametrize("kind", list(GOOD))
def test_an_unknown_employee_id_is_an_error_and_nothing_is_written(agency, ann, kind):
    header, row, model = GOOD[kind]
    result = run(kind, agency, header + row + row.replace("E1", "E404"))
    assert errors(result) == [
        "row 2 (line 3), column 'employee_id': no one with employee ID 'E404' is on "
        "the roster (import the HR roster first)"
    ]
    assert not model.objects.exists()


@pytest.mark.parametrize("kind", list(GOOD))
def test_reimporting_the_same_file_changes_nothing(agency, ann, kind):
    header, row, model = GOOD[kind]
    assert run(kind, agency, header + row).created == 1
    result = run(kind, agency, header + row)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert model.objects.count() == 1


@pytest.mark.parametrize("kind", list(GOOD))
def test_the_same_record_twice_is_an_error(agency, ann, kind):
    header, row, model = GOOD[kind]
    (error,) = errors(run(kind, agency, header + row + row))
    assert error.startswith("row 2 (line 3): the same record (")
    assert not model.objects.exists()


@pytest.mark.parametrize("kind", list(GOOD))
def test_a_missing_column_or_wrong_file_type_is_an_error(agency, ann, kind):
    header, row, model = GOOD[kind]
    first = header.split(",")[0]
    assert errors(run(kind, agency, header.replace(f"{first},", "") + row))[
        0
    ].startswith(f"Missing column: {first}.")
    assert (
        "is not a CSV or Excel"
        in errors(run(kind, agency, header + row, f"{kind}.docx"))[0]
    )
    assert not model.objects.exists()
