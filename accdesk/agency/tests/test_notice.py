from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accdesk.agency import notices

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(agency):
    return notices.update_profile(
        agency, {"phone": "(555) 999-0000"}, dt.date(2026, 11, 1)
    )


def _sent_url(agency, notice):
    return reverse("agency:notice_sent", kwargs={"ori": agency.ori, "pk": notice.pk})


def test_the_notice_prints_the_letter(as_bob, agency, notice):
    response = as_bob.get(
        reverse("agency:notice", kwargs={"ori": agency.ori, "pk": notice.pk})
    )
    assert b"was: (555) 010-0000" in response.content
    assert b"data-print" in response.content
    assert b"Mark as sent" not in response.content  # auditors read only


@time_machine.travel(dt.datetime(2026, 11, 20, 18, tzinfo=dt.UTC))
def test_recording_the_sent_date_closes_the_task(as_alice, agency, notice, alice):
    response = as_alice.post(
        _sent_url(agency, notice), {"sent_on": "2026-11-20", "sent_how": "email to CAS"}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.sent_on, notice.sent_by, notice.sent_how) == (
        dt.date(2026, 11, 20),
        alice,
        "email to CAS",
    )
    dashboard = as_alice.get(reverse("dashboard:agency", kwargs={"ori": agency.ori}))
    assert b"Nothing to report to DOJ" in dashboard.content


@time_machine.travel(dt.datetime(2026, 11, 20, 18, tzinfo=dt.UTC))
def test_a_future_sent_date_is_refused(as_alice, agency, notice):
    response = as_alice.post(_sent_url(agency, notice), {"sent_on": "2026-11-21"})
    assert response.status_code == 400
    notice.refresh_from_db()
    assert notice.is_open


def test_the_dashboard_lists_open_tasks(as_vera, agency, notice):
    response = as_vera.get(reverse("dashboard:agency", kwargs={"ori": agency.ori}))
    assert b"Agency telephone changed" in response.content


@pytest.mark.parametrize("persona", ["as_sam", "as_vera", "as_bob"])
def test_only_the_acc_records_it_sent(request, persona, agency, notice):
    client = request.getfixturevalue(persona)
    assert (
        client.post(_sent_url(agency, notice), {"sent_on": "2026-11-02"}).status_code
        == 403
    )
    notice.refresh_from_db()
    assert notice.is_open
