from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accdesk.personnel.models import Person


@pytest.fixture
def person(agency):
    """Someone on ``agency``'s roster, who can be the subject of a case."""
    return Person.objects.create(
        agency=agency, employee_id="E1042", last_name="Doe", first_name="Jamie"
    )


@pytest.fixture
def july_1_2025():
    """Today is 2025-07-01 in Los Angeles (the agencies' default time zone)."""
    with time_machine.travel(dt.datetime(2025, 7, 1, 18, tzinfo=dt.UTC), tick=False):
        yield dt.date(2025, 7, 1)
