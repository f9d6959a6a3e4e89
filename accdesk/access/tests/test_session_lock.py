"""AC-11 / IA-5: the session locks after 30 idle minutes and ends 12 hours after
sign-in, whatever the cookie says."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accdesk import testing
from accdesk.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def _dashboard(agency):
    return reverse("dashboard:agency", kwargs={"ori": agency.ori})


def test_a_request_within_30_minutes_keeps_the_session(alice, agency):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = testing.signed_in_client(alice)
    with time_machine.travel(start + dt.timedelta(minutes=29, seconds=59), tick=False):
        assert client.get(_dashboard(agency)).status_code == 200


def test_30_idle_minutes_lock_the_session(alice, agency):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = testing.signed_in_client(alice)
    with time_machine.travel(start + dt.timedelta(minutes=30, seconds=1), tick=False):
        response = client.get(_dashboard(agency))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("access:locked"))
        # Signed out: the next request goes to sign-in, not to the page.
        assert client.get(_dashboard(agency))["Location"].startswith(
            reverse("access:signin")
        )
    assert ChangeRecord.objects.filter(event="session.idle", actor_id=alice.pk).exists()


def test_activity_moves_the_idle_deadline(alice, agency):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = testing.signed_in_client(alice)
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        assert client.get(_dashboard(agency)).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=45), tick=False):
        assert client.get(_dashboard(agency)).status_code == 200


def test_the_session_ends_12_hours_after_signin_even_when_busy(alice, agency):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = testing.signed_in_client(alice)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get(_dashboard(agency)).status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=1), tick=False):
        response = client.get(_dashboard(agency))
    assert response["Location"].startswith(reverse("access:locked"))
    assert ChangeRecord.objects.filter(event="session.expired").exists()


def test_an_htmx_request_is_redirected_as_a_whole_page(alice, agency):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = testing.signed_in_client(alice)
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        response = client.get(_dashboard(agency), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("access:locked"))


def test_a_login_without_the_second_factor_is_not_a_session(client, alice, agency):
    client.force_login(alice)  # password-only: no OTP device in the session
    response = client.get(_dashboard(agency))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_page_tells_the_browser_when_to_lock(as_alice, agency):
    response = as_alice.get(_dashboard(agency))
    assert b'data-idle-seconds="1800"' in response.content


def test_a_one_time_password_must_be_changed_first(alice, agency):
    alice.must_change_password = True
    alice.save()
    client = testing.signed_in_client(alice)
    response = client.get(_dashboard(agency))
    assert response["Location"] == reverse("access:account")
    response = client.post(
        reverse("access:account"),
        {
            "old_password": testing.PASSWORD,
            "new_password1": "a much longer passphrase 42",
            "new_password2": "a much longer passphrase 42",
        },
    )
    assert response.status_code == 302
    assert client.get(_dashboard(agency)).status_code == 200
