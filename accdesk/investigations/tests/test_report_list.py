from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accdesk.investigations.reporting import record_sent
from accdesk.testing import make_misuse_case

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 3, 1, 20, tzinfo=dt.UTC), tick=False)
def test_it_lists_every_reporting_year_with_its_state(as_alice, agency):
    make_misuse_case(agency, opened_on=dt.date(2024, 5, 1))
    record_sent(agency, 2024, sent_on=dt.date(2025, 1, 30))
    response = as_alice.get(
        reverse("investigations:reports", kwargs={"ori": agency.ori})
    )
    assert [(s.year, s.state) for s in response.context["statuses"]] == [
        (2026, "in_progress"),
        (2025, "overdue"),
        (2024, "sent"),
    ]
    assert b"Sent Jan 30, 2025" in response.content
