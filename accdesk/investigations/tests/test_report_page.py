from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accdesk.core.models import ChangeRecord
from accdesk.investigations.reporting import record_sent
from accdesk.testing import make_misuse_case

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel(dt.datetime(2026, 3, 1, 20, tzinfo=dt.UTC), tick=False):
        yield


def _url(agency, year):
    return reverse("investigations:report", kwargs={"ori": agency.ori, "year": year})


def test_it_shows_the_counts_and_the_cases_without_subjects(as_alice, agency, person):
    make_misuse_case(
        agency, case_number="IA-9", opened_on=D(2025, 4, 1), subject=person
    )
    response = as_alice.get(_url(agency, 2025))
    assert response.status_code == 200
    assert response.context["report"]["opened"] == 1
    assert b"IA-9" in response.content
    assert b"Doe" not in response.content
    assert b"Overdue: this report was due on Feb 1, 2026" in response.content


def test_a_year_without_cases_says_so(as_alice, agency):
    response = as_alice.get(_url(agency, 2025))
    assert (
        b"No misuse investigations were opened, closed or open during 2025."
        in response.content
    )


def test_the_current_year_shows_figures_so_far_and_no_send_form(as_alice, agency):
    response = as_alice.get(_url(agency, 2026))
    assert b"2026 is not over" in response.content
    assert b"Mark as sent" not in response.content


def test_a_future_year_is_404(as_alice, agency):
    assert as_alice.get(_url(agency, 2027)).status_code == 404


def test_viewing_it_is_recorded(as_alice, agency, alice):
    as_alice.get(_url(agency, 2025))
    record = ChangeRecord.objects.get(event="view", actor_id=alice.pk)
    assert record.message == "misuse report for 2025"


def test_only_the_acc_may_record_it_as_sent(as_alice, as_sam, agency):
    assert b"Mark as sent" in as_alice.get(_url(agency, 2025)).content
    assert b"Mark as sent" not in as_sam.get(_url(agency, 2025)).content


def test_a_sent_report_warns_when_the_cases_changed_since(as_alice, agency):
    record_sent(agency, 2025, sent_on=D(2026, 1, 20), how="DOJ portal")
    response = as_alice.get(_url(agency, 2025))
    assert b"Sent to DOJ on Jan 20, 2026 (DOJ portal)" in response.content
    assert b"have changed since" not in response.content
    make_misuse_case(agency, opened_on=D(2025, 12, 1))
    response = as_alice.get(_url(agency, 2025))
    assert b"have changed since this report was sent" in response.content
