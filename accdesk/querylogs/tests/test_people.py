"""Roster and accounts for the lead rules: the database, or the import files."""

from __future__ import annotations

import pytest

from accdesk.querylogs.people import PeopleFileError, people_from_files, people_of
from accdesk.querylogs.tests.conftest import DATA


def test_it_reads_the_agencys_accounts_and_roster(roster):
    people = people_of(roster)
    assert sorted(a[0] for a in people.accounts) == ["OP1", "OP2"]
    assert sorted(p[:3] for p in people.persons) == [
        ("E1", "Alvarez", "Maria"),
        ("E2", "Osei", "Kevin"),
    ]


def test_an_agency_without_accounts_has_no_roster_to_check_against(agency):
    assert people_of(agency) is None


def test_it_reads_the_import_files_with_only_the_columns_it_needs(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Employee ID,Last Name,First Name,Separation Date\nE1,Doe,Jo,\n")
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("operator_id,employee_id,disabled_date\nOP1,E1,2026-01-02\n")
    people = people_from_files(roster, accounts)
    assert people.persons == [("E1", "Doe", "Jo", None)]
    assert str(people.accounts[0][2]) == "2026-01-02"


def test_the_sample_files_are_read(db):
    people = people_from_files(DATA / "sample_roster.csv", DATA / "sample_accounts.csv")
    assert len(people.persons) == 5 and len(people.accounts) == 4


def test_a_bad_date_is_named_with_its_row(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,last_name,first_name,separation_date\nE1,D,J,soon\n")
    with pytest.raises(PeopleFileError, match="row 1, column 'separation_date'"):
        people_from_files(roster, DATA / "sample_accounts.csv")


def test_an_accounts_file_without_disabled_dates_is_read(tmp_path):
    # disabled_date is optional in the eligibility accounts format (issue 3).
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("operator_id,employee_id,access_level\nOP1,E1,full\n")
    people = people_from_files(DATA / "sample_roster.csv", accounts)
    assert people.accounts == [("OP1", "E1", None)]
