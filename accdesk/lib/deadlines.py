"""A deadline: one dated duty, as each app reports its own.

Each app that owns a dated duty (a NexTEST expiry, the February 1 misuse report, an
agreement's expiry...) contributes one function ``deadlines(agency, start, end) ->
list[Deadline]``; the "What's due" registry (``accdesk/deadlines/``) lists those
functions explicitly and gathers them for the page, the ``accdesk due`` command,
the reminders and the calendar feed. The due date stays on the record that owns it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

UPCOMING, DUE_TODAY, OVERDUE = "upcoming", "due_today", "overdue"
STATUSES = (OVERDUE, DUE_TODAY, UPCOMING)


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
    the person ("J. Smith": initials, never a full identifier) or the record's
    reference, ``owner`` the e-mail of the member who must act (blank: the
    agency's ACC), ``source`` the rule's citation, ``url`` a path on the site."""

    date: dt.date
    kind: str
    title: str
    subject: str
    status: str
    source: str
    url: str
    owner: str = ""
