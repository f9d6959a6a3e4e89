from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accdesk.access.models import User
from accdesk.agency.models import Membership

pytestmark = pytest.mark.django_db


def test_it_adds_a_user_with_a_one_time_password(agency, capsys):
    call_command(
        "user",
        "add",
        "--agency",
        agency.ori.lower(),
        "--role",
        "acc",
        "--email",
        "New.ACC@Example.test",
    )
    out = capsys.readouterr().out
    user = User.objects.get(email="new.acc@example.test")
    password = out.split("One-time password: ")[1].split()[0]
    assert user.check_password(password)
    assert user.must_change_password
    assert Membership.objects.get(user=user).role == "acc"


def test_an_existing_user_keeps_their_password(agency, other_agency, capsys):
    call_command(
        "user",
        "add",
        "--agency",
        agency.ori,
        "--role",
        "viewer",
        "--email",
        "x@example.test",
    )
    capsys.readouterr()
    call_command(
        "user",
        "add",
        "--agency",
        other_agency.ori,
        "--role",
        "spoc",
        "--email",
        "x@example.test",
    )
    assert "One-time password" not in capsys.readouterr().out
    assert Membership.objects.filter(user__email="x@example.test").count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "boss"], "Unknown role 'boss'"),
        (["--role", "auditor"], "needs an expiry date"),
        (["--role", "acc", "--expires", "2026-13-01"], "invalid date"),
    ],
)
def test_it_rejects_bad_input_and_changes_nothing(agency, args, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "user", "add", "--agency", agency.ori, "--email", "y@example.test", *args
        )
    assert not User.objects.filter(email="y@example.test").exists()


def test_it_rejects_an_unknown_agency():
    with pytest.raises(CommandError, match="No agency with ORI 'CA0999999'"):
        call_command(
            "user",
            "add",
            "--agency",
            "CA0999999",
            "--role",
            "acc",
            "--email",
            "z@example.test",
        )
    assert not User.objects.exists()


def test_it_refuses_a_second_membership_in_the_same_agency(agency, alice):
    with pytest.raises(CommandError, match="already a member"):
        call_command(
            "user",
            "add",
            "--agency",
            agency.ori,
            "--role",
            "viewer",
            "--email",
            alice.email,
        )
    assert Membership.objects.get(user=alice).role == "acc"


def test_an_auditor_gets_an_expiry(agency):
    call_command(
        "user",
        "add",
        "--agency",
        agency.ori,
        "--role",
        "auditor",
        "--email",
        "aud@doj.test",
        "--expires",
        "2027-01-31",
    )
    assert (
        str(Membership.objects.get(user__email="aud@doj.test").expires_on)
        == "2027-01-31"
    )
