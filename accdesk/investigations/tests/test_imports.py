"""The misuse-case import format: columns as in issue 5, row-level errors, and
nothing written when any row is bad."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine

from accdesk.core.imports import run_import
from accdesk.core.models import ChangeRecord
from accdesk.investigations.imports import MISUSE_CASES
from accdesk.investigations.models import MisuseCase
from accdesk.testing import make_misuse_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("july_1_2025")]
HEADER = (
    "case_number,opened_date,closed_date,subject_employee_id,source,systems,"
    "allegation,finding,action,referred_for_prosecution\n"
)
GOOD = (
    HEADER
    + "IA-1,2024-11-05,2025-01-20,E1042,audit,CLETS;dmv,Plate look-ups,sustained,suspension,yes\n"
    + "IA-2,2025-03-01,,,Query-log lead,NCIC,III inquiries,,,\n"
)


def _import(agency, text, **kwargs):
    return run_import(
        MISUSE_CASES, io.BytesIO(text.encode()), "cases.csv", agency, **kwargs
    )


def _errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def test_it_imports_closed_and_open_cases(agency, person):
    result = _import(agency, GOOD)
    assert result.ok and result.created == 2
    closed = MisuseCase.objects.get(agency=agency, case_number="IA-1")
    assert closed.subject == person
    assert closed.systems == ["CLETS", "DMV"]
    assert (closed.closed_on, closed.finding, closed.action) == (
        dt.date(2025, 1, 20),
        "sustained",
        "suspension",
    )
    assert closed.referred_for_prosecution
    opened = MisuseCase.objects.get(agency=agency, case_number="IA-2")
    assert opened.is_open and opened.finding == "pending" and opened.action == ""
    assert opened.source == "query_log_lead" and opened.subject is None


def test_it_updates_cases_by_case_number_and_records_names_only(agency, person):
    make_misuse_case(
        agency,
        case_number="IA-2",
        opened_on=dt.date(2025, 3, 1),
        systems=["NCIC"],
        allegation="Old text",
        source="query_log_lead",
    )
    result = _import(agency, GOOD)
    assert (result.created, result.updated) == (1, 1)
    assert result.changes[1].fields == ("allegation",)
    update = ChangeRecord.objects.get(
        object_type="investigations.misusecase", action="update"
    )
    assert update.changed_fields == ["allegation"] and update.changes == {}


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(agency, person):
    text = (
        HEADER
        + "IA-1,2025-01-05,,,audit,CLETS,ok,,,\n"
        + "IA-2,2025-02-30,,,audit,CLETS,x,,,\n"
        + "IA-3,2025-01-05,2025-02-01,,audit,CLETS,x,pending,none,\n"
        + "IA-4,2025-01-05,2025-02-01,,audit,CLETS,x,unfounded,,\n"
        + "IA-5,2025-01-05,,,audit,CLETS,x,,reprimand,\n"
        + "IA-6,2025-01-05,,,gossip,CLETS,x,,,\n"
        + "IA-7,2025-01-05,,,audit,CLETS;TELEX,x,,,\n"
        + "IA-8,2025-01-05,,,audit,CLETS,x,,,maybe\n"
        + "IA-1,2025-01-05,,,audit,CLETS,again,,,\n"
        + "IA-9,2025-03-05,2025-03-01,,audit,CLETS,x,unfounded,none,\n"
        + "IA-10,2025-01-05,,,audit,,x,,,\n"
    )
    result = _import(agency, text)
    assert _errors(result) == [
        (2, "opened_date", "'2025-02-30' is not a real date"),
        (3, "finding", "Closing a case needs a finding other than pending."),
        (4, "action", "Closing a case needs an action (it may be “none”)."),
        (
            5,
            "action",
            "An open case has no action yet: record it when the case is closed.",
        ),
        (
            6,
            "source",
            "unknown value 'gossip'; expected one of: audit, complaint, other, query_log_lead, referral",
        ),
        (
            7,
            "systems",
            "unknown system(s) TELEX; expected some of: CLETS;CORI;III;NCIC;NLETS;DMV;WPS;SVS;AFS;APS;ABS;CARPOS;CSAR;MUPS;SRF;MHFPS;OTHER",
        ),
        (
            8,
            "referred_for_prosecution",
            "'maybe' is not yes/no (yes/no, y/n, true/false, 1/0)",
        ),
        (9, None, "the same record (case_number=IA-1) is already in row 1"),
        (10, "closed_date", "A case cannot close before it opened (2025-03-05)."),
        (11, "systems", "name at least one system, separated by ;"),
    ]
    assert not MisuseCase.objects.exists()


def test_subjects_must_be_on_the_roster_and_dates_in_the_past(
    agency, person, other_agency
):
    text = (
        HEADER
        + "IA-1,2025-01-05,,E1042,audit,CLETS,ok,,,\n"
        + "IA-2,2025-01-05,,E9999,audit,CLETS,x,,,\n"
        + "IA-3,2025-07-02,,,audit,CLETS,x,,,\n"
    )
    result = _import(agency, text)
    assert _errors(result) == [
        (2, "subject_employee_id", "no one with employee ID 'E9999' is on the roster"),
        (3, "opened_date", "2025-07-02 is in the future."),
    ]
    assert not MisuseCase.objects.exists()


def test_every_column_must_be_in_the_header(agency):
    # A missing optional-looking column would reset that field of updated cases.
    header = HEADER.replace(",finding", "").replace(",subject_employee_id", "")
    result = _import(agency, header + "IA-1,2025-01-01,,audit,CLETS,x,,\n")
    assert _errors(result) == [
        (
            0,
            None,
            "Missing columns: subject_employee_id, finding. The header must have: "
            + HEADER.strip().replace(",", ", ")
            + ".",
        )
    ]


def test_a_dry_run_writes_nothing(agency, person):
    result = _import(agency, GOOD, dry_run=True)
    assert result.ok and result.created == 2 and not result.applied
    assert not MisuseCase.objects.exists()


def test_the_example_in_docs_formats_imports(agency, person, settings):
    docs = (settings.BASE_DIR / "docs" / "formats.md").read_text()
    section = docs[docs.index("## Misuse investigations") :]
    example = section[section.index("```csv\n") + 7 : section.index("```\n", 1)]
    with time_machine.travel(dt.datetime(2026, 3, 1, 20, tzinfo=dt.UTC), tick=False):
        result = _import(agency, example)
    assert result.ok and result.created == 3


def _closed(agency, number, closed_on):
    return make_misuse_case(
        agency,
        case_number=number,
        opened_on=dt.date(2024, 10, 1),
        closed_on=closed_on,
        finding="sustained",
        action="reprimand",
    )


def test_a_case_closed_in_an_earlier_year_is_not_reopened(agency):
    """Its year's report counts it as closed (MisuseCase.reopen refuses too)."""
    _closed(agency, "IA-1", dt.date(2024, 12, 31))
    text = (
        HEADER
        + "IA-2,2025-01-05,,,audit,CLETS,ok,,,\n"
        + "IA-1,2024-10-01,,,audit,CLETS,Look-ups with no case number.,sustained,,\n"
    )
    result = _import(agency, text)
    assert _errors(result) == [
        (
            2,
            "closed_date",
            "case IA-1 was closed on 2024-12-31, and the report for 2024 counts it "
            "as closed: it cannot be reopened. Keep its closed_date, and open a new "
            "case that refers to it.",
        )
    ]
    case = MisuseCase.objects.get(case_number="IA-1")
    assert (case.closed_on, case.action) == (dt.date(2024, 12, 31), "reprimand")
    assert not case.notes.exists()
    assert not MisuseCase.objects.filter(case_number="IA-2").exists()


