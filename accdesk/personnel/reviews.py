"""The annual account review (CJISSECPOL v5.9.5 AC-2(j): accounts are reviewed
for compliance at least annually; AC-6(7): privileges are reviewed annually).

An agency-level duty, not a worklist item: it is due 12 months after the last
completed review, or -- none completed yet -- 12 months after the agency's first
account import (ACC Desk's reading: the first day it knew of the accounts; an
account entered by hand counts the same). ``review_status`` is the one place that
works this out: the dashboard panel, the deadline registry (``account_review``) and
the review pages all read it (the deadline itself is in ``deadlines.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from accdesk.agency.models import Agency
from accdesk.core.models import ChangeRecord
from accdesk.personnel import history
from accdesk.personnel.models import (
    AccountReview,
    AccountReviewLine,
    Person,
    SystemAccount,
)
from accdesk.personnel.policy import add_months

REVIEW_MONTHS = 12
SOURCE = "CJISSECPOL v5.9.5 AC-2(j), AC-6(7): accounts and privileges, annually"


@dataclass(frozen=True)
class ReviewStatus:
    last_completed: AccountReview | None
    open_review: AccountReview | None
    first_import: dt.date | None
    due: dt.date | None  # None: no accounts known yet, nothing due
    today: dt.date

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < self.today

    @property
    def basis(self) -> str:
        if self.last_completed is not None:
            return "12 months after the last completed review"
        return "12 months after the first account import"


def first_account_import(agency: Agency) -> dt.date | None:
    """The agency-local date ACC Desk first recorded a CLETS account of this
    agency: the first accounts import, or the first account entered by hand."""
    first = (
        ChangeRecord.objects.filter(agency_id=agency.pk)
        .filter(
            Q(event="import.accounts")
            | Q(
                object_type="personnel.systemaccount", action=ChangeRecord.Action.CREATE
            )
        )
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    return first.astimezone(agency.tz).date() if first is not None else None


def review_status(agency: Agency, today: dt.date | None = None) -> ReviewStatus:
    today = today or agency.today()
    reviews = AccountReview.objects.filter(agency=agency)
    last = reviews.filter(completed_on__isnull=False).order_by("-completed_on").first()
    open_review = reviews.filter(completed_on__isnull=True).first()
    first = first_account_import(agency)
    start = last.completed_on if last is not None else first
    due = add_months(start, REVIEW_MONTHS) if start is not None else None
    return ReviewStatus(last, open_review, first, due, today)


def start_review(agency: Agency, *, by: str) -> AccountReview:
    """A new review with one line per account active today, as it stands."""
    today = agency.today()
    people = {
        p.employee_id: p
        for p in Person.objects.filter(agency=agency).only(
            "employee_id", "first_name", "last_name", "supervisor_employee_id"
        )
    }
    with transaction.atomic():
        review = AccountReview.objects.create(
            agency=agency, started_on=today, started_by=by
        )
        accounts = SystemAccount.objects.filter(
            agency=agency, status=SystemAccount.Status.ACTIVE, created_date__lte=today
        ).order_by("operator_id")
        for account in accounts:
            person = people.get(account.employee_id)
            AccountReviewLine.objects.create(
                agency=agency,
                review=review,
                account=account,
                operator_id=account.operator_id,
                employee_id=account.employee_id,
                name=person.name if person else "",
                supervisor_employee_id=person.supervisor_employee_id if person else "",
                access_level=account.access_level,
            )
    return review


def decide(
    line: AccountReviewLine,
    *,
    decision: str,
    new_level: str,
    note: str,
    by: str,
    on: dt.date,
) -> None:
    """The reviewer's decision on one account. A changed level is applied to the
    account and kept in the person's access-change history."""
    with transaction.atomic():
        line.decision = decision
        line.new_access_level = (
            new_level if decision == AccountReviewLine.Decision.CHANGED else ""
        )
        line.note = note
        line.decided_by = by
        line.decided_on = on
        line.save()
        account = line.account
        if line.new_access_level and line.new_access_level != account.access_level:
            before = history.account_levels(line.agency, [account.operator_id])
            account.access_level = line.new_access_level
            account.save(update_fields=["access_level"])
            history.record_level_changes(
                line.agency, before, on=on, by=by, note="annual account review"
            )


def undecided(review: AccountReview) -> int:
    return review.lines.filter(decision="").count()


def sign_off(review: AccountReview, *, by: str, on: dt.date, note: str) -> None:
    review.completed_on = on
    review.signed_off_by = by
    review.note = note
    review.save(update_fields=["completed_on", "signed_off_by", "note"])


EXPORT_HEADER = (
    "operator_id",
    "employee_id",
    "name",
    "supervisor_employee_id",
    "access_level",
    "decision",
    "new_access_level",
    "note",
    "decided_by",
    "decided_on",
)


def export_rows(lines: list[AccountReviewLine]) -> list[list[object]]:
    return [[getattr(line, column) for column in EXPORT_HEADER] for line in lines]
