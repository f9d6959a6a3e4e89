from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accdesk.investigations.models import AnnualReport
from accdesk.investigations.reporting import record_sent
from accdesk.testing import make_misuse_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _january_2026():
    with time_machine.travel(dt.datetime(2026, 1, 20, 20, tzinfo=dt.UTC), tick=False):
        yield


def _url(agency, year=2025):
    return reverse(
        "investigations:report_sent", kwargs={"ori": agency.ori, "year": year}
    )


def test_it_records_the_date_and_closes_the_task(as_alice, agency, alice):
    make_misuse_case(agency, opened_on=dt.date(2025, 5, 1))
    response = as_alice.post(
        _url(agency), {"sent_on": "2026-01-19", "sent_how": "DOJ portal"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "dashboard:agency", kwargs={"ori": agency.ori}
    )
    sent = AnnualReport.objects.get(agency=agency, year=2025)
    assert (sent.sent_on, sent.sent_how, sent.sent_by) == (
        dt.date(2026, 1, 19),
        "DOJ portal",
        alice,
    )
    assert sent.content["opened"] == 1


@pytest.mark.parametrize(
    ("sent_on", "message"),
    [
        ("2026-01-21", b"This date is in the future."),
        ("2025-12-31", b"can be sent once the year is over, from January 1, 2026"),
        ("", b"This field is required."),
    ],
)
def test_it_refuses_impossible_dates(as_alice, agency, sent_on, message):
    response = as_alice.post(_url(agency), {"sent_on": sent_on})
    assert response.status_code == 400
    assert message in response.content
    assert not AnnualReport.objects.exists()


def test_it_refuses_a_report_already_sent_or_not_due(as_alice, agency):
    record_sent(agency, 2025, sent_on=dt.date(2026, 1, 5))
    as_alice.post(_url(agency), {"sent_on": "2026-01-19"})
    as_alice.post(_url(agency, 2026), {"sent_on": "2026-01-19"})
    assert list(AnnualReport.objects.values_list("year", "sent_on")) == [
        (2025, dt.date(2026, 1, 5))
    ]


def test_it_rejects_get(as_alice, agency):
    assert as_alice.get(_url(agency)).status_code == 405
