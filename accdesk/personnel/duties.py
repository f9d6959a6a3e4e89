"""The roster's dated duties in one worklist item: which of its reasons is a
deadline of which kind, on which date, with its title and source.

The rules and their dates live in ``eligibility.py`` only; this module reads them
from the rules' result. The stored worklist keeps each item's duties next to it
(``worklistcache``), so that "What's due" lists them and the dashboard counts them
with a range query (``deadlines.py``) instead of decoding every item.

- ``nextest_expiry``: each active operator's NexTEST expiry ahead (a new operator's
  first test due date too) and, once passed with the account still active, the
  expiry that was missed;
- ``training_expiry``: security awareness training expiring ahead, or expired;
- ``reinvestigation_due``: the five-year reinvestigation ahead, or past due;
- ``deactivation_due``: every person or orphan account the worklist says to
  deactivate, by its due date.

A duty the worklist no longer reports (recertified, deactivated) is done and not
listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from accdesk.agency.models import Agency
from accdesk.lib.deadlines import short_name
from accdesk.personnel import eligibility as E
from accdesk.personnel.eligibility import Item
from accdesk.personnel.models import Person

DEACTIVATION_DUE = "deactivation_due"

# kind -> (the worklist's reason code for a date ahead, title; the code once it
# has passed, title). A passed date is read from ``Reason.on`` (the expiry), or
# ``Reason.due`` for a reinvestigation (its due date is the date that passed).
DATED = {
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


@dataclass(frozen=True)
class Duty:
    """One dated duty of an item. ``subject``: the person ("J. Smith") or the
    orphan account; ``person_pk``: None for an orphan account; ``personal``: the
    subject is a person (the calendar feed shows only initials)."""

    kind: str
    date: dt.date
    title: str
    subject: str
    source: str
    person_pk: int | None
    personal: bool


def of_items(agency: Agency, items: Iterable[Item], today: dt.date) -> list[Duty]:
    """Every dated duty of the worklist ``items`` (evaluated with ``upcoming``),
    in the order "What's due" lists one kind of them (``lib.deadlines.sort_key``:
    by date -- a day's duties of a kind share their status -- then title and
    subject), ties in the rules' order: the items', then each item's reasons'."""
    names = _names(agency)
    found = []
    for item in items:
        if item.person is not None:
            for kind in DATED:
                found += _dated(kind, item, today, names)
        if item.action == E.DEACTIVATE and item.due_date:
            found.append(_deactivation(item, names))
    return sorted(found, key=lambda d: (d.kind, d.date, d.title, d.subject))


def _names(agency: Agency) -> dict[int, str]:
    """Person pk -> "J. Smith": how pages that leave the roster name a person."""
    rows = Person.objects.filter(agency=agency).values_list(
        "pk", "first_name", "last_name"
    )
    return {pk: short_name(first, last) for pk, first, last in rows}


def _dated(kind: str, item: Item, today: dt.date, names: dict[int, str]) -> list[Duty]:
    ahead, passed = DATED[kind]
    found = [
        (reason, reason.due, ahead[reason.code])
        for reason in item.upcoming
        if reason.code in ahead
    ]
    for reason in item.reasons:
        if reason.code in passed:
            day = reason.on if kind != "reinvestigation_due" else reason.due
            # No date of its own ("never tested", "none on file"): the
            # deactivation or remediation on the worklist carries it.
            if day is not None and day < today:
                found.append((reason, day, passed[reason.code]))
    return [
        Duty(
            kind=kind,
            date=day,
            title=title,
            subject=names.get(item.person.pk, ""),
            source=E.REASON_TEXT[reason.code][1],
            person_pk=item.person.pk,
            personal=True,
        )
        for reason, day, title in found
    ]


def _deactivation(item: Item, names: dict[int, str]) -> Duty:
    """The item to deactivate (AC-2(3), AC-2(h), §5.12.2...), by its due date --
    its most urgent reason's."""
    reasons = [r for r in item.reasons if r.kind == E.DEACTIVATE]
    codes = list(dict.fromkeys(r.code for r in reasons))
    person = item.person
    return Duty(
        kind=DEACTIVATION_DUE,
        date=item.due_date,
        title="Deactivate CLETS access: "
        + ", ".join(E.REASON_TEXT[c][0] for c in codes),
        # An orphan account: its operator ID, no person.
        subject=names.get(person.pk, "") if person else f"Account {item.operator_id}",
        source="; ".join(dict.fromkeys(E.REASON_TEXT[c][1] for c in codes)),
        person_pk=person.pk if person else None,
        personal=person is not None,
    )
