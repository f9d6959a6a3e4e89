"""Test data: plain ``make_<noun>(**overrides)`` functions (no factory library).

Shared by the tests of every app; personas live in the root ``conftest.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from typing import Any

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accdesk.access.models import User
from accdesk.access.views import AUTH_AT_KEY, BANNER_KEY, LAST_SEEN_KEY
from accdesk.agency.models import Agency, Membership
from accdesk.investigations.models import MisuseCase
from accdesk.releaselogs.chain import append as append_release_entry
from accdesk.releaselogs.models import ReleaseLogEntry

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def make_agency(**kwargs: Any) -> Agency:
    n = next(_seq)
    kwargs.setdefault("ori", f"CA01{n:05d}")
    kwargs.setdefault("name", f"Test Agency {n}")
    kwargs.setdefault("phone", "(555) 010-0000")
    kwargs.setdefault("address", "1 Main Street\nTestville, CA 90000")
    return Agency.objects.create(**kwargs)


def make_user(
    email: str | None = None, *, with_totp: bool = True, **kwargs: Any
) -> User:
    email = email or f"user{next(_seq)}@example.test"
    password = kwargs.pop("password", PASSWORD)
    user = User.objects.create_user(email, password, **kwargs)
    if with_totp:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def make_member(
    agency: Agency, role: str = "acc", user: User | None = None, **kwargs: Any
) -> Membership:
    if role == "auditor":
        kwargs.setdefault("expires_on", agency.today() + dt.timedelta(days=30))
    return Membership.objects.create(
        agency=agency, user=user or make_user(), role=role, **kwargs
    )


def totp_code(user: User, at: float | None = None) -> str:
    """The user's TOTP code now, or at Unix time ``at``."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    counter = TOTP(device.bin_key, device.step, device.t0, device.digits)
    if at is not None:
        counter.time = at
    return f"{counter.token():06d}"


def signed_in_client(user: User) -> Client:
    """A test client signed in as ``user`` with MFA, as after a real sign-in."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    now = time.time()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[AUTH_AT_KEY] = now
    session[LAST_SEEN_KEY] = now
    session[BANNER_KEY] = now
    session.save()
    return client


def make_misuse_case(agency: Agency, **kwargs: Any) -> MisuseCase:
    """An open misuse case; pass ``closed_on``, ``finding`` and ``action`` together
    for a closed one."""
    kwargs.setdefault("case_number", f"IA-{next(_seq):05d}")
    kwargs.setdefault("opened_on", dt.date(2025, 3, 1))
    kwargs.setdefault("source", "audit")
    kwargs.setdefault("systems", ["CLETS"])
    kwargs.setdefault("allegation", "Look-ups with no case number.")
    return MisuseCase.objects.create(agency=agency, **kwargs)


def make_release_entry(agency: Agency, **kwargs: Any) -> ReleaseLogEntry:
    """A release-log entry appended to the agency's chain (numbered and hashed)."""
    kwargs.setdefault("released_at", timezone.now() - dt.timedelta(hours=1))
    kwargs.setdefault("requesting_terminal", "AVPD01")
    kwargs.setdefault("receiving_terminal", "BCDA02")
    kwargs.setdefault("requestor_name", "Dana Requestor")
    kwargs.setdefault("requesting_agency", "Bravo County District Attorney")
    kwargs.setdefault("requesting_ori", "CA0990013")
    kwargs.setdefault("information", "CII rap sheet – TESTER, SAMPLE, CII A00000001")
    kwargs.setdefault("method", "fax")
    kwargs.setdefault("purpose", "Prosecution, PC 11105(b)(2)")
    kwargs.setdefault("released_by", "Rita Clerk")
    return append_release_entry(ReleaseLogEntry(agency=agency, **kwargs))
