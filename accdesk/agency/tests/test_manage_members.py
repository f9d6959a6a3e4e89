"""The ACC manages the agency's users from the Users page: password and
two-step sign-in resets, suspension, role changes -- each with the ACC's own code
again, recorded, never on oneself, never leaving the agency without an ACC."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp import devices_for_user

from accdesk import testing
from accdesk.agency import members
from accdesk.agency.models import Membership
from accdesk.agency.tests.test_members import _act, _url
from accdesk.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def test_a_password_reset_shows_a_one_time_password_once(as_alice, alice, agency, vera):
    response = _act(as_alice, alice, agency, vera, "reset_password")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = response.context["password"]
    vera.refresh_from_db()
    assert vera.check_password(password) and vera.must_change_password
    assert not vera.check_password(testing.PASSWORD)
    assert password.encode() not in as_alice.get(_url("members", agency)).content
    event = ChangeRecord.objects.get(event="password.reset")
    assert event.agency_id == agency.pk and password not in event.message


def test_an_mfa_reset_removes_the_devices_and_ends_their_session(
    as_alice, alice, agency, vera
):
    as_vera = testing.signed_in_client(vera)
    assert as_vera.get(_url("profile", agency)).status_code == 200
    response = _act(as_alice, alice, agency, vera, "reset_mfa")
    assert response.status_code == 302
    assert list(devices_for_user(vera, confirmed=None)) == []
    assert ChangeRecord.objects.filter(event="mfa.reset", agency_id=agency.pk).exists()
    # Their open session is no longer verified by a device: it ends.
    assert as_vera.get(_url("profile", agency))["Location"].startswith(
        "/signin/locked/"
    )


def test_a_suspended_member_loses_the_agency_until_reactivated(
    as_alice, alice, agency, vera
):
    as_vera = testing.signed_in_client(vera)
    _act(as_alice, alice, agency, vera, "suspend")
    assert vera.memberships.get().is_suspended
    assert as_vera.get(_url("profile", agency)).status_code == 404
    page = as_alice.get(_url("members", agency)).content.decode()
    assert "Suspended" in page
    _act(as_alice, alice, agency, vera, "reactivate", at=1)
    assert not vera.memberships.get().is_suspended
    assert as_vera.get(_url("profile", agency)).status_code == 200
    changes = ChangeRecord.objects.filter(
        object_type="agency.membership", action="update"
    )
    assert [c.changed_fields for c in changes] == [["suspended_at"]] * 2


@pytest.mark.parametrize("action", ["reset_password", "reset_mfa", "suspend"])
def test_every_action_needs_the_accs_own_code(as_alice, alice, agency, vera, action):
    response = _act(as_alice, alice, agency, vera, action, code="000000")
    assert response.status_code == 400
    assert b"That code is not correct" in response.content
    vera.refresh_from_db()
    assert vera.check_password(testing.PASSWORD)
    assert list(devices_for_user(vera))
    assert not vera.memberships.get().is_suspended
    assert ChangeRecord.objects.filter(event="signin.failed").exists()


def test_a_role_change_needs_the_code_too(as_alice, agency, vera):
    membership = vera.memberships.get()
    response = as_alice.post(
        _url("edit_member", agency, pk=membership.pk),
        {"role": "acc", "expires_on": "", "employee_id": "", "code": "123456"},
    )
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.role == "viewer"


def test_five_wrong_codes_lock_the_acc_out(as_alice, alice, agency, vera):
    for _ in range(5):
        response = _act(as_alice, alice, agency, vera, "suspend", code="000000")
    assert response["Location"] == "/signin/"
    alice.refresh_from_db()
    assert alice.is_locked


@pytest.mark.parametrize("action", ["reset_password", "reset_mfa", "suspend"])
def test_nobody_does_these_to_themselves(as_alice, alice, agency, action):
    response = _act(as_alice, alice, agency, alice, action)
    assert response.status_code == 400
    assert b"You cannot change your own access" in response.content
    alice.refresh_from_db()
    assert alice.check_password(testing.PASSWORD) and list(devices_for_user(alice))
    assert not alice.memberships.get().is_suspended


def test_the_acc_cannot_change_their_own_role(as_alice, alice, agency):
    membership = alice.memberships.get()
    page = as_alice.get(_url("edit_member", agency, pk=membership.pk))
    assert b"This is your own access" in page.content
    assert b'name="role"' not in page.content
    as_alice.post(
        _url("edit_member", agency, pk=membership.pk),
        {"role": "viewer", "code": testing.totp_code(alice)},
    )
    membership.refresh_from_db()
    assert membership.role == "acc"


def test_the_last_acc_cannot_be_demoted_suspended_or_removed(agency, alice, vera):
    (only,) = Membership.objects.filter(agency=agency, role="acc")
    for attempt in (
        lambda: members.check_losing_acc(only, "viewer"),
        lambda: members.suspend(vera, only),
        lambda: members.remove(vera, only),
    ):
        with pytest.raises(members.NotAllowed, match="only Agency CLETS Coordinator"):
            attempt()
    members.check_losing_acc(only, "acc")  # staying ACC is fine


def test_an_acc_may_demote_another_acc(as_alice, alice, agency):
    other = testing.make_member(agency, "acc").user
    membership = other.memberships.get()
    as_alice.post(
        _url("edit_member", agency, pk=membership.pk),
        {
            "role": "viewer",
            "expires_on": "",
            "employee_id": "",
            "code": testing.totp_code(alice),
        },
    )
    membership.refresh_from_db()
    assert membership.role == "viewer"


def test_a_shared_account_is_not_reset_here(
    as_alice, alice, agency, vera, other_agency
):
    testing.make_member(other_agency, "viewer", vera)
    response = _act(as_alice, alice, agency, vera, "reset_password")
    assert response.status_code == 400
    assert b"also uses ACC Desk with another agency" in response.content
    vera.refresh_from_db()
    assert vera.check_password(testing.PASSWORD)


def test_members_of_other_agencies_are_out_of_reach(as_alice, alice, charlie):
    pk = charlie.memberships.get().pk
    url = reverse(
        "agency:member_action",
        kwargs={"ori": alice.memberships.get().agency.ori, "pk": pk},
    )
    response = as_alice.post(
        url, {"account-action": "reset_password", "account-code": "1"}
    )
    assert response.status_code == 404
