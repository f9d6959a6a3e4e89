"""The password step does the same work whether or not the e-mail address exists.

Without this, an unknown address (or a locked account, whose password is not
checked) answers in microseconds while a known one costs an argon2 verification,
and the difference tells an attacker which addresses have accounts -- an oracle
that makes guessing cheaper (CJISSECPOL v5.9.5 IA-5(1)(a) rate limits rely on the
attacker not knowing where to aim; IA-6 "obscure feedback of authentication
information"). Both paths now run exactly one verification with the default
hasher; ``bench/signin_timing.py`` prints the two medians.
"""

from __future__ import annotations

import secrets
from functools import cache

from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.http import HttpRequest

from accdesk.access.models import User


@cache
def _decoy(algorithm: str) -> str:
    """A hash of a random password with the default hasher's current parameters,
    made once per process (per hasher, so a settings change is followed)."""
    return make_password(secrets.token_urlsafe(32))


def password_matches(
    request: HttpRequest, user: User | None, email: str, password: str
) -> bool:
    """Whether ``password`` signs ``user`` in; one password verification either way."""
    if user is None or user.is_locked:
        check_password(password, _decoy(get_hasher().algorithm))
        return False
    return authenticate(request, username=email, password=password) is not None
