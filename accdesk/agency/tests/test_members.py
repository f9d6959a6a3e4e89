from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accdesk import testing
from accdesk.access.models import User
from accdesk.agency.models import Membership
from accdesk.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def _url(name, agency, **kwargs):
    return reverse(f"agency:{name}", kwargs={"ori": agency.ori, **kwargs})


def _act(client, actor, agency, member, action, code=None, at=0):
    """POST an account action with the actor's own code (``at``: 30-second steps
    ahead, since a TOTP code is accepted once)."""
    import time

    return client.post(
        _url("member_action", agency, pk=member.memberships.get(agency=agency).pk),
        {
            "account-action": action,
            "account-code": code or testing.totp_code(actor, time.time() + 30 * at),
        },
    )


def test_the_acc_adds_a_user_and_sees_the_one_time_password_once(as_alice, agency):
    response = as_alice.post(
        _url("add_member", agency),
        {
            "email": "Dispatch@Alpha.test",
            "first_name": "Dee",
            "last_name": "Spatch",
            "role": "viewer",
            "expires_on": "",
            "employee_id": "",
        },
    )
    password = response.context["password"]
    user = User.objects.get(email="dispatch@alpha.test")
    assert user.check_password(password) and user.must_change_password
    assert password.encode() in response.content
    assert Membership.objects.get(user=user).role == "viewer"
    assert password.encode() not in as_alice.get(_url("members", agency)).content


def test_an_auditor_needs_an_expiry_date(as_alice, agency):
    response = as_alice.post(
        _url("add_member", agency),
        {
            "email": "aud@doj.test",
            "role": "auditor",
            "expires_on": "",
            "employee_id": "",
        },
    )
    assert b"needs an expiry date" in response.content
    assert not User.objects.filter(email="aud@doj.test").exists()


def test_adding_an_existing_member_again_is_refused(as_alice, agency, vera):
    response = as_alice.post(
        _url("add_member", agency),
        {
            "email": vera.email,
            "role": "acc",
            "expires_on": "",
            "employee_id": "",
        },
    )
    assert b"already a member" in response.content
    assert Membership.objects.get(user=vera).role == "viewer"


def test_an_expired_auditor_loses_access(agency, bob):
    membership = bob.memberships.get()
    membership.expires_on = agency.today() - dt.timedelta(days=1)
    membership.save()
    client = testing.signed_in_client(bob)
    assert client.get(_url("profile", agency)).status_code == 404


def test_an_auditor_has_access_on_the_last_day(agency, bob):
    membership = bob.memberships.get()
    membership.expires_on = agency.today()
    membership.save()
    assert testing.signed_in_client(bob).get(_url("profile", agency)).status_code == 200


def test_the_acc_changes_a_role(as_alice, alice, agency, vera):
    membership = vera.memberships.get()
    as_alice.post(
        _url("edit_member", agency, pk=membership.pk),
        {
            "role": "spoc",
            "expires_on": "",
            "employee_id": "E100",
            "code": testing.totp_code(alice),
        },
    )
    membership.refresh_from_db()
    assert (membership.role, membership.employee_id) == ("spoc", "E100")
    assert ChangeRecord.objects.filter(
        object_type="agency.membership", action="update", agency_id=agency.pk
    ).exists()


def test_the_acc_removes_access_but_not_their_own(as_alice, agency, alice, vera):
    _act(as_alice, alice, agency, vera, "remove")
    assert not Membership.objects.filter(user=vera).exists()
    response = _act(as_alice, alice, agency, alice, "remove", at=1)
    assert response.status_code == 400
    assert b"You cannot change your own access" in response.content
    assert Membership.objects.filter(user=alice).exists()


def test_the_spoc_sees_members_but_cannot_manage(as_sam, agency, vera):
    assert as_sam.get(_url("members", agency)).status_code == 200
    assert as_sam.get(_url("add_member", agency)).status_code == 403
    assert (
        as_sam.post(
            _url("edit_member", agency, pk=vera.memberships.get().pk), {"role": "acc"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize("persona", ["as_vera", "as_bob"])
def test_viewers_and_auditors_do_not_see_members(request, persona, agency):
    assert (
        request.getfixturevalue(persona).get(_url("members", agency)).status_code == 403
    )


def test_the_permissions_page_lists_every_action(as_vera, agency):
    response = as_vera.get(_url("permissions", agency))
    assert b"members.manage" in response.content
    assert b"Agency CLETS Coordinator" in response.content


def test_an_unknown_role_is_refused(as_alice, agency):
    response = as_alice.post(
        _url("add_member", agency),
        {
            "email": "x@alpha.test",
            "role": "boss",
            "expires_on": "",
            "employee_id": "",
        },
    )
    assert b"Select a valid choice" in response.content
    assert not User.objects.filter(email="x@alpha.test").exists()


def test_a_user_of_another_agency_is_not_taken_over(as_charlie, other_agency, alice):
    # Otherwise agency B's ACC could add agency A's ACC and reset her lockout.
    response = as_charlie.post(
        _url("add_member", other_agency),
        {
            "email": alice.email,
            "role": "viewer",
            "expires_on": "",
            "employee_id": "",
        },
    )
    assert b"also uses ACC Desk with another agency" in response.content
    assert not Membership.objects.filter(user=alice, agency=other_agency).exists()


def test_a_shared_account_is_unlocked_by_the_operator_only(
    as_alice, agency, vera, other_agency
):
    testing.make_member(other_agency, "viewer", vera)
    vera.locked_at = vera.date_joined
    vera.save()
    url = _url("unlock_member", agency, pk=vera.memberships.get(agency=agency).pk)
    response = as_alice.post(url, follow=True)
    assert b"also uses ACC Desk with another agency" in response.content
    vera.refresh_from_db()
    assert vera.is_locked


def test_a_superuser_account_is_not_the_agencys_to_manage(as_alice, agency):
    root = testing.make_user("root@example.test", is_superuser=True)
    response = as_alice.post(
        _url("add_member", agency),
        {
            "email": root.email,
            "role": "acc",
            "expires_on": "",
            "employee_id": "",
        },
    )
    assert b"also uses ACC Desk" in response.content
    assert not Membership.objects.filter(user=root).exists()
