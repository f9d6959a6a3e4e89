"""IA-5(1): argon2 hashes, at least 8 characters, no common passwords."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

from accdesk import settings as project_settings
from accdesk.access.models import User

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2():
    # The suite runs with MD5 for speed; this is the one test of the real hasher.
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        user = User.objects.create_user("argon@example.test", "a long passphrase here")
        assert user.password.startswith("argon2$")
        assert user.check_password("a long passphrase here")


@pytest.mark.parametrize("password", ["short7!", "password123", "qwertyuiop"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_passphrase_with_spaces_is_accepted():
    validate_password("correct horse battery staple")


def test_an_agency_banned_list_can_be_added(tmp_path, monkeypatch):
    banned = tmp_path / "banned.txt"
    banned.write_text("lakemont-police-2026\n")
    monkeypatch.setenv("ACCDESK_BANNED_PASSWORDS_FILE", str(banned))
    validators = list(importlib.reload(project_settings).AUTH_PASSWORD_VALIDATORS)
    monkeypatch.delenv("ACCDESK_BANNED_PASSWORDS_FILE")
    importlib.reload(project_settings)  # the same module object: reset it
    with override_settings(AUTH_PASSWORD_VALIDATORS=validators):
        with pytest.raises(ValidationError):
            validate_password("Lakemont-Police-2026")
        validate_password("a different long passphrase")
