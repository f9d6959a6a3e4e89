"""The sign-in accounts' interface for the layers above (agency's Users page and
the ``accdesk user`` command): create an account, find one, reset its password or
its second factor, unlock it, and check its holder's own code before a sensitive
change. Callers never reach into the models, devices or lockout directly."""

from __future__ import annotations

import secrets

from django.db import transaction
from django_otp import devices_for_user

from accdesk.access import lockout, mfa
from accdesk.access.models import User
from accdesk.core.audit import record_event

__all__ = [
    "User",
    "confirm_own_code",
    "create_user",
    "find",
    "one_time_password",
    "reset_mfa",
    "reset_password",
    "unlock",
]

# IA-5(1)(a): a system-generated password needs at least 6 characters from an
# approved random generator; 16 from ``secrets`` leaves no doubt.
ONE_TIME_PASSWORD_LENGTH = 16
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(ONE_TIME_PASSWORD_LENGTH))


def find(email: str) -> User | None:
    """The account with this email address (addresses are stored in lower case)."""
    return User.objects.filter(email=(email or "").strip().lower()).first()


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


@transaction.atomic
def reset_password(user: User, *, agency_id: int | None = None) -> str:
    """Give the user a new one-time password (returned, to be shown once) that
    they must change at their next sign-in (IA-5(1)(f): a temporary password is
    changed at first use). Changing the password ends their open sessions."""
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record_event(
        "password.reset",
        agency_id=agency_id,
        obj=user,
        message=f"one-time password issued for {user.email}",
    )
    return password


@transaction.atomic
def reset_mfa(user: User, *, agency_id: int | None = None) -> int:
    """Remove the user's authenticator app and recovery codes: they enrol a new
    app at their next sign-in (after their password). A session they have open
    ends at its next request, as it is no longer verified by a device. Returns
    how many devices were removed."""
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    record_event(
        "mfa.reset",
        agency_id=agency_id,
        obj=user,
        message=f"two-step sign-in reset for {user.email}: enrols again",
    )
    return len(devices)


def unlock(user: User, *, agency_id: int | None = None) -> None:
    """Release an account locked after failed sign-ins (AC-7)."""
    lockout.unlock(user, agency_id=agency_id)


def confirm_own_code(user: User, code: str, ip: str | None = None) -> bool:
    """Whether ``user`` typed a valid code of their own second factor (TOTP or a
    recovery code): asked again before changing someone else's access, so an
    unattended session cannot be used for it. A wrong code counts toward the
    lockout like any failed authentication (AC-7)."""
    if mfa.verify_code(user, code) is not None:
        return True
    lockout.register_failure(user, user.email, "code", ip)
    return False
