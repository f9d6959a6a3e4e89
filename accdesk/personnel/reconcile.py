"""Where the HR roster, the CLETS account list and NexTEST disagree.

The domain brief (data model 8) asks for NexTEST results to be reconciled against
the user list; AC-2(3) for accounts "no longer associated with a user" to be
disabled. These lists are what the ACC works through after each import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from accdesk.agency.models import Agency
from accdesk.personnel import policy as P
from accdesk.personnel.eligibility import (
    Facts,
    cleared_on,
    first_training_on,
    is_separated,
)
from accdesk.personnel.facts import load_facts
from accdesk.personnel.models import (
    Certification,
    OperatorIdHolder,
    Person,
    SystemAccount,
)

# CJISSECPOL v5.9.5 IA-4(d): an identifier may not be reused for 1 year.
IDENTIFIER_REUSE_MONTHS = 12


@dataclass
class Reconciliation:
    no_account: list[Person]  # on the roster (not separated today), no CLETS account
    not_on_roster: list[SystemAccount]  # account whose employee ID is unknown
    nextest_no_account: list[Certification]  # latest result per unknown operator
    nextest_not_on_roster: list[Certification]  # staff by employee ID, unknown
    absent_from_roster: list[Person]  # omitted by the latest HR roster import
    # Issue 12 §1.8 and §2: findings an auditor asks for.
    access_before_clearance: list[dict[str, Any]] = field(default_factory=list)
    access_before_training: list[dict[str, Any]] = field(default_factory=list)
    identifier_reused: list[dict[str, Any]] = field(default_factory=list)


def reconcile(agency: Agency, today: dt.date | None = None) -> Reconciliation:
    """The lists on ``today`` (default: the agency's today); "separated" is the
    rules' ``is_separated`` (status ``separated`` or a separation date passed)."""
    today = agency.today() if today is None else today
    people = list(Person.objects.filter(agency=agency))
    accounts = list(SystemAccount.objects.filter(agency=agency))
    employee_ids = {p.employee_id for p in people}
    with_account = {a.employee_id for a in accounts}
    operator_ids = {a.operator_id for a in accounts}
    certifications = Certification.objects.filter(agency=agency).order_by(
        "-completed_date"
    )
    unknown_operators = _latest_per_holder(
        c for c in certifications if c.operator_id and c.operator_id not in operator_ids
    )
    unknown_staff = _latest_per_holder(
        c
        for c in certifications
        if not c.operator_id and c.employee_id not in employee_ids
    )
    facts = load_facts(agency)
    return Reconciliation(
        access_before_clearance=access_before_clearance(facts, today),
        access_before_training=access_before_training(facts, today),
        identifier_reused=identifier_reused(agency, accounts, today),
        no_account=[
            p
            for p in people
            if p.employee_id not in with_account and not is_separated(p, today)
        ],
        not_on_roster=[a for a in accounts if a.employee_id not in employee_ids],
        nextest_no_account=unknown_operators,
        nextest_not_on_roster=unknown_staff,
        absent_from_roster=[p for p in people if p.absent_from_roster_since],
    )


def access_before_clearance(facts: Facts, day: dt.date) -> list[dict[str, Any]]:
    """Accounts created before their holder's clearance date (``cleared_on``: the
    later agency-head approval of the state and FBI checks), CJISSECPOL v5.9.5
    §5.12.1 / PPP 1.9.2: no access before the investigation is completed and
    approved. People not cleared at all are left out: the worklist lists them
    (``NO_FINGERPRINT``, ``CLEARANCE_NOT_APPROVED``)."""
    found = []
    for person in facts.people:
        cleared = cleared_on(person, day) if person.accounts else None
        if cleared is None:
            continue
        for account in person.accounts:
            if account.created_date <= day and account.created_date < cleared:
                found.append(
                    {
                        "employee_id": person.employee_id,
                        "operator_id": account.operator_id,
                        "account_created": account.created_date.isoformat(),
                        "cleared_on": cleared.isoformat(),
                    }
                )
    return sorted(found, key=_by_ids)


def access_before_training(facts: Facts, day: dt.date) -> list[dict[str, Any]]:
    """Accounts created before their holder's first security awareness training,
    only for accounts created on or after ``training_before_access_from`` (CJISSECPOL
    v5.9.2 AT-2/AT-3 made it "before access"; before, 6 months from assignment).
    People never trained are left out: the worklist lists them
    (``TRAINING_EXPIRED``)."""
    pol = facts.policy
    since = pol.date(P.TRAINING_BEFORE_ACCESS_FROM, day)
    found = []
    for person in facts.people:
        if not person.accounts:
            continue
        first = first_training_on(person, pol, day)
        if first is None:
            continue
        for account in person.accounts:
            created = account.created_date
            if since <= created <= day and created < first:
                found.append(
                    {
                        "employee_id": person.employee_id,
                        "operator_id": account.operator_id,
                        "account_created": created.isoformat(),
                        "first_training_on": first.isoformat(),
                    }
                )
    return sorted(found, key=_by_ids)


def identifier_reused(
    agency: Agency, accounts: list[SystemAccount], day: dt.date
) -> list[dict[str, Any]]:
    """Operator IDs given to someone within 1 year of their previous holder's
    deactivation (CJISSECPOL v5.9.5 IA-4(d)); a previous holder never
    deactivated counts too. Previous holders are kept by the accounts import
    (``OperatorIdHolder``)."""
    by_id = {a.operator_id: a for a in accounts}
    found = []
    for previous in OperatorIdHolder.objects.filter(agency=agency):
        account = by_id.get(previous.operator_id)
        if account is None or account.employee_id == previous.employee_id:
            continue
        if account.created_date > day:
            continue
        gone = previous.disabled_date
        if gone is not None and account.created_date > P.add_months(
            gone, IDENTIFIER_REUSE_MONTHS
        ):
            continue
        found.append(
            {
                "operator_id": account.operator_id,
                "employee_id": account.employee_id,
                "account_created": account.created_date.isoformat(),
                "previous_employee_id": previous.employee_id,
                "previous_deactivated": gone.isoformat() if gone else None,
            }
        )
    return sorted(found, key=lambda f: (f["operator_id"], f["previous_employee_id"]))


def _by_ids(finding: dict[str, Any]) -> tuple[str, str]:
    return (finding["employee_id"], finding["operator_id"])


def as_json(agency: Agency, result: Reconciliation, day: dt.date) -> dict[str, Any]:
    """The page's lists, by their names (``accdesk reconcile --format json``)."""
    return {
        "agency": agency.ori,
        "as_of": day.isoformat(),
        "not_on_roster": [
            {
                "operator_id": a.operator_id,
                "employee_id": a.employee_id,
                "access_level": a.access_level,
                "status": a.status,
                "last_activity_date": _iso(a.last_activity_date),
            }
            for a in result.not_on_roster
        ],
        "absent_from_roster": [
            {
                "employee_id": p.employee_id,
                "name": p.name,
                "absent_from_roster_since": _iso(p.absent_from_roster_since),
            }
            for p in result.absent_from_roster
        ],
        "no_account": [
            {
                "employee_id": p.employee_id,
                "name": p.name,
                "role_level": p.role_level,
                "employment_status": p.employment_status,
            }
            for p in result.no_account
        ],
        "nextest_no_account": [_certification(c) for c in result.nextest_no_account],
        "nextest_not_on_roster": [
            _certification(c) for c in result.nextest_not_on_roster
        ],
        "access_before_clearance": result.access_before_clearance,
        "access_before_training": result.access_before_training,
        "identifier_reused": result.identifier_reused,
    }


def _certification(c: Certification) -> dict[str, Any]:
    return {
        "operator_id": c.operator_id,
        "employee_id": c.employee_id,
        "test": c.test,
        "completed_date": c.completed_date.isoformat(),
        "expiration_date": _iso(c.expiration_date),
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _latest_per_holder(
    certifications: Iterable[Certification],
) -> list[Certification]:
    seen: dict[str, Certification] = {}
    for cert in certifications:  # newest first
        seen.setdefault(cert.operator_id or cert.employee_id, cert)
    return sorted(seen.values(), key=lambda c: c.operator_id or c.employee_id)


def new_operators(agency: Agency, today: dt.date) -> list[tuple[SystemAccount, Person]]:
    """Operators NexTEST does not know yet: active full or less-than-full accounts
    of people on the roster, with no NexTEST result under their operator ID. They
    need a NexTEST account to take their first test (within 6 months of
    appointment). People separated on ``today`` (``is_separated``) are left out."""
    tested = Certification.objects.filter(agency=agency).exclude(operator_id="")
    people = {
        p.employee_id: p
        for p in Person.objects.filter(agency=agency)
        if not is_separated(p, today)
    }
    accounts = (
        SystemAccount.objects.filter(
            agency=agency,
            access_level__in=[SystemAccount.Access.FULL, SystemAccount.Access.LTF],
            created_date__lte=today,
            employee_id__in=list(people),
        )
        .filter(Q(status=SystemAccount.Status.ACTIVE) | Q(disabled_date__gt=today))
        .exclude(operator_id__in=tested.values("operator_id"))
        .order_by("created_date", "operator_id")
    )
    return [(account, people[account.employee_id]) for account in accounts]
