"""Test data: plain ``make_<noun>(**overrides)`` functions (no factory library).

Shared by the tests of every app; personas live in the root ``conftest.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import time
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from accdesk.access.mfa import create_totp
from accdesk.access.models import SealedTOTPDevice, User
from accdesk.access.views import AUTH_AT_KEY, BANNER_KEY, LAST_SEEN_KEY
from accdesk.agency.models import Agency, Membership
from accdesk.investigations.models import MisuseCase
from accdesk.personnel.models import (
    BackgroundCheck,
    Certification,
    Person,
    SignedForm,
    SystemAccount,
    TrainingRecord,
)
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
        create_totp(user, name="test", confirmed=True)
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
    device = SealedTOTPDevice.objects.get(user=user, confirmed=True)
    counter = TOTP(device.bin_key, device.step, device.t0, device.digits)
    if at is not None:
        counter.time = at
    return f"{counter.token():06d}"


def signed_in_client(user: User) -> Client:
    """A test client signed in as ``user`` with MFA, as after a real sign-in."""
    client = Client()
    client.force_login(user)
    device = SealedTOTPDevice.objects.get(user=user, confirmed=True)
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


# -- evidence files ------------------------------------------------------------------

# The smallest file the content check takes as a PDF.
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_evidence(record: Any, agency: Agency | None = None, **kwargs: Any) -> Any:
    """An evidence file attached to ``record`` (stored encrypted, like an upload)."""
    from accdesk.evidence.attach import add_evidence

    agency = agency or (record if isinstance(record, Agency) else record.agency)
    if "owner" not in kwargs:
        member = Membership.objects.filter(agency=agency).select_related("user").first()
        kwargs["owner"] = member.user if member else make_member(agency).user
    kwargs.setdefault("filename", "signed-copy.pdf")
    kwargs.setdefault("data", TINY_PDF)
    kwargs.setdefault("title", "Signed copy")
    kwargs.setdefault("kind", "signed_copy")
    kwargs.setdefault("effective_date", agency.today() - dt.timedelta(days=30))
    return add_evidence(agency, record, **kwargs)


# -- agreements ----------------------------------------------------------------------


def make_vendor(agency: Agency, **kwargs: Any) -> Any:
    from accdesk.agreements.models import Vendor

    kwargs.setdefault("name", f"Vendor {next(_seq)}")
    return Vendor.objects.create(agency=agency, **kwargs)


def make_agreement(agency: Agency, kind: str = "hdc_0001", **kwargs: Any) -> Any:
    """An agreement in force of a standard kind, signed a year ago."""
    from accdesk.agreements.models import Agreement, AgreementKind

    signed = agency.today() - dt.timedelta(days=365)
    kwargs.setdefault("reference", f"AG-{next(_seq):05d}")
    kwargs.setdefault("signatory", "Dana Chief")
    kwargs.setdefault("signed_date", signed)
    kwargs.setdefault("effective_date", kwargs["signed_date"])
    kwargs.setdefault("status", "in_force")
    return Agreement.objects.create(
        agency=agency,
        kind=AgreementKind.objects.get(agency=None, code=kind),
        **kwargs,
    )


# -- terminals and sites -------------------------------------------------------------


def make_site(agency: Agency, **kwargs: Any) -> Any:
    from accdesk.terminals.models import Site

    kwargs.setdefault("name", f"Site {next(_seq)}")
    return Site.objects.create(agency=agency, **kwargs)


def make_terminal(agency: Agency, **kwargs: Any) -> Any:
    from accdesk.terminals.models import Terminal

    kwargs.setdefault("terminal", f"T{next(_seq):04d}")
    if kwargs.get("retired_date"):
        kwargs.setdefault("status", "retired")
    return Terminal.objects.create(agency=agency, **kwargs)


def make_inspection(
    site: Any, answers: dict[str, str] | None = None, **kwargs: Any
) -> Any:
    """An inspection of ``site`` answering every question "yes" except ``answers``
    (code -> yes/no/na)."""
    from accdesk.terminals.models import Inspection, InspectionAnswer, questions_for

    kwargs.setdefault("inspected_on", site.agency.today() - dt.timedelta(days=10))
    kwargs.setdefault("inspector", "Sgt. Tester")
    inspection = Inspection.objects.create(agency=site.agency, site=site, **kwargs)
    for question in questions_for(site.agency):
        InspectionAnswer.objects.create(
            inspection=inspection,
            question=question,
            answer=(answers or {}).get(question.code, "yes"),
        )
    return inspection


# -- personnel (roster) ---------------------------------------------------------------


def make_person(agency: Agency, **kwargs: Any) -> Person:
    n = next(_seq)
    kwargs.setdefault("employee_id", f"E{n:05d}")
    kwargs.setdefault("last_name", f"Person{n}")
    kwargs.setdefault("first_name", "Pat")
    kwargs.setdefault("role_level", "general")
    return Person.objects.create(agency=agency, **kwargs)


def make_account(
    agency: Agency, person: Person | None = None, **kwargs: Any
) -> SystemAccount:
    n = next(_seq)
    kwargs.setdefault("operator_id", f"OP{n:05d}")
    kwargs.setdefault("employee_id", person.employee_id if person else f"X{n:05d}")
    kwargs.setdefault("access_level", "full")
    kwargs.setdefault("created_date", agency.today() - dt.timedelta(days=400))
    kwargs.setdefault("last_activity_date", agency.today() - dt.timedelta(days=2))
    return SystemAccount.objects.create(agency=agency, **kwargs)


def make_check(person: Person, **kwargs: Any) -> BackgroundCheck:
    decided = kwargs.pop("decided", person.agency.today() - dt.timedelta(days=300))
    kwargs.setdefault("check_type", "state")
    kwargs.setdefault("submitted_date", decided - dt.timedelta(days=20))
    kwargs.setdefault("result", "no_record")
    kwargs.setdefault("decision", "cleared")
    kwargs.setdefault("decision_date", decided)
    # Approved by the agency head the day it was decided (issue 12: a clearance
    # needs that approval).
    if kwargs["decision"] == "cleared":
        kwargs.setdefault("approved_by", "Chief Tester")
        kwargs.setdefault("approved_date", kwargs["decision_date"])
    return BackgroundCheck.objects.create(agency=person.agency, person=person, **kwargs)


def make_training(person: Person, **kwargs: Any) -> TrainingRecord:
    kwargs.setdefault("course", "security_awareness")
    kwargs.setdefault("level", person.role_level or "general")
    kwargs.setdefault("completed_date", person.agency.today() - dt.timedelta(days=60))
    return TrainingRecord.objects.create(agency=person.agency, person=person, **kwargs)


def make_certification(account: SystemAccount, **kwargs: Any) -> Certification:
    kwargs.setdefault("operator_id", account.operator_id)
    kwargs.setdefault("test", account.access_level)
    kwargs.setdefault("completed_date", account.agency.today() - dt.timedelta(days=60))
    return Certification.objects.create(agency=account.agency, **kwargs)


def make_signed_form(person: Person, **kwargs: Any) -> SignedForm:
    kwargs.setdefault("form", "employee_statement")
    kwargs.setdefault("signed_date", person.agency.today() - dt.timedelta(days=300))
    return SignedForm.objects.create(agency=person.agency, person=person, **kwargs)


def make_eligible_operator(
    agency: Agency, **kwargs: Any
) -> tuple[Person, SystemAccount]:
    """Someone with a full-access account who meets every rule today."""
    person = make_person(agency, **kwargs)
    account = make_account(agency, person)
    make_check(person, check_type="state")
    make_check(person, check_type="fbi")
    make_training(person)
    # Initial CLETS training (issue 12), the day the account was created.
    make_training(
        person,
        course="clets_full_initial",
        level="",
        completed_date=account.created_date,
    )
    make_certification(account)
    make_signed_form(person)
    return person, account


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


def make_querylog_import(agency: Agency, path: Any, **kwargs: Any) -> Any:
    """Import a log file into the agency's (test) archive. The test logs carry
    ``QUERYLOG_ROW``'s ORI: the agency answers for it (an additional ORI), as a
    file of another ORI is refused (issue 10)."""
    from accdesk.querylogs import archive

    allow_querylog_ori(agency)
    return archive.import_log(agency, path, path.name, **kwargs)


def allow_querylog_ori(agency: Agency) -> Agency:
    """Make ``QUERYLOG_ROW``'s ORI one of the agency's additional ORIs."""
    ori = QUERYLOG_ROW["ori"]
    if ori not in agency.all_oris():
        agency.additional_oris = [*agency.additional_oris, ori]
        agency.save(update_fields=["additional_oris"])
    return agency


# -- Lists (accdesk/lib/listing.py) ---------------------------------------------------


def listed(response: Any) -> list[Any]:
    """The rows of the page a list view rendered."""
    return list(response.context["listing"])


def panel(response: Any, template: str) -> Any:
    """The context a dashboard panel was rendered with (panels share key names)."""
    rendered = zip(response.templates, response.context, strict=True)
    (context,) = [c for t, c in rendered if t.name == template]
    return context


def assert_in_order(values: list[Any], *, descending: bool = False) -> None:
    """``values`` are sorted (text without regard to case), blanks last either way;
    and there are at least two different ones, so that a wrong order would show."""
    blank = [v in (None, "", [], ()) for v in values]
    assert blank == sorted(blank), f"blanks are not last: {values!r}"
    present = [
        v.casefold() if isinstance(v, str) else v
        for v, empty in zip(values, blank, strict=True)
        if not empty
    ]
    assert len(set(map(repr, present))) > 1, f"too few values to tell: {values!r}"
    assert present == sorted(present, reverse=descending), values


def downloaded(response: Any) -> list[dict[str, Any]]:
    """The rows of a CSV or XLSX download, read back as dicts by header."""
    import csv
    import io

    if response["Content-Type"].startswith("text/csv"):
        body = b"".join(response.streaming_content).decode()
        return list(csv.DictReader(io.StringIO(body)))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    header, *rows = list(sheet.values)
    return [dict(zip(header, row, strict=True)) for row in rows]


@contextlib.contextmanager
def behind_the_triggers() -> Iterator[None]:
    """Raw SQL as an attacker who owns the database would run it: on PostgreSQL,
    with the append-only triggers (core 0004, releaselogs 0002) switched off for
    the statements inside, so that the chain, not the trigger, is what is tested.
    ``session_replication_role`` needs a superuser, as the test database has."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        yield
        # On an error the savepoint's rollback undoes the SET LOCAL as well.
        cursor.execute("SET LOCAL session_replication_role = origin")
