"""The records an auditor asks for, as data for the PDF, XLSX and CSV files:

- the operator training and testing record (CLETS PPP, domain brief §4.2: per
  operator, their level, CLETS training date and hours, workbook date, each
  recertification with its score; plus security awareness, background checks with
  their approval, and signed forms), per person and for the agency;
- the unescorted-access list for the CSO (CJISSECPOL v5.9.5 §5.12.1: everyone
  authorized for unescorted access, given to the CSO on request).

Whether someone is cleared is the eligibility rules' answer (``worklist.compute``),
never worked out again here.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from accdesk.agency.models import Agency
from accdesk.lib.exports import render_pdf, write_xlsx
from accdesk.personnel import eligibility as E
from accdesk.personnel import worklist
from accdesk.personnel.models import (
    BackgroundCheck,
    Certification,
    Course,
    Person,
    SignedForm,
    SystemAccount,
    TrainingRecord,
)

INITIAL_COURSES = (Course.CLETS_FULL_INITIAL, Course.CLETS_LTF_INITIAL)
RECERT_COURSES = (Course.CLETS_FULL_RECERT, Course.CLETS_LTF_RECERT)
OPERATOR_TESTS = (Certification.Test.FULL, Certification.Test.LTF)
# The rules' reasons that say a person is not cleared.
NOT_CLEARED = frozenset({E.NO_FINGERPRINT, E.CLEARANCE_NOT_APPROVED})


@dataclass
class OperatorRecord:
    """One person's training and testing record."""

    person: Person
    accounts: list[SystemAccount]
    initial: list[TrainingRecord]
    recertifications: list[tuple[dt.date, str, Any]]  # (date, what, score)
    awareness: list[tuple[dt.date, str]]  # (date, level or "NexTEST")
    checks: list[BackgroundCheck]
    forms: list[SignedForm]

    @property
    def levels(self) -> str:
        return ", ".join(
            f"{a.operator_id} {a.get_access_level_display()}" for a in self.accounts
        )


