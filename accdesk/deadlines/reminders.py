"""E-mail reminders and the weekly digest (issue 16).

Who gets what:
- a deadline's reminders go to its owner (the ACC unless the app names someone,
  e.g. the SPOC for the weekly audit-log review), if the owner is a member who may
  see it and has not opted out of its kind: some days before (default 30, 7 and
  1), on the due day, and once a week while overdue;
- the ACC always gets overdue items, weekly, whatever their choices and whoever
  owns them (a missed duty must reach the person answerable to DOJ);
- the digest, after Monday 07:00 where the agency is: what each member owns that
  is due in the next 30 days or overdue (the ACC: every overdue item too).

Each message is sent once: ``SentReminder`` rows are claimed (unique constraint)
before sending and released only if sending fails, so a second scan, a restart or
a second worker sends nothing again. The reminder of the latest day that has come
is sent -- a worker that was down catches up with one message, not one per day
missed. A duty dated "now" (the worklist's "deactivate today") gets its due-day
reminder at most once a week. Every send is in the change record (``core.mail``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from accdesk.agency.contacts import members_with_role
from accdesk.agency.models import Agency, Membership
from accdesk.agency.permissions import can
from accdesk.core import mail
from accdesk.deadlines.models import (
    DEFAULT_DAYS_BEFORE,
    ReminderChoices,
    ReminderPreference,
    ReminderSettings,
    SentReminder,
)
from accdesk.deadlines.registry import collect
from accdesk.lib.dates import monday_of
from accdesk.lib.deadlines import OVERDUE, Deadline

MAX_DAYS_BEFORE = 365
DIGEST_DAYS = 30
DIGEST_AT = dt.time(7, 0)  # Monday, agency time
DUE_AGAIN_AFTER = dt.timedelta(days=7)


@dataclass(frozen=True)
class Prefs:
    kinds_off: frozenset[str]
    days_before: tuple[int, ...]
    on_due_day: bool
    overdue_weekly: bool
    digest: bool

    @classmethod
    def of(cls, choices: ReminderChoices | None) -> Prefs:
        if choices is None:
            return BASELINE
        return cls(
            frozenset(choices.kinds_off),
            tuple(sorted(set(choices.days_before), reverse=True)),
            choices.on_due_day,
            choices.overdue_weekly,
            choices.digest,
        )


BASELINE = Prefs(frozenset(), tuple(DEFAULT_DAYS_BEFORE), True, True, True)


def agency_defaults(agency: Agency) -> Prefs:
    return Prefs.of(ReminderSettings.objects.filter(agency=agency).first())


def prefs_of(membership: Membership, defaults: Prefs | None = None) -> Prefs:
    own = ReminderPreference.objects.filter(membership=membership).first()
    if own is not None:
        return Prefs.of(own)
    return defaults if defaults is not None else agency_defaults(membership.agency)


# -- Which reminder is due today -------------------------------------------------


def overdue_trigger(item: Deadline, today: dt.date) -> str:
    """Weekly from the first day overdue: the latest of those days by today."""
    first = item.date + dt.timedelta(days=1)
    weeks = (today - first).days // 7
    return f"overdue:{first + dt.timedelta(days=7 * weeks)}"


def trigger(item: Deadline, prefs: Prefs, today: dt.date) -> str | None:
    """The reminder of ``item`` whose day is the latest that has come by ``today``
    for a member with ``prefs``, or None."""
    if item.kind in prefs.kinds_off:
        return None
    if item.status == OVERDUE:
        return overdue_trigger(item, today) if prefs.overdue_weekly else None
    days_left = (item.date - today).days
    if days_left > 0:
        reached = [n for n in prefs.days_before if n >= days_left]
        return f"before:{min(reached)}" if reached else None
    return "due" if prefs.on_due_day else None


def when(item: Deadline, today: dt.date) -> str:
    """How a message says the date: "due in 7 days (2026-12-10)"..."""
    days = (item.date - today).days
    on = item.date.isoformat()
    if item.status == OVERDUE:
        return f"overdue since {on} ({-days} day{'s' if days != -1 else ''})"
    if days > 0:
        return f"due in {days} day{'s' if days != 1 else ''} ({on})"
    return "due today" if days == 0 else f"due since {on}"


# -- Members ---------------------------------------------------------------------


def _members(agency: Agency) -> list[Membership]:
    return [
        m
        for m in Membership.objects.filter(agency=agency, user__is_active=True)
        .select_related("user", "agency")
        .order_by("id")
        if m.is_in_force() and can(m.role, "deadlines.view")
    ]


# -- The hourly scan ---------------------------------------------------------------


def send_reminders(now: dt.datetime | None = None) -> int:
    """Send every reminder whose day has come, in every agency; returns how many
    reminders went out (several can share one message). ``now`` is the present
    (the apps date their deadlines against the clock; tests move the clock)."""
    now = now or timezone.now()
    sent, errors = 0, []
    for agency in Agency.objects.order_by("pk"):
        try:
            sent += scan(agency, now)
        except Exception as exc:  # the other agencies still get theirs
            errors.append(exc)
    if errors:
        raise errors[0]
    return sent


def scan(agency: Agency, now: dt.datetime) -> int:
    today = now.astimezone(agency.tz).date()
    members = _members(agency)
    by_email = {m.user.email.lower(): m for m in members}
    defaults = agency_defaults(agency)
    prefs = {m.pk: prefs_of(m, defaults) for m in members}
    accs = [m.user.email.lower() for m in members_with_role(agency, "acc")]
    due: dict[str, dict[str, tuple[Deadline, str]]] = defaultdict(dict)
    for item, action in collect(agency, today, today + dt.timedelta(MAX_DAYS_BEFORE)):
        key = f"{item.identity}|{item.date}"
        owner = by_email.get(item.owner.lower())
        if owner is not None and can(owner.role, action):
            found = trigger(item, prefs[owner.pk], today)
            if found:
                due[owner.user.email.lower()][key] = (item, found)
        if item.status == OVERDUE:
            for acc in accs:
                due[acc].setdefault(key, (item, overdue_trigger(item, today)))
    sent, errors = 0, []
    for recipient, items in due.items():
        try:
            sent += _deliver(agency, recipient, list(items.values()), today)
        except Exception as exc:
            errors.append(exc)
    if errors:
        raise errors[0]
    return sent


def _deliver(
    agency: Agency,
    recipient: str,
    items: list[tuple[Deadline, str]],
    today: dt.date,
) -> int:
    claimed: list[tuple[SentReminder, Deadline]] = []
    # One order for every worker, so two never wait on each other's rows.
    for item, found in sorted(items, key=lambda pair: (pair[0].date, pair[0].identity)):
        if found == "due" and _due_recently(agency, recipient, item):
            continue
        row = _claim(agency, recipient, item.identity, item.date, found, item.kind)
        if row is not None:
            claimed.append((row, item))
    if not claimed:
        return 0
    listed = [(item, when(item, today)) for _, item in claimed]
    if len(listed) == 1:
        item, said = listed[0]
        subject = f"{said.capitalize()}: {item.title}" + (
            f" ({item.subject})" if item.personal else ""
        )
    else:
        subject = f"{len(listed)} reminders: what's due at {agency.name}"
    _send(
        agency,
        recipient,
        [row for row, _ in claimed],
        subject,
        "deadlines/mail/reminder",
        {"agency": agency, "items": listed},
        event="mail.reminder",
        note=", ".join(f"{r.kind} {r.due_on} {r.trigger}" for r, _ in claimed),
    )
    return len(claimed)


def _due_recently(agency: Agency, recipient: str, item: Deadline) -> bool:
    """A due-day reminder of the same duty, dated in the six days before this one,
    went out (a duty the worklist dates "today" every day)."""
    return SentReminder.objects.filter(
        agency=agency,
        recipient=recipient,
        identity=item.identity,
        trigger="due",
        due_on__gt=item.date - DUE_AGAIN_AFTER,
        due_on__lt=item.date,
    ).exists()


def _claim(
    agency: Agency,
    recipient: str,
    identity: str,
    due_on: dt.date,
    found: str,
    kind: str,
) -> SentReminder | None:
    """The ledger row for this message, or None when it was already sent (or is
    being sent by another worker)."""
    try:
        with transaction.atomic():
            return SentReminder.objects.create(
                agency=agency,
                recipient=recipient,
                identity=identity,
                due_on=due_on,
                trigger=found,
                kind=kind,
            )
    except IntegrityError:
        return None


def _send(
    agency: Agency,
    recipient: str,
    rows: list[SentReminder],
    subject: str,
    template: str,
    context: dict[str, object],
    *,
    event: str,
    note: str,
) -> None:
    try:
        mail.send(
            [recipient],
            subject,
            template,
            context,
            event=event,
            agency_id=agency.pk,
            note=note,
        )
    except Exception:
        # Not sent: release the claims so that the retry sends it.
        SentReminder.objects.filter(pk__in=[r.pk for r in rows]).delete()
        raise


# -- The weekly digest --------------------------------------------------------------


def send_digests(now: dt.datetime | None = None) -> int:
    """This week's digest to every member who has not had it, in each agency where
    Monday 07:00 has passed; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for agency in Agency.objects.order_by("pk"):
        local = now.astimezone(agency.tz)
        monday = monday_of(local.date())
        if local < dt.datetime.combine(monday, DIGEST_AT, tzinfo=agency.tz):
            continue
        sent += digest_agency(agency, monday, local.date())
    return sent


