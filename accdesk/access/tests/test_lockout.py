"""AC-7: 5 failed attempts within 15 minutes lock the account until an ACC or a
superuser unlocks it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accdesk import testing
from accdesk.access.models import SignInFailure
from accdesk.core.models import ChangeRecord

pytestmark = pytest.mark.django_db
SIGNIN = reverse("access:signin")


def _try_password(client, user, password="wrong password"):
    client.post(SIGNIN, {"acknowledge": "1"})
    return client.post(SIGNIN, {"email": user.email, "password": password})


def _fail(client, user, times):
    for _ in range(times):
        _try_password(client, user)


def test_five_failures_within_15_minutes_lock_the_account(client, alice):
    _fail(client, alice, 4)
    alice.refresh_from_db()
    assert not alice.is_locked
    _fail(client, alice, 1)
    alice.refresh_from_db()
    assert alice.is_locked
    assert ChangeRecord.objects.filter(
        event="signin.locked", actor_id=alice.pk
    ).exists()


def test_a_locked_account_refuses_even_the_right_password(client, alice):
    _fail(client, alice, 5)
    response = _try_password(client, alice, testing.PASSWORD)
    assert b"locked" in response.content
    assert "mfa_user_id" not in client.session


def test_failures_older_than_15_minutes_do_not_count(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, alice, 4)
    with time_machine.travel(start + dt.timedelta(minutes=15, seconds=1), tick=False):
        _fail(client, alice, 1)
    alice.refresh_from_db()
    assert not alice.is_locked


def test_failures_just_inside_the_window_count(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, alice, 4)
    with time_machine.travel(start + dt.timedelta(minutes=14, seconds=59), tick=False):
        _fail(client, alice, 1)
    alice.refresh_from_db()
    assert alice.is_locked


def test_the_lock_does_not_expire(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, alice, 5)
    with time_machine.travel(start + dt.timedelta(days=30), tick=False):
        response = _try_password(client, alice, testing.PASSWORD)
    assert b"locked" in response.content


def test_wrong_codes_count_too(client, alice):
    for _ in range(5):
        _try_password(client, alice, testing.PASSWORD)
        client.post(reverse("access:verify"), {"code": "000000"})
    alice.refresh_from_db()
    assert alice.is_locked


def test_a_successful_signin_resets_the_count(client, alice):
    _fail(client, alice, 4)
    _try_password(client, alice, testing.PASSWORD)
    client.post(reverse("access:verify"), {"code": testing.totp_code(alice)})
    client.post(reverse("access:signout"))
    _fail(client, alice, 4)
    alice.refresh_from_db()
    assert not alice.is_locked


def test_an_acc_unlocks_a_member_and_the_unlock_is_recorded(
    client, as_alice, agency, vera
):
    _fail(client, vera, 5)
    membership = vera.memberships.get(agency=agency)
    url = reverse(
        "agency:unlock_member", kwargs={"ori": agency.ori, "pk": membership.pk}
    )
    response = as_alice.post(url)
    assert response.status_code == 302
    vera.refresh_from_db()
    assert not vera.is_locked
    unlock = ChangeRecord.objects.get(event="signin.unlocked")
    assert unlock.actor_label == "alice@alpha.test"
    assert unlock.agency_id == agency.pk
    # and vera can sign in again
    _try_password(client, vera, testing.PASSWORD)
    assert "mfa_user_id" in client.session


@pytest.mark.parametrize("persona", ["as_sam", "as_vera", "as_bob"])
def test_other_roles_cannot_unlock(request, persona, agency, alice, client):
    _fail(client, alice, 5)
    membership = alice.memberships.get(agency=agency)
    url = reverse(
        "agency:unlock_member", kwargs={"ori": agency.ori, "pk": membership.pk}
    )
    assert request.getfixturevalue(persona).post(url).status_code == 403
    alice.refresh_from_db()
    assert alice.is_locked


def test_the_acc_of_another_agency_cannot_unlock(as_charlie, client, agency, alice):
    _fail(client, alice, 5)
    membership = alice.memberships.get(agency=agency)
    url = reverse(
        "agency:unlock_member", kwargs={"ori": agency.ori, "pk": membership.pk}
    )
    assert as_charlie.post(url).status_code == 404
    alice.refresh_from_db()
    assert alice.is_locked


def test_the_unlock_command_unlocks(client, alice):
    _fail(client, alice, 5)
    call_command("user", "unlock", "--email", alice.email)
    alice.refresh_from_db()
    assert not alice.is_locked
    assert ChangeRecord.objects.get(event="signin.unlocked").actor_label.startswith(
        "cli:"
    )


def _change_password(client, old, new="a brand new passphrase", again=None):
    return client.post(
        reverse("access:account"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_wrong_current_passwords_on_the_account_page_lock_the_account(as_alice, alice):
    for _ in range(4):
        response = _change_password(as_alice, "not my password")
        assert response.status_code == 200  # the form again, with its error
    alice.refresh_from_db()
    assert not alice.is_locked
    assert SignInFailure.objects.filter(user=alice, stage="password").count() == 4
    response = _change_password(as_alice, "not my password")
    assert response["Location"] == SIGNIN
    alice.refresh_from_db()
    assert alice.is_locked
    assert as_alice.get(reverse("access:account")).status_code == 302  # signed out
    assert ChangeRecord.objects.filter(event="signin.locked", actor_id=alice.pk)


def test_other_errors_of_the_password_form_do_not_count(as_alice, alice):
    for _ in range(5):
        _change_password(as_alice, testing.PASSWORD, again="something else")
    assert not SignInFailure.objects.filter(user=alice).exists()
    alice.refresh_from_db()
    assert not alice.is_locked


def test_the_unlock_command_is_seen_by_every_agency_of_the_user(
    client, agency, other_agency, alice, as_alice, charlie, as_charlie
):
    # alice also belongs to the other agency, as a county ACC may: only the
    # server operator may unlock her, and both agencies see that it happened.
    testing.make_member(other_agency, "viewer", alice)
    _fail(client, alice, 5)
    call_command("user", "unlock", "--email", alice.email)
    record = ChangeRecord.objects.get(event="signin.unlocked")
    assert record.agency_id is None
    for ori, viewer in ((agency.ori, as_alice), (other_agency.ori, as_charlie)):
        content = viewer.get(reverse("changes:list", kwargs={"ori": ori})).content
        assert b"signin.unlocked" in content
        assert b"cli:" in content
