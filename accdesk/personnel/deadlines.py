"""The roster's deadlines for the "What's due" registry, read from the stored
worklist of today: ``duties.py`` says which of an item's reasons is a deadline of
which kind and date (the rules and their dates live in ``eligibility.py`` only),
and ``worklistcache`` stores each item's duties with it. Kinds:

- ``nextest_expiry``, ``training_expiry``, ``reinvestigation_due``,
  ``deactivation_due``: see ``duties.py``;
- ``account_review``: the annual account review, an agency-level duty
  (``reviews.review_status``).

Each of the four worklist kinds has its deadlines (the page, ``accdesk due``, the
reminders, the calendar feed) and its summary (the dashboard): both read the same
stored duties by date, so the summary's counts and first items are the list's, at
a cost that does not grow with the roster. The four share one check that the
stored worklist is current per gathering (``lib.deadlines.once``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from accdesk.agency.models import Agency
from accdesk.lib.deadlines import Deadline, Summary, once, status_on
from accdesk.personnel import reviews
from accdesk.personnel.worklistcache import store
from accdesk.personnel.worklistcache.models import WorklistDuty

_FIELDS = ("date", "title", "subject", "source", "personal", "person_id")


def _stored(agency: Agency, kind: str) -> QuerySet[WorklistDuty]:
    """The stored duties of ``kind``, in the order they are listed (by date, then
    ``rank``: the index's order)."""
    current = once(("worklist duties", agency.pk), lambda: store.current_duties(agency))
    return current.filter(kind=kind).order_by("date", "rank")


def _deadlines(
    agency: Agency, kind: str, rows: QuerySet[WorklistDuty], today: dt.date
) -> list[Deadline]:
    """The stored duties ``rows`` as deadlines."""
    ori = agency.ori
    worklist_url = reverse("roster:worklist", kwargs={"ori": ori})
    return [
        Deadline(
            date=day,
            kind=kind,
            title=title,
            subject=subject,
            status=status_on(day, today),
            source=source,
            url=reverse("roster:person", kwargs={"ori": ori, "pk": pk})
            if pk
            else worklist_url,
            personal=personal,
        )
        for day, title, subject, source, personal, pk in rows.values_list(*_FIELDS)
    ]


def _stored_kind(
    kind: str,
) -> tuple[
    Callable[[Agency, dt.date, dt.date], list[Deadline]],
    Callable[[Agency, dt.date, int], Summary],
]:
    def deadlines(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
        rows = _stored(agency, kind).filter(date__gte=start, date__lte=end)
        return _deadlines(agency, kind, rows, agency.today())

    def summary(agency: Agency, end: dt.date, first: int) -> Summary:
        today = agency.today()
        rows = _stored(agency, kind).filter(date__lte=end)
        # A roster duty dated before today is overdue, from today on it is not
        # (``status_on``: every one of them can be overdue).
        counts = rows.aggregate(
            overdue=Count("pk", filter=Q(date__lt=today)),
            ahead=Count("pk", filter=Q(date__gte=today)),
        )
        # Stored in ``sort_key``'s order (``duties.of_items``): the first rows
        # are the first the list shows.
        shown = _deadlines(agency, kind, rows.filter(date__gte=today)[:first], today)
        return Summary(counts["overdue"], counts["ahead"], shown)

    deadlines.__name__ = deadlines.__qualname__ = kind
    deadlines.__doc__ = f"``{kind}`` deadlines, from the stored worklist."
    summary.__name__ = summary.__qualname__ = f"{kind}_summary"
    summary.__doc__ = f"The ``{kind}`` deadlines' ``Summary``, counted where stored."
    return deadlines, summary


nextest_expiry, nextest_expiry_summary = _stored_kind("nextest_expiry")
training_expiry, training_expiry_summary = _stored_kind("training_expiry")
reinvestigation_due, reinvestigation_due_summary = _stored_kind("reinvestigation_due")
deactivation_due, deactivation_due_summary = _stored_kind("deactivation_due")


def account_review(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
    """The ``account_review`` deadline: the next annual review, once any account
    is known (done reviews are not listed: the next one is)."""
    status = reviews.review_status(agency)
    if status.due is None or not start <= status.due <= end:
        return []
    return [
        Deadline(
            date=status.due,
            kind="account_review",
            title="Annual CLETS account review"
            + (" (in progress)" if status.open_review else ""),
            subject="CLETS accounts",
            status=status_on(status.due, status.today),
            source=reviews.SOURCE,
            url=reverse("roster:reviews", kwargs={"ori": agency.ori}),
        )
    ]
