"""importer.py: an old log is appended to the chain, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine

from accdesk.core.imports import run_import
from accdesk.releaselogs.importer import RELEASE_LOG
from accdesk.releaselogs.models import ReleaseLogEntry
from accdesk.releaselogs.verification import verify
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
HEADER = (
    "released_at,requesting_terminal,receiving_terminal,requestor_name,"
    "requesting_agency,requesting_ori,information,method,purpose,case_number,"
    "released_by\n"
)
ROW_1 = (
    "2024-05-02 09:15,AVPD01,BCDA02,Dana Requestor,Bravo County DA,CA0990013,"
    '"CII rap sheet – TESTER, SAMPLE",fax,"Prosecution, PC 11105(b)(2)",B-1,Rita Clerk\n'
)
ROW_2 = (
    "2024-05-01T16:00:00Z,AVPD01,BCPR01,Lee Officer,Bravo County Probation,,"
    "III record – EXAMPLE,In Person,Pre-sentence report,,Rita Clerk\n"
)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=LA), tick=False):
        yield


def run(agency, text, **kwargs):
    return run_import(
        RELEASE_LOG, io.BytesIO(text.encode()), "log.csv", agency, **kwargs
    )


def test_it_appends_the_rows_in_order_of_release(agency):
    make_release_entry(agency)
    result = run(agency, HEADER + ROW_1 + ROW_2)
    assert result.ok and result.applied and result.created == 2
    second, third = ReleaseLogEntry.objects.filter(
        agency=agency, sequence__gt=1
    ).order_by("sequence")
    # ROW_2 was released first (16:00 UTC on May 1 is 09:00 in Los Angeles).
    assert second.released_at == dt.datetime(2024, 5, 1, 16, 0, tzinfo=dt.UTC)
    assert second.method == "in_person" and second.requesting_ori == ""
    assert third.released_at == dt.datetime(2024, 5, 2, 9, 15, tzinfo=LA)
    assert third.information == "CII rap sheet – TESTER, SAMPLE"
    assert [c.row for c in result.changes] == [2, 1]
    assert verify(agency).ok


def test_a_dry_run_writes_nothing(agency):
    result = run(agency, HEADER + ROW_1, dry_run=True)
    assert result.ok and not result.applied and result.created == 1
    assert not ReleaseLogEntry.objects.exists()


def test_bad_rows_fail_with_row_level_messages_and_change_nothing(agency):
    make_release_entry(agency)
    bad = (
        "2024-05-02,AVPD01,BCDA02,Dana,Bravo DA,,info,fax,purpose,,Rita\n"
        "2024-05-03 10:00,,BCDA02,Dana,Bravo DA,,info,fax,purpose,,Rita\n"
        "2024-05-04 10:00,AVPD01,BCDA02,Dana,Bravo DA,,info,pigeon,purpose,,Rita\n"
    )
    result = run(agency, HEADER + ROW_1 + bad)
    messages = [str(error) for error in result.errors]
    assert messages == [
        "row 2 (line 3), column 'released_at': '2024-05-02' is not a date and time "
        "in the form YYYY-MM-DD HH:MM (if the old log has no time, write 00:00)",
        "row 3 (line 4), column 'requesting_terminal': a value is required",
        "row 4 (line 5), column 'method': unknown value 'pigeon'; expected one of: "
        "electronic, email, fax, in_person, mail, phone",
    ]
    assert not result.applied
    assert list(ReleaseLogEntry.objects.values_list("sequence", flat=True)) == [1]


def test_a_release_in_the_future_fails_and_changes_nothing(agency):
    future = ROW_2.replace("2024-05-01T16:00:00Z", "2026-03-10 12:30")
    result = run(agency, HEADER + ROW_1 + future)
    assert [str(e) for e in result.errors] == [
        "row 2 (line 3), column 'released_at': is in the future"
    ]
    assert not ReleaseLogEntry.objects.exists()


def test_it_names_a_bad_ori(agency):
    result = run(agency, HEADER + ROW_1.replace("CA0990013", "XX1"))
    assert [(e.row, e.column) for e in result.errors] == [(1, "requesting_ori")]


def test_importing_the_same_file_twice_is_refused(agency):
    run(agency, HEADER + ROW_1)
    result = run(agency, HEADER + ROW_1)
    assert [str(e) for e in result.errors] == [
        "row 1 (line 2): this release is already in the log as entry #1"
    ]
    assert ReleaseLogEntry.objects.count() == 1


def test_a_row_repeated_in_the_file_is_refused(agency):
    result = run(agency, HEADER + ROW_1 + ROW_1)
    assert [e.row for e in result.errors] == [2]
    assert not ReleaseLogEntry.objects.exists()


def test_the_same_record_released_to_two_requestors_is_two_releases(agency):
    run(agency, HEADER + ROW_1)
    other = ROW_1.replace("Dana Requestor", "Sam Investigator")
    result = run(agency, HEADER + other + other.replace("Sam", "Kim"))
    assert result.ok and result.created == 2
    assert sorted(ReleaseLogEntry.objects.values_list("requestor_name", flat=True)) == [
        "Dana Requestor",
        "Kim Investigator",
        "Sam Investigator",
    ]


def test_it_notes_entries_already_past_retention(agency):
    result = run(agency, HEADER + ROW_1.replace("2024-05-02", "2022-05-02"))
    assert result.notes == [
        "1 entry was released before 2023-03-10: it is past the retention period "
        "and may be purged."
    ]


def test_line_breaks_are_kept_and_other_control_characters_refused(agency):
    row = ROW_1.replace("TESTER, SAMPLE", "TESTER,\r\nSAMPLE")
    assert run(agency, HEADER + row).ok
    stored = ReleaseLogEntry.objects.get().information
    assert stored == "CII rap sheet – TESTER,\nSAMPLE"
    result = run(agency, HEADER + ROW_2.replace("Pre-sentence", "Pre-\x00sentence"))
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (1, "purpose", "contains control characters")
    ]


def test_it_needs_the_required_columns(agency):
    result = run(agency, "released_at,information\n2024-05-02 09:15,x\n")
    assert "Missing columns" in result.errors[0].message
