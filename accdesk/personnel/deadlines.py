"""The roster's deadlines, read from the worklist (the stored worklist of today,
``worklistcache.store``: the rules' result with each item's dates ahead): the rules
and their dates live in ``eligibility.py`` only; this module reformats them.

- ``nextest_expiry``: each active operator's NexTEST expiry ahead (a new operator's
  first test due date too) and, once passed with the account still active, the
  expiry that was missed;
- ``training_expiry``: security awareness training expiring ahead, or expired;
- ``reinvestigation_due``: the five-year reinvestigation ahead, or past due;
- ``deactivation_due``: every person or orphan account the worklist says to
  deactivate, by its due date;
- ``account_review``: the annual account review, an agency-level duty
  (``reviews.review_status``).

A duty the worklist no longer reports (recertified, deactivated) is done and not
listed. The four worklist functions share one worklist per gathering
(``lib.deadlines.once``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.urls import reverse

from accdesk.agency.models import Agency
from accdesk.lib.deadlines import Deadline, once, short_name, status_on
from accdesk.personnel import eligibility as E
from accdesk.personnel import reviews
from accdesk.personnel.eligibility import Item, Reason, Worklist
from accdesk.personnel.models import Person
from accdesk.personnel.worklistcache import store

# kind -> (the worklist's reason code for a date ahead, title; the code once it
# has passed, title). A passed date is read from ``Reason.on`` (the expiry), or
# ``Reason.due`` for a reinvestigation (its due date is the date that passed).
_DATED = {
    "nextest_expiry": (
        {
            E.CERTIFICATION_EXPIRING: "NexTEST expires",
            E.TESTING_DUE: "First NexTEST due",
        },
        {E.TESTING_DELINQUENT: "NexTEST expired"},
    ),
    "training_expiry": (
        {E.TRAINING_EXPIRING: "Security awareness training expires"},
        {E.TRAINING_EXPIRED: "Security awareness training expired"},
    ),
    "reinvestigation_due": (
        {E.REINVESTIGATION_EXPIRING: "Background reinvestigation due"},
        {E.REINVESTIGATION_DUE: "Background reinvestigation due"},
    ),
}


def _worklist(agency: Agency) -> Worklist:
    def read() -> Worklist:
        # Built with ``upcoming``: ``Item.upcoming`` can be read.
        rows = store.current_rows(agency)
        return Worklist(agency.today(), store.items(rows))

    return once(("worklist", agency.pk), read)


def _names(agency: Agency, items: Iterable[Item]) -> dict[int, str]:
    """Person pk -> "J. Smith", for the people of ``items`` (one query)."""
    pks = {i.person.pk for i in items if i.person is not None and i.person.pk}
    rows = Person.objects.filter(agency=agency, pk__in=pks).values_list(
        "pk", "first_name", "last_name"
    )
    return {pk: short_name(first, last) for pk, first, last in rows}


def _person_url(agency: Agency, item: Item) -> str:
    if item.person is None or item.person.pk is None:
        return reverse("roster:worklist", kwargs={"ori": agency.ori})
    return reverse("roster:person", kwargs={"ori": agency.ori, "pk": item.person.pk})


def _dated(kind: str) -> Callable[[Agency, dt.date, dt.date], list[Deadline]]:
    ahead, passed = _DATED[kind]

    def deadlines(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
        worklist = _worklist(agency)
        today = worklist.as_of
        found: list[tuple[Item, Reason, dt.date, str]] = []
        for item in worklist.items:
            if item.person is None:
                continue
            for reason in item.upcoming:
                if reason.code in ahead:
                    found.append((item, reason, reason.due, ahead[reason.code]))
            for reason in item.reasons:
                if reason.code in passed:
                    day = reason.on if kind != "reinvestigation_due" else reason.due
                    # No date of its own ("never tested", "none on file"): the
                    # deactivation or remediation on the worklist carries it.
                    if day is not None and day < today:
                        found.append((item, reason, day, passed[reason.code]))
        found = [f for f in found if start <= f[2] <= end]
        names = _names(agency, (f[0] for f in found))
        return [
            Deadline(
                date=day,
                kind=kind,
                title=title,
                subject=names.get(item.person.pk, ""),
                status=status_on(day, today),
                source=E.REASON_TEXT[reason.code][1],
                url=_person_url(agency, item),
                personal=True,
            )
            for item, reason, day, title in found
        ]

    deadlines.__name__ = deadlines.__qualname__ = kind
    deadlines.__doc__ = f"``{kind}`` deadlines, from the worklist."
    return deadlines


nextest_expiry = _dated("nextest_expiry")
training_expiry = _dated("training_expiry")
reinvestigation_due = _dated("reinvestigation_due")


def deactivation_due(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
    """Every worklist item to deactivate (AC-2(3), AC-2(h), §5.12.2...), by the
    item's due date -- its most urgent reason's."""
    worklist = _worklist(agency)
    items = [
        i
        for i in worklist.items
        if i.action == "deactivate" and i.due_date and start <= i.due_date <= end
    ]
    names = _names(agency, items)
    found = []
    for item in items:
        reasons = [r for r in item.reasons if r.kind == E.DEACTIVATE]
        codes = list(dict.fromkeys(r.code for r in reasons))
        if item.person is None:  # an orphan account: its operator ID, no person
            subject, personal = f"Account {item.operator_id}", False
        else:
            subject, personal = names.get(item.person.pk, ""), True
        found.append(
            Deadline(
                date=item.due_date,
                kind="deactivation_due",
                title="Deactivate CLETS access: "
                + ", ".join(E.REASON_TEXT[c][0] for c in codes),
                subject=subject,
                status=status_on(item.due_date, worklist.as_of),
                source="; ".join(dict.fromkeys(E.REASON_TEXT[c][1] for c in codes)),
                url=_person_url(agency, item),
                personal=personal,
            )
        )
    return found


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
