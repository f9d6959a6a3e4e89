"""``roster`` import: HR roster, keyed by employee ID."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accdesk.core.models import ChangeRecord
from accdesk.personnel.models import Person
from accdesk.testing import make_person

from .files import errors, run, xlsx

pytestmark = pytest.mark.django_db

HEADER = (
    "employee_id,last_name,first_name,employment_status,hire_date,separation_date,"
    "role_level,administrator,sworn,employer,supervisor_employee_id\n"
)
ANN = "E1,Archer,Ann,active,2020-01-06,,general,no,yes,agency,E9\n"
BEN = "E2,Baker,Ben,separated,2019-03-01,2026-05-31,privileged,y,0,Brightline IT,\n"


def test_it_creates_people_from_the_roster(agency):
    result = run("roster", agency, HEADER + ANN + BEN)
    assert result.ok and result.created == 2
    ann = Person.objects.get(agency=agency, employee_id="E1")
    assert (ann.first_name, ann.last_name, ann.role_level) == (
        "Ann",
        "Archer",
        "general",
    )
    assert ann.hire_date == dt.date(2020, 1, 6) and ann.separation_date is None
    assert (ann.sworn, ann.administrator, ann.employer) == (True, False, "agency")
    assert ann.supervisor_employee_id == "E9"
    ben = Person.objects.get(agency=agency, employee_id="E2")
    assert ben.employment_status == "separated"
    assert ben.separation_date == dt.date(2026, 5, 31)
    assert (ben.administrator, ben.sworn, ben.employer) == (
        True,
        False,
        "Brightline IT",
    )


def test_reimporting_the_same_file_changes_nothing(agency):
    run("roster", agency, HEADER + ANN + BEN)
    records = ChangeRecord.objects.exclude(action="event").count()
    result = run("roster", agency, HEADER + ANN + BEN)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert ChangeRecord.objects.exclude(action="event").count() == records


def test_a_changed_row_updates_that_person_and_records_the_change(agency):
    run("roster", agency, HEADER + ANN)
    result = run("roster", agency, HEADER + ANN.replace("general", "security"))
    assert result.updated == 1 and result.changes[0].fields == ("role_level",)
    record = ChangeRecord.objects.get(object_type="personnel.person", action="update")
    assert record.changes == {"role_level": ["general", "security"]}


def test_a_roster_without_the_supervisor_column_keeps_supervisors(agency):
    run("roster", agency, HEADER + ANN)
    header = HEADER.replace(",supervisor_employee_id", "")
    result = run("roster", agency, header + ANN.replace(",E9\n", "\n"))
    assert result.unchanged == 1
    assert Person.objects.get(employee_id="E1").supervisor_employee_id == "E9"


def test_a_blank_role_level_means_no_cji_access(agency):
    run("roster", agency, HEADER + ANN.replace("general", ""))
    assert Person.objects.get(employee_id="E1").role_level == ""


def test_it_accepts_a_byte_order_mark_any_header_case_and_extra_columns(agency):
    text = (
        "\ufeff"
        + HEADER.upper().replace("\n", ",Badge\n")
        + ANN.replace("\n", ",123\n")
    )
    result = run("roster", agency, text.encode("utf-8"))
    assert result.ok and result.created == 1


def test_it_accepts_spellings_hr_systems_use(agency):
    row = "E3,Cole,Cy,On Leave,2021-01-01,,Privileged User,TRUE,N,Agency,\n"
    assert run("roster", agency, HEADER + row).ok
    cy = Person.objects.get(employee_id="E3")
    assert (cy.employment_status, cy.role_level, cy.administrator) == (
        "leave",
        "privileged",
        True,
    )
    assert cy.employer == "agency"


def test_it_reads_xlsx_with_real_date_cells(agency):
    header = HEADER.strip().split(",")
    row = [
        "E1",
        "Archer",
        "Ann",
        "active",
        dt.date(2020, 1, 6),
        None,
        "general",
        "no",
        "yes",
        "agency",
        "E9",
    ]
    result = run("roster", agency, xlsx([header, row]), "roster.xlsx")
    assert result.ok, errors(result)
    assert Person.objects.get(employee_id="E1").hire_date == dt.date(2020, 1, 6)


VALID = "E0,Zed,Zoe,active,,,,no,no,agency\n"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            "E1,Archer,Ann,fired,2020-01-06,,general,no,yes,agency",
            "employment_status",
            "unknown value 'fired'; expected one of: active, leave, separated",
        ),
        (
            "E1,Archer,Ann,active,2020-01-06,,level 9,no,yes,agency",
            "role_level",
            "unknown value 'level 9'; expected one of: general, privileged, "
            "security, unescorted",
        ),
        (
            # US dates are month first; a day-first date is never guessed.
            "E1,Archer,Ann,active,13/06/2020,,general,no,yes,agency",
            "hire_date",
            "'13/06/2020' is not a real date (with slashes the month comes first: MM/DD/YYYY)",
        ),
        (
            "E1,Archer,Ann,active,2020-02-30,,general,no,yes,agency",
            "hire_date",
            "'2020-02-30' is not a real date",
        ),
        (
            "E1,Archer,Ann,active,2020-01-06,2019-01-01,general,no,yes,agency",
            "separation_date",
            "is before hire_date (2020-01-06)",
        ),
        (
            "E1,Archer,Ann,active,2020-01-06,,general,maybe,yes,agency",
            "administrator",
            "'maybe' is not yes/no (yes/no, y/n, true/false, 1/0)",
        ),
        (
            ",Archer,Ann,active,2020-01-06,,general,no,yes,agency",
            "employee_id",
            "a value is required",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(agency, row, column, message):
    result = run("roster", agency, HEADER + VALID + row + "\n")
    assert errors(result) == [f"row 2 (line 3), column {column!r}: {message}"]
    assert not Person.objects.exists()


def test_the_same_employee_twice_is_an_error(agency):
    result = run("roster", agency, HEADER + ANN + ANN)
    assert errors(result) == [
        "row 2 (line 3): the same record (employee_id=E1) is already in row 1"
    ]
    assert not Person.objects.exists()


def test_a_missing_column_is_an_error_for_the_file(agency):
    result = run("roster", agency, HEADER.replace("role_level,", "") + "E1\n")
    assert errors(result)[0].startswith("Missing column: role_level.")


def test_a_file_that_is_not_csv_or_xlsx_is_refused(agency):
    result = run("roster", agency, "%PDF-1.4", "roster.pdf")
    assert errors(result) == [
        "roster.pdf is not a CSV or Excel (.xlsx) file; save it as CSV (UTF-8) or .xlsx."
    ]


def test_an_update_with_a_bad_row_leaves_existing_people_unchanged(agency):
    run("roster", agency, HEADER + ANN)
    bad = (
        HEADER
        + ANN.replace("Archer", "Changed")
        + "E2,B,B,active,2020-13-01,,,no,no,agency,\n"
    )
    assert not run("roster", agency, bad).ok
    assert Person.objects.get(employee_id="E1").last_name == "Archer"


@time_machine.travel(dt.datetime(2026, 6, 15, 18, tzinfo=dt.UTC), tick=False)
def test_people_missing_from_the_roster_are_kept_and_flagged(agency):
    missing = make_person(agency, employee_id="E7", last_name="Gone")
    make_person(agency, employee_id="E8", employment_status="separated")
    result = run("roster", agency, HEADER + ANN)
    assert result.ok
    missing.refresh_from_db()
    assert missing.absent_from_roster_since == dt.date(2026, 6, 15)
    assert result.notes == [
        "1 person(s) not in HR roster, kept for you to resolve on the "
        "reconciliation page: E7"
    ]
    assert Person.objects.get(employee_id="E8").absent_from_roster_since is None
    assert ChangeRecord.objects.filter(
        object_type="personnel.person", object_id=str(missing.pk), action="update"
    ).exists()


@time_machine.travel(dt.datetime(2026, 6, 15, 18, tzinfo=dt.UTC), tick=False)
def test_people_whose_separation_date_has_passed_are_not_flagged(agency):
    """Separated as the rules say (``is_separated``): status ``separated`` or a
    separation date on or before today, whatever the status."""
    today = dt.date(2026, 6, 15)
    day = dt.timedelta(days=1)
    make_person(agency, employee_id="E7", separation_date=today + day)  # not yet
    make_person(agency, employee_id="E8", separation_date=today - day)
    make_person(agency, employee_id="E9", separation_date=today)
    make_person(
        agency,
        employee_id="E10",
        employment_status="separated",
        separation_date=today + day,
    )
    result = run("roster", agency, HEADER + ANN)
    flagged = Person.objects.filter(absent_from_roster_since__isnull=False)
    assert [p.employee_id for p in flagged] == ["E7"]
    assert result.notes == [
        "1 person(s) not in HR roster, kept for you to resolve on the "
        "reconciliation page: E7"
    ]


def test_a_person_back_on_the_roster_is_no_longer_flagged(agency):
    # Active, with no separation date (a passed one would mean separated).
    still_here = BEN.replace("separated", "active").replace("2026-05-31", "")
    run("roster", agency, HEADER + ANN + still_here)
    run("roster", agency, HEADER + ANN)
    assert Person.objects.get(employee_id="E2").absent_from_roster_since is not None
    run("roster", agency, HEADER + ANN + BEN)
    assert Person.objects.get(employee_id="E2").absent_from_roster_since is None


def test_a_dry_run_writes_nothing(agency):
    result = run("roster", agency, HEADER + ANN, dry_run=True)
    assert result.created == 1 and not result.applied
    assert not Person.objects.exists()
