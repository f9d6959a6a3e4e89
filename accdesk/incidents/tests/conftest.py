from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from accdesk.incidents.models import Incident

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
# Friday Dec 4, 2026, 09:00 in Los Angeles (17:00 UTC).
NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=LA)


@pytest.fixture
def fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def make_incident(agency, **kwargs) -> Incident:
    kwargs.setdefault("incident_type", "malware")
    kwargs.setdefault("reporter_name", "Jordan Reyes")
    kwargs.setdefault("detection_method", "antivirus alert")
    kwargs.setdefault("description", "Malware found on a records workstation.")
    kwargs.setdefault("discovered_at", NOW - dt.timedelta(minutes=30))
    needs = kwargs.pop("needs_training", [])
    incident = Incident.objects.create(agency=agency, **kwargs)
    incident.needs_training.set(needs)
    return incident
