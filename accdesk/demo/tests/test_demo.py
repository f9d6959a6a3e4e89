from __future__ import annotations

import pytest
from django.core.management import call_command

from accdesk.access.models import User
from accdesk.agency.models import Agency
from accdesk.demo import loaders
from accdesk.testing import totp_code

pytestmark = pytest.mark.django_db


def test_it_loads_the_demo_and_prints_the_signin(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    user = User.objects.get(email=loaders.DEMO_EMAIL)
    assert f"Password:     {loaders.DEMO_PASSWORD}" in out
    assert user.check_password(loaders.DEMO_PASSWORD)
    assert "TOTP secret:" in out
    agency = Agency.objects.get(ori=loaders.DEMO_ORI)
    assert agency.notices.open().count() == 1


def test_it_is_idempotent():
    loaders.load()
    counts = _counts()
    loaders.load()
    assert _counts() == counts


def _counts():
    agency = Agency.objects.get(ori=loaders.DEMO_ORI)
    return (
        User.objects.count(),
        agency.designations.count(),
        agency.notices.count(),
        agency.memberships.count(),
    )


def test_it_repairs_the_demo_signin():
    loaders.load()
    user = User.objects.get(email=loaders.DEMO_EMAIL)
    user.set_password("something else entirely")
    user.locked_at = user.date_joined
    user.save()
    loaders.load()
    user.refresh_from_db()
    assert user.check_password(loaders.DEMO_PASSWORD) and not user.is_locked


def test_the_code_option_prints_the_current_code(capsys):
    loaders.load()
    capsys.readouterr()
    call_command("demo", "--code")
    assert capsys.readouterr().out.strip() == totp_code(
        User.objects.get(email=loaders.DEMO_EMAIL)
    )


def test_first_run_leaves_a_real_installation_alone(agency, capsys):
    call_command("demo", "--first-run")
    assert "demo not loaded" in capsys.readouterr().out
    assert not Agency.objects.filter(ori=loaders.DEMO_ORI).exists()
