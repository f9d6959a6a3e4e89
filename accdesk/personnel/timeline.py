"""A person's history in date order, from every input on file: what the person
page shows so an ACC (or a DOJ auditor) can see how the status came about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from accdesk.personnel.models import (
    BackgroundCheck,
    Certification,
    Deactivation,
    Person,
    SignedForm,
    SystemAccount,
    TrainingRecord,
)


@dataclass(frozen=True)
class Event:
    on: dt.date
    what: str
    detail: str = ""


def timeline(
    person: Person,
    accounts: Iterable[SystemAccount],
    deactivations: Iterable[Deactivation],
    checks: Iterable[BackgroundCheck],
    training: Iterable[TrainingRecord],
    certifications: Iterable[Certification],
    forms: Iterable[SignedForm],
) -> list[Event]:
    """Newest first; expiration dates ahead are included (they are what comes)."""
    events = list(_person_events(person))
    for account in accounts:
        events += _account_events(account)
    events += [
        Event(
            d.deactivated_on,
            f"{d.account.operator_id} marked deactivated",
            f"by {d.marked_by}. {d.note}".strip(),
        )
        for d in deactivations
    ]
    for check in checks:
        events.append(
            Event(check.submitted_date, f"{check.get_check_type_display()} submitted")
        )
        if check.decision_date:
            events.append(
                Event(
                    check.decision_date,
                    f"{check.get_check_type_display()}: {check.decision}",
                )
            )
    for record in training:
        level = f" ({record.get_level_display()})" if record.level else ""
        events.append(
            Event(
                record.completed_date, f"{record.get_course_display()}{level} completed"
            )
        )
        if record.expiration_date:
            events.append(
                Event(record.expiration_date, f"{record.get_course_display()} expires")
            )
    for cert in certifications:
        holder = cert.operator_id or "employee ID"
        events.append(
            Event(
                cert.completed_date, f"NexTEST {cert.get_test_display()} passed", holder
            )
        )
        if cert.expiration_date:
            events.append(
                Event(
                    cert.expiration_date,
                    f"NexTEST {cert.get_test_display()} expires",
                    holder,
                )
            )
    events += [Event(f.signed_date, f"{f.get_form_display()} signed") for f in forms]
    events.sort(key=lambda e: e.on, reverse=True)
    return events


def _person_events(person: Person) -> Iterable[Event]:
    if person.hire_date:
        yield Event(person.hire_date, "Hired", person.employer)
    if person.separation_date:
        yield Event(person.separation_date, "Separated")
    if person.access_revoked_on:
        yield Event(
            person.access_revoked_on,
            "Access revoked",
            f"{person.access_revoked_reason} (by {person.access_revoked_by})",
        )
    if person.absent_from_roster_since:
        yield Event(person.absent_from_roster_since, "Not in the HR roster import")


def _account_events(account: SystemAccount) -> Iterable[Event]:
    op = account.operator_id
    yield Event(
        account.created_date,
        f"CLETS account {op} created",
        account.get_access_level_display(),
    )
    if account.last_activity_date:
        yield Event(account.last_activity_date, f"{op} last used")
    if account.disabled_date:
        yield Event(account.disabled_date, f"{op} disabled", account.disabled_reason)
