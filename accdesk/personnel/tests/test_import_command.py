"""``accdesk import <kind> FILE --agency ORI [--dry-run] [--map old=new]``."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from accdesk.core.models import ChangeRecord
from accdesk.personnel.models import Certification, Person

pytestmark = pytest.mark.django_db

ROSTER = (
    "employee_id,last_name,first_name,employment_status,hire_date,separation_date,"
    "role_level,administrator,sworn,employer\n"
    "E1,Archer,Ann,active,2020-01-06,,general,no,yes,agency\n"
)


def _import(*args):
    out = io.StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def roster_file(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    return path


def test_it_imports_a_file_and_records_the_operator(agency, roster_file):
    out = _import("roster", str(roster_file), "--agency", agency.ori)
    assert "Imported 1 row(s): 1 new, 0 updated, 0 unchanged." in out
    assert Person.objects.filter(agency=agency, employee_id="E1").exists()
    record = ChangeRecord.objects.get(object_type="personnel.person")
    assert record.actor_label.startswith("cli:")


def test_a_dry_run_writes_nothing(agency, roster_file):
    out = _import("roster", str(roster_file), "--agency", agency.ori, "--dry-run")
    assert "Would import 1 row(s): 1 new" in out
    assert not Person.objects.exists()


def test_verbose_output_lists_each_change(agency, roster_file):
    out = _import("roster", str(roster_file), "--agency", agency.ori, "-v", "2")
    assert "row 1: create E1" in out


def test_bad_rows_fail_with_their_row_and_column(agency, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER.replace("general", "boss"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import", "roster", str(path), "--agency", agency.ori, stdout=out)
    assert "row 1 (line 2), column 'role_level': unknown value 'boss'" in out.getvalue()
    assert not Person.objects.exists()


def test_map_renames_columns(agency, tmp_path):
    path = tmp_path / "nextest.csv"
    path.write_text(
        "User ID,Exam,completed_date,score,expiration_date\nLPD01,Full Access,2026-01-10,92,\n"
    )
    _import(
        "nextest",
        str(path),
        "--agency",
        agency.ori,
        "--map",
        "User ID=operator_id",
        "--map",
        "exam=test",
    )
    assert Certification.objects.get().operator_id == "LPD01"


def test_it_refuses_a_bad_map_a_missing_file_and_an_unknown_agency(agency, roster_file):
    with pytest.raises(CommandError, match="--map expects old=new"):
        _import("roster", str(roster_file), "--agency", agency.ori, "--map", "nonsense")
    with pytest.raises(CommandError, match="No such file"):
        _import("roster", "/nonexistent.csv", "--agency", agency.ori)
    with pytest.raises(CommandError, match="No agency with ORI 'CA0000000'"):
        _import("roster", str(roster_file), "--agency", "ca0000000")


def test_it_refuses_an_unknown_kind(agency, roster_file):
    with pytest.raises(CommandError, match="invalid choice: 'payroll'"):
        _import("payroll", str(roster_file), "--agency", agency.ori)
