"""Where the HR roster, the CLETS account list and NexTEST disagree.

The domain brief (data model 8) asks for NexTEST results to be reconciled against
the user list; AC-2(3) for accounts "no longer associated with a user" to be
disabled. These lists are what the ACC works through after each import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from accdesk.agency.models import Agency
from accdesk.personnel.eligibility import is_separated
from accdesk.personnel.models import Certification, Person, SystemAccount


@dataclass
class Reconciliation:
    no_account: list[Person]  # on the roster (not separated today), no CLETS account
    not_on_roster: list[SystemAccount]  # account whose employee ID is unknown
    nextest_no_account: list[Certification]  # latest result per unknown operator
    nextest_not_on_roster: list[Certification]  # staff by employee ID, unknown
    absent_from_roster: list[Person]  # omitted by the latest HR roster import


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
    return Reconciliation(
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
    need a NexTEST account to take their first test (within 180 days). People
    separated on ``today`` (``is_separated``) are left out."""
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
