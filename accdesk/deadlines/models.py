"""Reminders and the calendar feed: what members chose, what was sent, and the
feed tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from accdesk.agency.models import Agency, Membership
from accdesk.core.audit import Audited

DEFAULT_DAYS_BEFORE = [30, 7, 1]


def default_days_before() -> list[int]:
    return list(DEFAULT_DAYS_BEFORE)


class ReminderChoices(Audited):
    """When reminders are sent (issue 16): some days before (default 30, 7 and 1),
    on the due day, and weekly while overdue; the Monday digest; the kinds one
    does *not* get (a kind added later is on by default)."""

    kinds_off = models.JSONField(default=list, blank=True)
    days_before = models.JSONField(default=default_days_before, blank=True)
    on_due_day = models.BooleanField("on the due day", default=True)
    overdue_weekly = models.BooleanField("every week while overdue", default=True)
    digest = models.BooleanField("the Monday digest", default=True)

    class Meta:
        abstract = True


class ReminderSettings(ReminderChoices):
    """The agency's defaults, for members who have not chosen their own."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="reminder_settings"
    )

    def __str__(self) -> str:
        return f"Reminder defaults of {self.agency.ori}"


class ReminderPreference(ReminderChoices):
    """A member's own choices in one agency (they replace the agency's defaults)."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="reminder_preference"
    )

    def __str__(self) -> str:
        return f"Reminders of {self.membership}"

    def audit_agency_id(self) -> int | None:
        return self.membership.agency_id


class SentReminder(models.Model):
    """The ledger: one row per reminder (or digest) sent to one recipient. The
    unique constraint is what keeps a restart or a second worker from sending it
    twice: the row is written before the message goes out, and removed again only
    if sending fails."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    recipient = models.EmailField()
    identity = models.CharField(max_length=32)  # Deadline.identity, or "digest"
    due_on = models.DateField()  # the deadline's date; the digest's Monday
    trigger = models.CharField(max_length=32)  # before:7, due, overdue:<date>, digest
    kind = models.CharField(max_length=40)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "recipient", "identity", "due_on", "trigger"],
                name="each_reminder_sent_once",
            )
        ]
        indexes = [models.Index(fields=["agency", "recipient", "identity"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on} {self.trigger} to {self.recipient}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(Audited):
    """A user's calendar feed: only a hash of its secret token is kept, so the
    database alone does not give anyone the feed. Regenerating replaces the token
    (the old URL stops working); revoking removes it."""

    audit_private_fields = frozenset({"token_hash"})

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    @classmethod
    @transaction.atomic
    def issue(cls, user: Any) -> str:
        """A new token for ``user`` (the previous one stops working)."""
        token = secrets.token_urlsafe(32)
        cls.objects.filter(user=user).delete()
        cls.objects.create(user=user, token_hash=_digest(token))
        return token

    @classmethod
    def user_for(cls, token: str) -> Any | None:
        feed = (
            cls.objects.select_related("user")
            .filter(token_hash=_digest(token), user__is_active=True)
            .first()
        )
        return feed.user if feed is not None else None
