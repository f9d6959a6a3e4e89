from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accdesk.testing import make_misuse_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(agency):
    return make_misuse_case(
        agency,
        opened_on=dt.date(2025, 3, 1),
        closed_on=dt.date(2025, 6, 1),
        finding="sustained",
        action="reprimand",
    )


def _url(case):
    return reverse(
        "investigations:reopen", kwargs={"ori": case.agency.ori, "pk": case.pk}
    )


@time_machine.travel(dt.datetime(2025, 9, 1, 18, tzinfo=dt.UTC))
def test_it_reopens_with_a_reason(as_alice, closed, alice):
    response = as_alice.post(_url(closed), {"reason": "The subject appealed."})
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.is_open and closed.action == ""
    note = closed.notes.get()
    assert note.author == alice and "The subject appealed." in note.text


@time_machine.travel(dt.datetime(2026, 1, 10, 18, tzinfo=dt.UTC))
def test_a_case_closed_in_an_earlier_year_stays_closed(as_alice, closed):
    # Its year's report counts it as closed; reopening would rewrite that report.
    as_alice.post(_url(closed), {"reason": "The subject appealed."})
    closed.refresh_from_db()
    assert not closed.is_open
    assert not closed.notes.exists()


def test_it_needs_a_reason(as_alice, closed):
    as_alice.post(_url(closed), {"reason": ""})
    closed.refresh_from_db()
    assert not closed.is_open


def test_it_rejects_get(as_alice, closed):
    assert as_alice.get(_url(closed)).status_code == 405
