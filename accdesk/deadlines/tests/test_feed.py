"""The calendar feed: valid RFC 5545 (parsed back with ``icalendar``), initials
only, a link back; a new URL replaces the old; a revoked one is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from accdesk.core.models import ChangeRecord
from accdesk.deadlines.models import CalendarFeed
from accdesk.deadlines.tests.conftest import DAY, TODAY
from accdesk.testing import PASSWORD

pytestmark = pytest.mark.django_db


def feed_url(client) -> str:
    response = client.post("/account/calendar/", {"current_password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/account/calendar/").content.decode()
    start = page.index("http://testserver/calendar/")
    return page[start : page.index('"', start)].removeprefix("http://testserver")


def test_the_feed_parses_with_one_all_day_event_per_deadline(
    agency, scenario, as_alice, client
):
    url = feed_url(as_alice)

    response = client.get(url)  # no sign-in: the token is the credential
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    assert f"[{agency.ori}] NexTEST expired (J.S.)" in summaries
    smith = next(
        e for e in events if str(e["SUMMARY"]).endswith("NexTEST expired (J.S.)")
    )
    assert smith.decoded("DTSTART") == TODAY - DAY
    assert smith.decoded("DTEND") == TODAY
    assert isinstance(smith.decoded("DTSTART"), dt.date)
    assert not isinstance(smith.decoded("DTSTART"), dt.datetime)  # all day
    assert str(smith["URL"]).startswith("http://127.0.0.1:8000/a/")
    text = response.content.decode()
    for name in ("Jordan", "Smith", "Avery", "Riley", "Casey"):
        assert name not in text
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_a_new_url_replaces_the_old_and_a_revoked_one_is_404(as_alice, alice, client):
    first = feed_url(as_alice)
    second = feed_url(as_alice)

    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    as_alice.post("/account/calendar/", {"revoke": "1"})
    assert client.get(second).status_code == 404
    assert not CalendarFeed.objects.filter(user=alice).exists()
    events = ChangeRecord.objects.filter(event__startswith="calendar.")
    assert list(events.values_list("event", flat=True)) == [
        "calendar.revoked",
        "calendar.issued",
        "calendar.issued",
    ]


def test_a_feed_url_needs_the_password(as_alice, alice):
    response = as_alice.post("/account/calendar/", {"current_password": "nope"})

    assert response.status_code == 302
    assert not CalendarFeed.objects.filter(user=alice).exists()


def test_only_a_fingerprint_of_the_token_is_stored(as_alice, alice):
    token = feed_url(as_alice).removeprefix("/calendar/").removesuffix(".ics")

    stored = CalendarFeed.objects.get(user=alice).token_hash
    assert token not in stored and len(stored) == 64


def test_a_viewer_sees_no_misuse_report_in_their_feed(agency, scenario, vera, client):
    from accdesk import testing

    url = feed_url(testing.signed_in_client(vera))
    summaries = [
        str(e["SUMMARY"])
        for e in Calendar.from_ical(client.get(url).content).walk("VEVENT")
    ]

    assert any("NexTEST" in s for s in summaries)
    assert not any("Misuse report" in s for s in summaries)
