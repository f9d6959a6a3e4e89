"""The reporting task: due from January 1, overdue after February 1 (in the
agency's time zone), closed by recording the date the report was sent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accdesk.investigations.report import build_report
from accdesk.investigations.reporting import (
    first_reporting_year,
    record_sent,
    report_statuses,
    status_of,
)
from accdesk.testing import make_misuse_case

pytestmark = pytest.mark.django_db
D = dt.date
UTC = dt.UTC


def _states(agency):
    return {s.year: s.state for s in report_statuses(agency, agency.today())}


@pytest.fixture
def agency_2024_sent(agency):
    """Los Angeles time (the default); the report for 2024 is already sent."""
    record_sent(agency, 2024, sent_on=D(2025, 1, 15))
    return agency


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 2026-01-01 07:59 UTC is still December 31 in Los Angeles.
        (
            dt.datetime(2026, 1, 1, 7, 59, tzinfo=UTC),
            {2025: "in_progress", 2024: "sent"},
        ),
        (
            dt.datetime(2026, 1, 1, 8, 0, tzinfo=UTC),
            {2026: "in_progress", 2025: "due", 2024: "sent"},
        ),
        # February 1 itself is the last day to send it; overdue from February 2.
        (
            dt.datetime(2026, 2, 2, 7, 59, tzinfo=UTC),
            {2026: "in_progress", 2025: "due", 2024: "sent"},
        ),
        (
            dt.datetime(2026, 2, 2, 8, 0, tzinfo=UTC),
            {2026: "in_progress", 2025: "overdue", 2024: "sent"},
        ),
    ],
    ids=["dec-31", "jan-1", "feb-1", "feb-2"],
)
def test_the_report_is_due_from_january_first_and_overdue_after_february_first(
    agency_2024_sent, moment, expected
):
    with time_machine.travel(moment, tick=False):
        assert _states(agency_2024_sent) == expected


@time_machine.travel(dt.datetime(2026, 1, 1, 2, 0, tzinfo=UTC), tick=False)
def test_the_boundary_follows_the_agencys_time_zone(agency):
    # 02:00 UTC is already January 1 in Auckland, still December 31 in Los Angeles.
    agency.time_zone = "Pacific/Auckland"
    agency.save()
    assert status_of(agency, 2025, agency.today()).state == "due"


@time_machine.travel(dt.datetime(2026, 3, 1, 20, 0, tzinfo=UTC), tick=False)
def test_recording_the_date_sent_closes_the_task_and_keeps_the_report(agency):
    make_misuse_case(agency, opened_on=D(2025, 4, 1))
    assert status_of(agency, 2025, agency.today()).is_open
    sent = record_sent(agency, 2025, sent_on=D(2026, 2, 10), how="DOJ portal")
    status = status_of(agency, 2025, agency.today())
    assert status.state == "sent" and not status.is_open
    assert status.sent == sent
    assert sent.content == build_report(agency, 2025)


@time_machine.travel(dt.datetime(2026, 3, 1, 20, 0, tzinfo=UTC), tick=False)
def test_years_are_owed_from_the_first_case_including_zero_case_years(agency):
    make_misuse_case(
        agency,
        opened_on=D(2022, 7, 1),
        closed_on=D(2022, 8, 1),
        finding="unfounded",
        action="none",
    )
    record_sent(agency, 2022, sent_on=D(2023, 1, 10))
    assert first_reporting_year(agency, agency.today()) == 2022
    assert _states(agency) == {
        2026: "in_progress",
        2025: "overdue",
        2024: "overdue",
        2023: "overdue",
        2022: "sent",
    }


@time_machine.travel(dt.datetime(2026, 3, 1, 20, 0, tzinfo=UTC), tick=False)
def test_without_cases_only_last_years_report_is_owed(agency):
    assert first_reporting_year(agency, agency.today()) == 2025
    assert _states(agency) == {2026: "in_progress", 2025: "overdue"}
