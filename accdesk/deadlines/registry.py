"""The deadline registry: one explicit list of every app's deadline function.

Each app with dated duties has ``<app>/deadlines.py`` with functions
``(agency, start, end) -> list[Deadline]`` returning its open duties dated from
``start`` to ``end`` (done duties are left out). Adding one is an import and a line
in ``SOURCES`` (with the action whose roles may see it), and a line in
docs/deadlines.md; ``tests/test_registry.py`` shows it.

``gather`` is the one way the page, ``accdesk due``, the reminders and the
calendar feed read deadlines: it asks every app from ``EARLIEST`` so that overdue
duties dated before the window always come back, fills in the owner (the ACC's
e-mail unless the app names someone) and sorts by date. ``summarize`` gives the
dashboard's panel the same deadlines counted, with the first few: a source whose
list grows with the roster gives its own ``summary``, read where its deadlines are
stored; the others are summarized from their list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from accdesk.agency.contacts import contact_email
from accdesk.agency.deadlines import doj_notice
from accdesk.agency.models import Agency
from accdesk.agency.permissions import can
from accdesk.agreements.deadlines import deadlines as agreement_deadlines
from accdesk.audits.deadlines import deadlines as audit_deadlines
from accdesk.changes.deadlines import audit_log_review
from accdesk.incidents.deadlines import incident_clocks, plan_duties
from accdesk.investigations.deadlines import misuse_report
from accdesk.lib.deadlines import (
    OVERDUE,
    STATUSES,
    UPCOMING,
    Deadline,
    Summary,
    gathering,
    sort_key,
)
from accdesk.personnel.deadlines import (
    account_review,
    deactivation_due,
    deactivation_due_summary,
    nextest_expiry,
    nextest_expiry_summary,
    reinvestigation_due,
    reinvestigation_due_summary,
    training_expiry,
    training_expiry_summary,
)
from accdesk.terminals.deadlines import deadlines as terminal_deadlines
from accdesk.validations.deadlines import deadlines as validation_deadlines


@dataclass(frozen=True)
class Source:
    deadlines: Callable[[Agency, dt.date, dt.date], list[Deadline]]
    # The action (agency/permissions.py) whose roles may see these deadlines: the
    # one that guards the records they come from.
    action: str
    # ``(agency, end, first) -> Summary``: the same deadlines from today to
    # ``end``, counted where they are stored (``summarize``); None: from the list.
    summary: Callable[[Agency, dt.date, int], Summary] | None = None


SOURCES: list[Source] = [
    Source(nextest_expiry, "roster.view", nextest_expiry_summary),
    Source(training_expiry, "roster.view", training_expiry_summary),
    Source(deactivation_due, "roster.view", deactivation_due_summary),
    Source(reinvestigation_due, "roster.view", reinvestigation_due_summary),
    Source(misuse_report, "investigations.view"),
    Source(doj_notice, "agency.view"),
    Source(audit_log_review, "changes.view"),
    Source(agreement_deadlines, "agreements.view"),
    Source(terminal_deadlines, "sites.view"),
    Source(account_review, "reviews.view"),
    Source(incident_clocks, "incidents.view_all"),
    Source(plan_duties, "incidents.plan_view"),
    Source(audit_deadlines, "audits.view"),
    Source(validation_deadlines, "validations.view"),
]

# The start every app is asked from: nothing open is older than ACC Desk itself.
EARLIEST = dt.date(2000, 1, 1)


def collect(agency: Agency, start: dt.date, end: dt.date) -> list[tuple[Deadline, str]]:
    """Every open deadline dated from ``start`` to ``end``, and every one before
    ``start`` that is still owed (overdue, or a DOJ notice that stays due), each
    with the action that may see it; sorted by date."""
    owner = contact_email(agency, "acc")
    found = []
    with gathering():
        for source in SOURCES:
            for item in _listed(source, agency, start, end):
                found.append((replace(item, owner=item.owner or owner), source.action))
    found.sort(key=lambda pair: sort_key(pair[0]))
    return found


def _listed(
    source: Source, agency: Agency, start: dt.date, end: dt.date
) -> list[Deadline]:
    """The source's deadlines from ``start`` to ``end``, and those before
    ``start`` still owed."""
    return [
        item
        for item in source.deadlines(agency, EARLIEST, end)
        if start <= item.date <= end or (item.date < start and item.status != UPCOMING)
    ]


def gather(
    agency: Agency, start: dt.date, end: dt.date, *, role: str | None = None
) -> list[Deadline]:
    """``collect``'s deadlines; only those ``role`` may see, when given."""
    return [
        item
        for item, action in collect(agency, start, end)
        if role is None or can(role, action)
    ]


def summarize(
    agency: Agency, end: dt.date, *, first: int, role: str | None = None
) -> Summary:
    """What ``gather`` from today to ``end`` gives (for ``role``, when given), as
    the dashboard shows it: how many are overdue, how many are not, and the
    ``first`` first of those. Each source the role may see is summarized on its
    own, by its ``summary`` when it has one."""
    today = agency.today()
    parts = []
    with gathering():
        for source in SOURCES:
            if role is not None and not can(role, source.action):
                continue
            if source.summary is not None:
                parts.append(source.summary(agency, end, first))
            else:
                parts.append(_summary_of(_listed(source, agency, today, end), first))
    owner = contact_email(agency, "acc")
    shown = sorted((item for part in parts for item in part.first), key=sort_key)
    return Summary(
        overdue=sum(part.overdue for part in parts),
        ahead=sum(part.ahead for part in parts),
        first=[replace(item, owner=item.owner or owner) for item in shown[:first]],
    )


def _summary_of(items: list[Deadline], first: int) -> Summary:
    ahead = sorted((i for i in items if i.status != OVERDUE), key=sort_key)
    return Summary(len(items) - len(ahead), len(ahead), ahead[:first])


def counts(items: list[Deadline]) -> dict[str, int]:
    return {status: sum(1 for i in items if i.status == status) for status in STATUSES}