def digest_items(
    membership: Membership, listed: list[tuple[Deadline, str]], prefs: Prefs
) -> list[Deadline]:
    """What one member's digest lists: what they own, of the kinds they get; for
    the ACC every overdue item too."""
    email = membership.user.email.lower()
    is_acc = membership.role == "acc"
    return [
        item
        for item, action in listed
        if can(membership.role, action)
        and (
            (item.owner.lower() == email and item.kind not in prefs.kinds_off)
            or (is_acc and item.status == OVERDUE)
        )
    ]


def digest_agency(agency: Agency, monday: dt.date, today: dt.date) -> int:
    listed = collect(agency, today, today + dt.timedelta(days=DIGEST_DAYS))
    defaults = agency_defaults(agency)
    sent = 0
    for membership in _members(agency):
        prefs = prefs_of(membership, defaults)
        if not prefs.digest:
            continue
        items = digest_items(membership, listed, prefs)
        if not items:
            continue
        recipient = membership.user.email.lower()
        row = _claim(agency, recipient, "digest", monday, "digest", "digest")
        if row is None:
            continue
        overdue = [i for i in items if i.status == OVERDUE]
        ahead = [(i, when(i, today)) for i in items if i.status != OVERDUE]
        _send(
            agency,
            recipient,
            [row],
            f"What's due at {agency.name}: week of {monday:%b %-d}",
            "deadlines/mail/digest",
            {
                "agency": agency,
                "monday": monday,
                "overdue": [(i, when(i, today)) for i in overdue],
                "ahead": ahead,
                "days": DIGEST_DAYS,
            },
            event="mail.digest",
            note=f"digest of the week of {monday}: {len(overdue)} overdue, "
            f"{len(ahead)} due in {DIGEST_DAYS} days",
        )
        sent += 1
    return sent