def _number(value: Any) -> str:
    """92.50 -> "92.5", 88.00 -> "88" (no exponent, unlike ``normalize``)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _score(value: Any) -> str:
    """A NexTEST score, or its pass notation (a blank score)."""
    return "pass" if value is None else _number(value)


def operator_records(agency: Agency, people: Q | None = None) -> list[OperatorRecord]:
    """The record of each person of ``people`` (default: everyone with a CLETS
    account active today), by name."""
    today = agency.today()
    qs = Person.objects.filter(agency=agency)
    if people is None:
        active = SystemAccount.objects.filter(
            agency=agency, status=SystemAccount.Status.ACTIVE, created_date__lte=today
        ).values("employee_id")
        qs = qs.filter(employee_id__in=active)
    else:
        qs = qs.filter(people)
    qs = qs.prefetch_related("training", "background_checks", "signed_forms")
    persons = list(qs)
    ids = [p.employee_id for p in persons]
    accounts: dict[str, list[SystemAccount]] = {}
    for account in SystemAccount.objects.filter(agency=agency, employee_id__in=ids):
        accounts.setdefault(account.employee_id, []).append(account)
    operator_of = {a.operator_id: emp for emp, held in accounts.items() for a in held}
    tests: dict[str, list[Certification]] = {}
    for cert in Certification.objects.filter(agency=agency).filter(
        Q(operator_id__in=list(operator_of)) | Q(operator_id="", employee_id__in=ids)
    ):
        holder = operator_of.get(cert.operator_id) or cert.employee_id
        tests.setdefault(holder, []).append(cert)
    return [_record(p, accounts.get(p.employee_id, []), tests) for p in persons]


def _record(
    person: Person,
    accounts: list[SystemAccount],
    tests: dict[str, list[Certification]],
) -> OperatorRecord:
    training = sorted(person.training.all(), key=lambda t: t.completed_date)
    certs = sorted(tests.get(person.employee_id, []), key=lambda c: c.completed_date)
    recerts: list[tuple[dt.date, str, Any]] = [
        (
            c.completed_date,
            f"NexTEST {c.get_test_display()} {c.operator_id}".strip(),
            _score(c.score),
        )
        for c in certs
        if c.test in OPERATOR_TESTS
    ]
    recerts += [
        (t.completed_date, t.get_course_display(), _score(t.score))
        for t in training
        if t.course in RECERT_COURSES
    ]
    awareness = [
        (t.completed_date, t.get_level_display())
        for t in training
        if t.course == Course.SECURITY_AWARENESS
    ]
    awareness += [
        (c.completed_date, "NexTEST Security Awareness")
        for c in certs
        if c.test == Certification.Test.SECURITY_AWARENESS
    ]
    return OperatorRecord(
        person=person,
        accounts=accounts,
        initial=[t for t in training if t.course in INITIAL_COURSES],
        recertifications=sorted(recerts, key=lambda r: r[0]),
        awareness=sorted(awareness, key=lambda a: a[0]),
        checks=sorted(person.background_checks.all(), key=lambda c: c.submitted_date),
        forms=sorted(person.signed_forms.all(), key=lambda f: f.signed_date),
    )


def _check_text(check: BackgroundCheck) -> str:
    text = f"{check.check_type}: {check.get_result_display()}"
    if check.decision:
        text += f", {check.decision} {check.decision_date}"
    if check.cso_decision:
        text += f", CSO {check.cso_decision}"
    if check.approved_by:
        text += f", approved by {check.approved_by} {check.approved_date}"
    else:
        text += ", agency head's approval not recorded"
    return text


XLSX_HEADER = (
    "employee_id",
    "name",
    "role_level",
    "accounts",
    "clets_training",
    "workbook_dates",
    "recertifications",
    "security_awareness",
    "background_checks",
    "signed_forms",
)


def _initial_text(t: TrainingRecord) -> str:
    return f"{t.get_course_display()} {t.completed_date}" + (
        f" ({_number(t.hours)} h)" if t.hours is not None else ""
    )


def xlsx_rows(records: list[OperatorRecord]) -> list[list[Any]]:
    """One row per person; lists within a cell are separated by "; "."""
    return [
        [
            r.person.employee_id,
            r.person.name,
            r.person.role_level,
            r.levels,
            "; ".join(_initial_text(t) for t in r.initial),
            "; ".join(str(t.workbook_date) for t in r.initial if t.workbook_date),
            "; ".join(
                f"{d} {what} score {score}" for d, what, score in r.recertifications
            ),
            "; ".join(f"{d} {level}" for d, level in r.awareness),
            "; ".join(_check_text(c) for c in r.checks),
            "; ".join(f"{f.form} {f.signed_date}" for f in r.forms),
        ]
        for r in records
    ]


OPERATOR_FORMATS = ("pdf", "xlsx")


def operator_record_file(
    agency: Agency,
    found: list[OperatorRecord],
    fmt: str,
    request: HttpRequest | None = None,
) -> bytes:
    """The operator record as PDF or XLSX bytes: the page's button and
    ``accdesk report operators`` write the same file."""
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(buffer, XLSX_HEADER, xlsx_rows(found))
        return buffer.getvalue()
    return render_pdf(
        "personnel/operator_records_pdf.html",
        {"agency": agency, "records": found, "today": agency.today()},
        request,
    )


# -- unescorted access --------------------------------------------------------------


@dataclass(frozen=True)
class Unescorted:
    person: Person
    cleared_on: dt.date  # as the rules count it (``eligibility.cleared_on``)
    reinvestigation_due: bool


UNESCORTED_HEADER = (
    "employee_id",
    "last_name",
    "first_name",
    "employer",
    "unit",
    "role_level",
    "cleared_on",
    "reinvestigation_due",
)


def unescorted_access(agency: Agency) -> list[Unescorted]:
    """Everyone at the ``unescorted`` AT-3 level or above (any role level) who is
    employed today and cleared under the eligibility rules, by name."""
    result = worklist.compute(agency)
    today = result.as_of
    wanted: dict[int, tuple[dt.date, bool]] = {}
    for item in result.items:
        facts = item.person
        if facts is None or facts.pk is None or not facts.role_level:
            continue
        if E.is_separated(facts, today) or E.not_hired_yet(facts, today):
            continue
        cleared = E.cleared_on(facts, today)
        if cleared is None or NOT_CLEARED & set(item.reason_codes):
            continue
        wanted[facts.pk] = (cleared, E.REINVESTIGATION_DUE in item.reason_codes)
    people = Person.objects.filter(agency=agency, pk__in=wanted)
    return [Unescorted(p, *wanted[p.pk]) for p in people]


def unescorted_rows(entries: list[Unescorted]) -> list[list[Any]]:
    return [
        [
            u.person.employee_id,
            u.person.last_name,
            u.person.first_name,
            u.person.employer,
            u.person.unit,
            u.person.role_level,
            u.cleared_on,
            "yes" if u.reinvestigation_due else "no",
        ]
        for u in entries
    ]
