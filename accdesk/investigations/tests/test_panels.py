"""The dashboard panel of the annual report: due, overdue, sent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accdesk.investigations.reporting import record_sent
from accdesk.testing import make_misuse_case

pytestmark = pytest.mark.django_db


def _panel(client, agency):
    response = client.get(reverse("dashboard:agency", kwargs={"ori": agency.ori}))
    html = response.content.decode()
    start = html.find('id="panel-misuse-report"')
    return html[start : html.find("</section>", start)] if start >= 0 else None


@time_machine.travel(dt.datetime(2026, 1, 10, 20, tzinfo=dt.UTC), tick=False)
def test_it_shows_last_years_report_as_due_in_january(as_alice, agency):
    panel = _panel(as_alice, agency)
    assert "Report for 2025" in panel and "due Feb 1, 2026" in panel
    assert "Due</span>" in panel and "Overdue" not in panel


@time_machine.travel(dt.datetime(2026, 2, 2, 20, tzinfo=dt.UTC), tick=False)
def test_it_shows_it_as_overdue_after_february_first(as_alice, agency):
    make_misuse_case(agency, opened_on=dt.date(2025, 5, 1))
    panel = _panel(as_alice, agency)
    assert "Overdue" in panel
    assert "1 open investigation<" in panel


@time_machine.travel(dt.datetime(2026, 2, 2, 20, tzinfo=dt.UTC), tick=False)
def test_once_sent_it_shows_the_date_and_the_next_report(as_alice, agency):
    record_sent(agency, 2025, sent_on=dt.date(2026, 1, 28))
    panel = _panel(as_alice, agency)
    assert "The report for 2025 was sent on Jan 28, 2026." in panel
    assert "the report for 2026, due Feb 1, 2027" in panel
    assert "Overdue" not in panel


def test_it_is_shown_to_the_spoc_but_not_to_a_viewer(as_sam, as_vera, agency):
    assert _panel(as_sam, agency) is not None
    assert _panel(as_vera, agency) is None
