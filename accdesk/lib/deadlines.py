"""A deadline: one dated duty, as each app reports its own.

Each app that owns a dated duty (a NexTEST expiry, the February 1 misuse report, an
agreement's expiry...) contributes one function ``deadlines(agency, start, end) ->
list[Deadline]``; the "What's due" registry (``accdesk/deadlines/``) lists those
functions explicitly and gathers them for the page, the ``accdesk due`` command,
the reminders and the calendar feed. The due date stays on the record that owns it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

UPCOMING, DUE_TODAY, OVERDUE = "upcoming", "due_today", "overdue"
STATUSES = (OVERDUE, DUE_TODAY, UPCOMING)
STATUS_LABELS = {OVERDUE: "Overdue", DUE_TODAY: "Due today", UPCOMING: "Upcoming"}

# The stable codes of every kind of deadline (issue 16), with the label the pages
# and the reminder preferences show. Codes never change: reminders already sent,
# members' opt-outs and exported files refer to them. An app adding a new kind
# adds it here.
KINDS: dict[str, str] = {
    "nextest_expiry": "NexTEST expiry",
    "training_expiry": "Security awareness training expiry",
    "deactivation_due": "Account deactivation",
    "reinvestigation_due": "Background reinvestigation",
    "account_review": "Annual account review",
    "misuse_report": "Misuse report to DOJ",
    "doj_notice": "Notice to DOJ of a change",
    "agreement_expiry": "Agreement expiry",
    "inspection_due": "Terminal inspection",
    "inventory_review": "Inventory review",
    "visitor_log_review": "Visitor log review",
    "access_log_review": "Physical access log review",
    "access_list_review": "Facility access list review",
    "key_inventory_review": "Key and combination inventory",
    "document_review": "System document review",
    "corrective_action_due": "Corrective action",
    "validation_due": "Record validation",
    "ori_validation_due": "Yearly ORI validation",
    "incident_clock": "Incident deadline",
    "irp_review": "Incident response plan review",
    "irp_test": "Incident response plan test",
    "audit_log_review": "Weekly audit-log review",
}


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind.replace("_", " ").capitalize())


def status_on(day: dt.date, today: dt.date, *, can_be_overdue: bool = True) -> str:
    """``overdue`` before ``today``, ``due_today`` on it, ``upcoming`` after it --
    ``today`` being the agency's today (``agency.today()``). A duty with no
    deadline of its own (a DOJ notice) is never overdue: it stays due."""
    if day < today:
        return OVERDUE if can_be_overdue else DUE_TODAY
    return DUE_TODAY if day == today else UPCOMING


@dataclass(frozen=True)
class Deadline:
    """One dated duty. ``kind`` is a stable code (``nextest_expiry``...), ``subject``
    the person ("J. Smith": ``short_name``, never a full identifier) or the
    record's reference, ``owner`` the e-mail of the member who must act (blank: the
    agency's ACC, filled in by the registry), ``source`` the rule's citation,
    ``url`` a path on the site. ``personal``: the subject is a person, so the
    calendar feed, whose titles leave ACC Desk, shows only initials."""

    date: dt.date
    kind: str
    title: str
    subject: str
    status: str
    source: str
    url: str
    owner: str = ""
    personal: bool = False

    @property
    def identity(self) -> str:
        """Which duty this is, whatever its date: the same person's NexTEST, the
        same report. Reminders are counted per identity and date."""
        text = "|".join((self.kind, self.url, self.subject))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def label(self) -> str:
        return kind_label(self.kind)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def feed_subject(self) -> str:
        """The subject as the calendar feed shows it: initials for a person."""
        return initials(self.subject) if self.personal else self.subject


def sort_key(item: Deadline) -> tuple[dt.date, int, str, str, str]:
    """The order deadlines are listed in: by date, overdue first, then by kind,
    title and subject."""
    return (item.date, STATUSES.index(item.status), item.kind, item.title, item.subject)


@dataclass(frozen=True)
class Summary:
    """Deadlines as the dashboard shows them: how many are overdue, how many are
    not (due today or upcoming), and the first of those in ``sort_key`` order."""

    overdue: int
    ahead: int
    first: list[Deadline]


def short_name(first: str, last: str) -> str:
    """ "J. Smith": how messages and pages that leave the roster name a person (no
    full identifiers in reminders, CJISSECPOL AU-3(3): minimal PII)."""
    first, last = first.strip(), last.strip()
    if not first:
        return last
    return f"{first[0].upper()}. {last}".strip()


def initials(name: str) -> str:
    """ "J.S." from "J. Smith" (or "Jordan Smith")."""
    return "".join(f"{part[0].upper()}." for part in name.replace(".", " ").split())


T = TypeVar("T")
_round: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar(
    "deadline_round", default=None
)


@contextmanager
def gathering() -> Iterator[None]:
    """One gathering of every app's deadlines: within it, ``once`` computes each
    shared input a single time (the four roster kinds read one worklist)."""
    token = _round.set({})
    try:
        yield
    finally:
        _round.reset(token)


def once(key: Any, compute: Callable[[], T]) -> T:
    """``compute()``, or its result from earlier in the same ``gathering``."""
    memo = _round.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
