"""The clock rules at their boundaries (issue 15): 59/60/61 minutes for the
internal report, 23 h 59 / 24 h 01 for DOJ, the breach's immediate clock, and
elapsed time across a daylight-saving change."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.incidents import clocks
from accdesk.incidents.models import Incident

from .conftest import LA

FOUND = dt.datetime(2026, 12, 4, 8, 0, tzinfo=LA)


def _incident(**kwargs) -> Incident:
    kwargs.setdefault("discovered_at", FOUND)
    return Incident(**kwargs)


def _after(**delta) -> dt.datetime:
    return FOUND + dt.timedelta(**delta)


@pytest.mark.parametrize(
    ("minutes", "status", "by"), [(59, "met", 1), (60, "met", 0), (61, "missed", 1)]
)
def test_the_internal_report_is_due_within_an_hour(minutes, status, by):
    incident = _incident(reported_internally_at=_after(minutes=minutes))
    clock = clocks.internal_clock(incident, _after(days=2))
    assert clock.due_at == _after(minutes=60)
    assert (clock.status, clock.minutes) == (status, by)


@pytest.mark.parametrize(
    ("minutes", "status", "by"), [(59, "running", 1), (60, "running", 0)]
)
def test_an_unreported_internal_clock_runs_until_the_hour(minutes, status, by):
    clock = clocks.internal_clock(_incident(), _after(minutes=minutes))
    assert (clock.status, clock.minutes) == (status, by)


def test_an_unreported_internal_clock_turns_missed_after_the_hour():
    clock = clocks.internal_clock(_incident(), _after(minutes=61))
    assert (clock.status, clock.minutes) == ("missed", 1)
    assert clock.summary == "missed by 1 min"


@pytest.mark.parametrize(
    ("delta", "status"),
    [
        (dt.timedelta(hours=23, minutes=59), "met"),
        (dt.timedelta(hours=24), "met"),
        (dt.timedelta(hours=24, minutes=1), "missed"),
    ],
)
def test_a_suspected_incident_goes_to_doj_within_24_hours(delta, status):
    incident = _incident(doj_notified_at=FOUND + delta)
    clock = clocks.doj_clock(incident, _after(days=3))
    assert clock.due_at == _after(hours=24)
    assert clock.status == status


def test_the_doj_clock_runs_then_is_missed():
    incident = _incident()
    assert clocks.doj_clock(incident, _after(hours=23, minutes=59)).status == "running"
    late = clocks.doj_clock(incident, _after(hours=24, minutes=1))
    assert (late.status, late.minutes) == ("missed", 1)


def test_a_breach_goes_to_doj_immediately_from_when_it_is_known(settings):
    settings.INCIDENT_DOJ_BREACH_MINUTES = 60
    known = _after(hours=5)
    incident = _incident(breach=True, breach_known_at=known)
    assert clocks.doj_clock(incident, known).due_at == known + dt.timedelta(hours=1)
    incident.doj_notified_at = known + dt.timedelta(minutes=61)
    assert clocks.doj_clock(incident, _after(days=1)).status == "missed"
    incident.doj_notified_at = known + dt.timedelta(minutes=60)
    assert clocks.doj_clock(incident, _after(days=1)).status == "met"


def test_immediately_is_a_setting(settings):
    settings.INCIDENT_DOJ_BREACH_MINUTES = 15
    incident = _incident(breach=True, breach_known_at=FOUND)
    assert clocks.doj_clock(incident, FOUND).due_at == _after(minutes=15)


def test_a_breach_known_late_is_still_due_within_the_24_hours():
    incident = _incident(breach=True, breach_known_at=_after(hours=23, minutes=30))
    assert clocks.doj_clock(incident, FOUND).due_at == _after(hours=24)


def test_24_elapsed_hours_across_the_spring_change():
    # Sat Mar 7, 2026 12:00 PST; clocks go forward at 02:00 on Sunday Mar 8.
    found = dt.datetime(2026, 3, 7, 12, 0, tzinfo=LA)
    clock = clocks.doj_clock(Incident(discovered_at=found), found)
    local = clock.due_at.astimezone(LA)
    assert (local.day, local.hour, local.utcoffset()) == (8, 13, dt.timedelta(hours=-7))
    assert clock.due_at - found == dt.timedelta(hours=24)


def test_one_hour_across_the_autumn_change():
    # Sun Nov 1, 2026 01:30 PDT (the first 01:30): due 01:30 PST, an hour later.
    found = dt.datetime(2026, 11, 1, 1, 30, tzinfo=LA, fold=0)
    clock = clocks.internal_clock(Incident(discovered_at=found), found)
    local = clock.due_at.astimezone(LA)
    assert (local.hour, local.minute, local.utcoffset()) == (
        1,
        30,
        dt.timedelta(hours=-8),
    )
    reported = dt.datetime(2026, 11, 1, 1, 45, tzinfo=LA, fold=1)  # 01:45 PST
    late = clocks.internal_clock(
        Incident(discovered_at=found, reported_internally_at=reported), found
    )
    assert (late.status, late.minutes) == ("missed", 15)


def test_a_false_alarm_dismissed_in_time_has_no_doj_clock():
    incident = _incident(status="not_incident", closed_at=_after(hours=2))
    assert clocks.doj_clock(incident, _after(days=2)) is None
    late = _incident(status="not_incident", closed_at=_after(hours=30))
    assert clocks.doj_clock(late, _after(days=2)).status == "missed"
