"""The demo agency: fictional people and places only, dated relative to today.

``load()`` is idempotent: running it again changes nothing that exists, except that
the demo ACC's password is reset and the account unlocked so the printed sign-in
always works. Each domain app adds its demo records in its own ``demo.py``; the list
below says in which order they load.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django_otp.oath import totp

from accdesk.access import lockout
from accdesk.access.mfa import (
    TOTP_NAME,
    create_totp,
    issue_recovery_codes,
    secret_base32,
)
from accdesk.access.models import SealedTOTPDevice, User
from accdesk.agency import demo as agency_demo
from accdesk.agency.models import Agency, Membership, Role
from accdesk.agreements import demo as agreements_demo
from accdesk.audits import demo as audits_demo
from accdesk.incidents import demo as incidents_demo
from accdesk.investigations import demo as investigations_demo
from accdesk.personnel import demo as personnel_demo
from accdesk.querylogs import demo as querylogs_demo
from accdesk.releaselogs import demo as releaselogs_demo
from accdesk.terminals import demo as terminals_demo
from accdesk.validations import demo as validations_demo

DEMO_ORI = "CA0990000"  # no California county has code 099: cannot clash
DEMO_EMAIL = "acc@lakemont.example"
DEMO_PASSWORD = "lakemont-demo-2026"

# (load function); each takes (agency, today) and must be idempotent.
STEPS = [
    agency_demo.load,
    personnel_demo.load,  # first: the other apps link to roster people
    agreements_demo.load,
    terminals_demo.load,
    releaselogs_demo.load,
    investigations_demo.load,
    incidents_demo.load,  # after investigations and the roster
    querylogs_demo.load,  # after personnel: uses the accounts that exist by then
    validations_demo.load,  # before audits: a master case not found opens a finding
    audits_demo.load,
]


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    password: str
    totp_secret: str
    otpauth_url: str
    agency: Agency


def demo_wanted() -> bool:
    """An empty database, or one where the demo agency was loaded before."""
    return (not Agency.objects.exists()) or Agency.objects.filter(ori=DEMO_ORI).exists()


@transaction.atomic
def load() -> DemoSignIn:
    agency, _ = Agency.objects.get_or_create(
        ori=DEMO_ORI,
        defaults={
            "name": "Lakemont Police Department",
            "address": "100 Civic Center Plaza\nLakemont, CA 95999",
            "phone": "(555) 010-4400",
            "county": "Lakemont (fictional)",
        },
    )
    today = agency.today()
    user = _demo_user(agency)
    for step in STEPS:
        step(agency, today)
    device = SealedTOTPDevice.objects.get(user=user, confirmed=True)
    return DemoSignIn(
        DEMO_EMAIL, DEMO_PASSWORD, secret_base32(device), device.config_url, agency
    )


def _demo_user(agency: Agency) -> User:
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            DEMO_EMAIL, DEMO_PASSWORD, first_name="Maria", last_name="Alvarez"
        )
        create_totp(user, name=TOTP_NAME, confirmed=True)
        issue_recovery_codes(user)
    else:
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if user.is_locked:
            lockout.unlock(user)
    Membership.objects.get_or_create(
        user=user, agency=agency, defaults={"role": Role.ACC}
    )
    _other_member(agency, "spoc@lakemont.example", "Kevin", "Osei", Role.SPOC, None)
    _other_member(
        agency,
        "auditor@doj.example",
        "Pat",
        "Nguyen",
        Role.AUDITOR,
        agency.today() + dt.timedelta(days=90),
    )
    return user


def _other_member(
    agency: Agency,
    email: str,
    first: str,
    last: str,
    role: str,
    expires: dt.date | None,
) -> None:
    """Members who show up on the Users page; they have no usable password."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, first_name=first, last_name=last)
    Membership.objects.get_or_create(
        user=user, agency=agency, defaults={"role": role, "expires_on": expires}
    )


def current_code() -> str:
    """The demo ACC's current 6-digit code, for testers without an app."""
    device = SealedTOTPDevice.objects.get(user__email=DEMO_EMAIL, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:06d}"
