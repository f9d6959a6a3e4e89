from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from accdesk.core import chain


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete a change record (AU-9)."""


# Events on a user's account that every agency the user belongs to sees, whoever
# caused them (see ``ChangeRecordQuerySet.for_agency``).
MEMBER_ACCOUNT_EVENTS = ("signin.locked", "signin.unlocked", "mfa.device_deleted")


# Sign-in history is filed under each agency the user belongs to when it happens
# (``access/history.py``): read from the installation's records by today's
# memberships, it would follow a user who moves to another agency.
SIGNIN_EVENT_PREFIXES = ("signin.", "signout", "session.")


def signin_history() -> models.Q:
    query = models.Q()
    for prefix in SIGNIN_EVENT_PREFIXES:
        query |= models.Q(event__startswith=prefix)
    return query & ~models.Q(event__in=MEMBER_ACCOUNT_EVENTS)


class ChangeRecordQuerySet(models.QuerySet["ChangeRecord"]):
    def bulk_create(  # type: ignore[override]
        self, objs: Any, *args: Any, **kwargs: Any
    ) -> list[ChangeRecord]:
        """Every entry is numbered and hashed on its chain (``core/chain.py``)."""
        objs = list(objs)
        created: list[ChangeRecord] = []

        def insert() -> None:
            created.extend(
                super(ChangeRecordQuerySet, self).bulk_create(objs, *args, **kwargs)
            )

        if objs:
            chain.write(objs, insert)
        return created

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("change records cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("change records cannot be deleted")

    def for_agency(
        self, agency_id: int, member_user_ids: list[int]
    ) -> ChangeRecordQuerySet:
        """The agency's records, plus two kinds filed under no agency:

        - what its members did to their own sign-in (sign-ins, failures, locks,
          password and MFA changes): those belong to a person, not to one agency;
        - the account-security events about its members that someone else did
          outside the agency's pages (``MEMBER_ACCOUNT_EVENTS``: an unlock or an
          MFA reset by a superuser or the server operator): the lock was on a
          member's sign-in, so each agency the member belongs to sees who
          released it (AC-7).

        Sign-in history (``SIGNIN_EVENT_PREFIXES``) is not taken from the
        installation's records: it is filed under each agency at the time.

        Nothing else done to *other* users outside the agency's pages (admin,
        commands) is shown, and nothing about a user who is not a member.
        """
        return self.filter(
            models.Q(agency_id=agency_id) | self._shared_with(member_user_ids)
        )

    def for_agency_parts(
        self, agency_id: int, member_user_ids: list[int]
    ) -> tuple[ChangeRecordQuerySet, ChangeRecordQuerySet]:
        """``for_agency`` as its two disjoint parts: the agency's own records and
        those filed under no agency that it sees. Each is one range of the
        (agency, time) index, read in time order; their ``OR`` is not (the
        database sorts every matching entry), so a page newest first reads the
        first rows of each and merges them (``changes.views``, issue 18)."""
        return (
            self.filter(agency_id=agency_id),
            self.filter(self._shared_with(member_user_ids)),
        )

    @staticmethod
    def _shared_with(member_user_ids: list[int]) -> models.Q:
        # Sign-in history is filed under each agency at the time, not shared.
        own_account = (
            models.Q(object_type="")
            | models.Q(
                object_type="access.user",
                object_id=Cast("actor_id", models.CharField()),
            )
        ) & ~signin_history()
        about_a_member = models.Q(
            event__in=MEMBER_ACCOUNT_EVENTS,
            object_type="access.user",
            object_id__in=[str(pk) for pk in member_user_ids],
        )
        return models.Q(agency_id__isnull=True) & (
            (models.Q(actor_id__in=member_user_ids) & own_account) | about_a_member
        )


class ChangeRecord(models.Model):
    """One entry of the audit trail: a change to a record, or an event such as a
    sign-in, an unlock, an export or a view of a sensitive record.

    Append-only: rows are written, never updated or deleted, by anything in the app
    (CJISSECPOL AU-9). They are kept at least one year (AU-11); ACC Desk never
    removes them.
    """

    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        DELETE = "delete"
        EVENT = "event"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Plain ids, not foreign keys: a record must outlive what it describes.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=254)
    request_id = models.CharField(max_length=32, blank=True)
    # Indexed by (agency, time): ``Meta.indexes``.
    agency_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=8, choices=Action.choices)
    event = models.CharField(max_length=64, blank=True, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text="field: [before, after]; personal identifiers masked; "
        "empty for restricted records",
    )
    restricted = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    # The entry's place in its agency's chain (or the installation's) and its
    # HMAC over its content and the previous entry's hash (core/chain.py, AU-9).
    sequence = models.BigIntegerField(null=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["agency_id", "sequence"]),
            # An agency's change record, newest first, a page at a time: without
            # it, the agency filter and the time order use different indexes and
            # every page sorts all of the agency's entries (issue 18).
            models.Index(
                fields=["agency_id", "at", "id"], name="changerecord_agency_at"
            ),
        ]

    def __str__(self) -> str:
        what = self.event or self.action
        return (
            f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {what} {self.object_repr}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("change records cannot be updated")
        chain.write([self], lambda: super(ChangeRecord, self).save(*args, **kwargs))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("change records cannot be deleted")

    @property
    def at_display(self) -> str:
        """UTC, to hundredths of a second (AU-8)."""
        utc = self.at.astimezone(dt.UTC)
        return utc.strftime("%Y-%m-%d %H:%M:%S.") + f"{utc.microsecond // 10000:02d}Z"
