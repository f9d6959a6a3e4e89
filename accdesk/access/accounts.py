"""Creating sign-in accounts with a one-time password."""

from __future__ import annotations

import secrets

from django.db import transaction

from accdesk.access.models import User

# IA-5(1)(a): a system-generated password needs at least 6 characters from an
# approved random generator; 16 from ``secrets`` leaves no doubt.
ONE_TIME_PASSWORD_LENGTH = 16
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(ONE_TIME_PASSWORD_LENGTH))


@transaction.atomic
def create_user(
    email: str, first_name: str = "", last_name: str = ""
) -> tuple[User, str]:
    """A new user who must change the returned one-time password and enrol TOTP at
    first sign-in."""
    password = one_time_password()
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        must_change_password=True,
    )
    return user, password
