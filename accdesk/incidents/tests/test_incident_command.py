"""``accdesk incident list --agency ORI --format json`` (the contract of issue 15)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accdesk.core.models import ChangeRecord

from .conftest import LA, NOW, make_incident

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_now")]


def _run(*args):
    out = io.StringIO()
    call_command("incident", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_each_incident_with_its_clocks(agency):
    found = NOW - dt.timedelta(hours=2)
    incident = make_incident(
        agency,
        discovered_at=found,
        reported_internally_at=found + dt.timedelta(minutes=20),
        confirmed=True,
    )
    rows = _run("list", "--agency", agency.ori.lower(), "--format", "json")
    assert rows == [
        {
            "id": incident.pk,
            "type": "malware",
            "status": "open",
            "confirmed": True,
            "discovered_at": "2026-12-04T07:00:00-08:00",
            "internal_clock": {
                "due_at": "2026-12-04T08:00:00-08:00",
                "done_at": "2026-12-04T07:20:00-08:00",
                "status": "met",
            },
            "doj_clock": {
                "due_at": "2026-12-05T07:00:00-08:00",
                "done_at": None,
                "status": "running",
            },
        }
    ]
    assert ChangeRecord.objects.filter(event="view", agency_id=agency.pk).exists()


def test_times_carry_the_offset_of_their_date(agency):
    make_incident(agency, discovered_at=dt.datetime(2026, 7, 1, 9, 0, tzinfo=LA))
    (row,) = _run("list", "--agency", agency.ori)
    assert row["discovered_at"] == "2026-07-01T09:00:00-07:00"
    assert row["internal_clock"]["status"] == "missed"


def test_a_dismissed_false_alarm_has_no_doj_clock(agency):
    make_incident(agency, status="not_incident", closed_at=NOW)
    (row,) = _run("list", "--agency", agency.ori)
    assert row["doj_clock"] is None and row["status"] == "not_incident"


def test_another_agencys_incidents_are_not_listed(agency, other_agency):
    make_incident(other_agency)
    assert _run("list", "--agency", agency.ori) == []


def test_an_unknown_agency_is_refused(db):
    with pytest.raises(CommandError, match="No agency"):
        _run("list", "--agency", "CA0000000")
