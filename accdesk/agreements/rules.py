"""The rules over the agreements on file, on a date; each in one place, used by the
register, the dashboard, the worklist source and the deadlines.

Documented with their sources in docs/agreements.md -- keep the two in step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accdesk.agency.models import Agency, Designation
from accdesk.agreements.kinds import (
    MCA_GOVERNMENT,
    MCA_PRIVATE,
    SECURITY_ADDENDUM,
    SPOC_AGREEMENT,
    SUBSCRIBER,
)
from accdesk.agreements.models import Agreement, Status, Topic, Vendor
from accdesk.personnel.eligibility import is_separated
from accdesk.personnel.models import Person

# Agency-level findings (dashboard, register).
SUBSCRIBER_AGREEMENT_MISSING = "SUBSCRIBER_AGREEMENT_MISSING"
SUBSCRIBER_AGREEMENT_DUPLICATE = "SUBSCRIBER_AGREEMENT_DUPLICATE"
NEW_HDC_0001_NEEDED = "NEW_HDC_0001_NEEDED"
SPOC_AGREEMENT_MISSING = "SPOC_AGREEMENT_MISSING"
NEW_HDC_0011_NEEDED = "NEW_HDC_0011_NEEDED"
MCA_MISSING = "MCA_MISSING"

SOURCES = {
    SUBSCRIBER_AGREEMENT_MISSING: "Government Code §15165; CLETS PPP (HDC 0001)",
    SUBSCRIBER_AGREEMENT_DUPLICATE: "CLETS PPP: one Subscriber Agreement per agency",
    NEW_HDC_0001_NEEDED: "HDC 0001 is signed by the agency head (GC §15165)",
    SPOC_AGREEMENT_MISSING: "CLETS PPP; HDC 0011",
    NEW_HDC_0011_NEEDED: "HDC 0011 names the SPOC: a new SPOC signs a new one",
    MCA_MISSING: "CJISSECPOL v5.9.5 §5.1.1.4, §5.1.1.5 (HDC 0004A / 0004B)",
}
EXPIRING_WINDOWS = (30, 90)  # days: the register's and the dashboard's lists


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    agreement: Agreement | None = None
    vendor: Vendor | None = None

    @property
    def source(self) -> str:
        return SOURCES[self.code]


def in_force(agreements: Iterable[Agreement], day: dt.date) -> list[Agreement]:
    return [a for a in agreements if a.in_force_on(day)]


def _of_kind(agency: Agency, code: str) -> QuerySet[Agreement]:
    return Agreement.objects.filter(
        agency=agency, kind__code=code, kind__agency__isnull=True
    ).select_related("kind", "vendor")


def _current_holder(agency: Agency, kind: str) -> Designation | None:
    return agency.designations.filter(kind=kind, ends_on__isnull=True).first()


def _signed_before_holder(agreement: Agreement, holder: Designation | None) -> bool:
    """The holder's designation started after the agreement was signed: it was
    signed by someone else (or before they held the role)."""
    return (
        holder is not None
        and agreement.signed_date is not None
        and holder.starts_on > agreement.signed_date
    )


def subscriber_findings(agency: Agency, day: dt.date) -> list[Finding]:
    """Exactly one Subscriber Agreement in force, signed by the current agency head."""
    current = in_force(_of_kind(agency, SUBSCRIBER), day)
    if not current:
        return [
            Finding(
                SUBSCRIBER_AGREEMENT_MISSING,
                "No CLETS Subscriber Agreement (HDC 0001) is in force.",
            )
        ]
    if len(current) > 1:
        references = ", ".join(a.reference for a in current)
        return [
            Finding(
                SUBSCRIBER_AGREEMENT_DUPLICATE,
                f"{len(current)} Subscriber Agreements are in force ({references}): "
                "supersede all but one.",
            )
        ]
    (agreement,) = current
    head = _current_holder(agency, Designation.Kind.AGENCY_HEAD)
    if _signed_before_holder(agreement, head):
        return [
            Finding(
                NEW_HDC_0001_NEEDED,
                f"Signatory no longer agency head: new HDC 0001 needed ("
                f"{agreement.reference} signed {agreement.signed_date:%Y-%m-%d}; "
                f"{head.name} agency head since {head.starts_on:%Y-%m-%d}).",
                agreement=agreement,
            )
        ]
    return []


def spoc_findings(agency: Agency, day: dt.date) -> list[Finding]:
    """An HDC 0011 in force, signed since the current SPOC took the role."""
    current = in_force(_of_kind(agency, SPOC_AGREEMENT), day)
    if not current:
        return [
            Finding(
                SPOC_AGREEMENT_MISSING,
                "No SPOC Delineation and Agreement (HDC 0011) is in force.",
            )
        ]
    spoc = _current_holder(agency, Designation.Kind.SPOC)
    latest = max(current, key=lambda a: a.signed_date or dt.date.min)
    if _signed_before_holder(latest, spoc):
        return [
            Finding(
                NEW_HDC_0011_NEEDED,
                f"New SPOC: new HDC 0011 needed ({latest.reference} signed "
                f"{latest.signed_date:%Y-%m-%d}; {spoc.name} SPOC since "
                f"{spoc.starts_on:%Y-%m-%d}).",
                agreement=latest,
            )
        ]
    return []


def vendor_findings(agency: Agency, day: dt.date) -> list[Finding]:
    """Each vendor has its Management Control Agreement in force: HDC 0004A for a
    government vendor, HDC 0004B for a private one."""
    mcas = Agreement.objects.filter(
        agency=agency,
        kind__agency__isnull=True,
        kind__code__in=(MCA_GOVERNMENT, MCA_PRIVATE),
    ).select_related("kind")
    covered = {
        (a.vendor_id, a.kind.code) for a in mcas if a.in_force_on(day) and a.vendor_id
    }
    findings = []
    for vendor in Vendor.objects.filter(agency=agency):
        if (vendor.pk, vendor.mca_code) not in covered:
            form = "HDC 0004B" if vendor.private else "HDC 0004A"
            findings.append(
                Finding(
                    MCA_MISSING,
                    f"{vendor.name}: no Management Control Agreement ({form}) in "
                    "force.",
                    vendor=vendor,
                )
            )
    return findings


def agency_findings(agency: Agency, day: dt.date) -> list[Finding]:
    return (
        subscriber_findings(agency, day)
        + spoc_findings(agency, day)
        + vendor_findings(agency, day)
    )


def missing_addenda(
    agency: Agency, day: dt.date, people: Q | None = None
) -> list[tuple[Person, Vendor]]:
    """Employees of a private vendor with a role level (access to CJI), not
    separated on ``day``, who have no FBI CJIS Security Addendum (HDC 0012) in
    force for their employee ID (CJISSECPOL v5.9.5 §5.1.1.5)."""
    vendors = {
        v.name.casefold(): v for v in Vendor.objects.filter(agency=agency, private=True)
    }
    if not vendors:
        return []
    staff = Person.objects.filter(agency=agency).exclude(role_level="")
    if people is not None:
        staff = staff.filter(people)
    # Only the vendors' employees are read: the employer names on file that are a
    # vendor's (compared casefolded, in Python: SQL's case folding is ASCII-only
    # on SQLite), from the distinct names -- not every person of the roster.
    employers = staff.order_by().values_list("employer", flat=True).distinct()
    staff = staff.filter(employer__in=[e for e in employers if e.casefold() in vendors])
    signed = {
        a.employee_id
        for a in _of_kind(agency, SECURITY_ADDENDUM).exclude(employee_id="")
        if a.in_force_on(day)
    }
    return [
        (person, vendors[person.employer.casefold()])
        for person in staff
        if person.employer.casefold() in vendors
        and not is_separated(person, day)
        and person.employee_id not in signed
    ]


def expiring(
    agency: Agency, day: dt.date, within_days: int
) -> list[tuple[Agreement, str]]:
    """Agreements recorded in force (or draft) whose expiry or review date has
    passed ("expired") or falls within ``within_days`` ("expiring"), soonest first."""
    until = day + dt.timedelta(days=within_days)
    rows = (
        Agreement.objects.filter(
            agency=agency,
            expiry_date__lte=until,
            status__in=(Status.IN_FORCE, Status.DRAFT),
        )
        .select_related("kind", "vendor")
        .order_by("expiry_date", "reference")
    )
    return [(a, "expired" if a.expiry_date < day else "expiring") for a in rows]


def topic_checklist(agreement: Agreement) -> list[tuple[str, str, bool]]:
    """For a user agreement: each §5.1.1.3 topic and whether it is covered."""
    covered = set(agreement.topics or [])
    return [(code, label, code in covered) for code, label in Topic.choices]