def test_reopening_a_case_closed_this_year_leaves_a_journal_note(agency):
    _closed(agency, "IA-1", dt.date(2025, 1, 2))
    text = HEADER + "IA-1,2024-10-01,,,audit,CLETS,x,sustained,,\n"
    preview = _import(agency, text, dry_run=True)
    assert preview.ok and preview.notes == [
        "Row 1: case IA-1 is reopened (it was closed on 2025-01-02); a note in its "
        "journal records it."
    ]
    result = _import(agency, text)
    assert result.ok and result.updated == 1
    case = MisuseCase.objects.get(case_number="IA-1")
    assert case.is_open and case.action == ""
    note = case.notes.get()
    assert note.written_on == dt.date(2025, 7, 1)
    assert note.text == (
        "Case reopened by import (was closed 2025-01-02, Sustained, Reprimand)."
    )


def test_an_earlier_years_closed_case_may_stay_closed_and_be_corrected(agency):
    _closed(agency, "IA-1", dt.date(2024, 12, 31))
    text = HEADER + "IA-1,2024-10-01,2024-12-31,,audit,CLETS,x,sustained,reprimand,\n"
    result = _import(agency, text)
    assert result.ok and result.updated == 1
    assert not MisuseCase.objects.get(case_number="IA-1").notes.exists()


def test_us_dates_are_read_month_first_and_the_preview_names_the_subject(
    agency, person
):
    make_misuse_case(agency, case_number="IA-7", opened_on=dt.date(2025, 2, 1))
    text = HEADER + "IA-7,2/1/2025,,E1042,audit,CLETS,Look-ups,,,\n"
    result = _import(agency, text, dry_run=True)
    assert result.ok, _errors(result)
    (change,) = result.changes
    assert ("subject", "(blank)", str(person)) in change.diff
    assert not any(field == "opened_on" for field, _, _ in change.diff)
