from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accdesk.investigations import demo
from accdesk.investigations.reporting import report_statuses

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 1, 10, 20, tzinfo=dt.UTC), tick=False)
def test_it_loads_cases_over_two_years_once(agency):
    today = agency.today()
    demo.load(agency, today)
    demo.load(agency, today)
    cases = agency.misuse_cases.all()
    assert cases.count() == 4
    assert {c.opened_on.year for c in cases} == {2024, 2025}
    assert cases.open().count() == 1
    states = {s.year: s.state for s in report_statuses(agency, today)}
    assert states == {2026: "in_progress", 2025: "due", 2024: "sent"}
