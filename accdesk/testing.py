"""Test data: plain ``make_<noun>(**overrides)`` functions (no factory library).

Shared by the tests of every app; personas live in the root ``conftest.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accdesk.access.models import User
from accdesk.access.views import AUTH_AT_KEY, BANNER_KEY, LAST_SEEN_KEY
from accdesk.agency.models import Agency, Membership

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


# -- Query logs (accdesk/querylogs) ---------------------------------------------------

QUERYLOG_ROW = {
    "timestamp": "2026-03-02T08:00:00.00",
    "ori": "CA0990000",
    "terminal": "T1",
    "operator_id": "OP1",
    "message_key": "QH",
    "purpose_code": "C",
    "attention": "",
    "rte": "DET SMITH ROBBERY 26-001234",
    "case_number": "",
    "subject_name": "DOE,JOHN",
    "subject_dob": "1980-01-01",
}


def make_querylog(path: Any, rows: Any) -> Any:
    """Write a query-log CSV: each row is a dict of overrides of a compliant
    criminal-history inquiry (``QUERYLOG_ROW``)."""
    import csv

    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(QUERYLOG_ROW))
        writer.writeheader()
        for row in rows:
            writer.writerow({**QUERYLOG_ROW, **row})
    return path


def make_querylog_import(agency: Agency, path: Any) -> Any:
    """Import a log file into the agency's (test) archive."""
    from accdesk.querylogs import archive

    return archive.import_log(agency, path, path.name)
