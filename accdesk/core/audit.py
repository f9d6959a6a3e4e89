"""The append-only change record: who changed or viewed what, and when.

CJISSECPOL v5.9.5 AU-2/AU-3 ask for the event type, time, source, outcome and the
identity of the objects involved; AU-8 for time stamps to hundredths of a second in
UTC; AU-9 for protection against change and deletion. Models opt in with the
``Audited`` mixin; ``signals.py`` writes a ``ChangeRecord`` on every save and delete.
Paths that bypass signals (``bulk_create``, ``QuerySet.update``) call
``record_changes`` themselves.

The actor comes from a context variable: ``RequestActorMiddleware`` sets it for web
requests, ``acting_as("cli:<os user>")`` for commands.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.dispatch import Signal

from accdesk.core.actor import Actor, current_actor

if TYPE_CHECKING:
    from accdesk.core.models import ChangeRecord


def mask_date(value: Any) -> Any:
    """Keep the year of a date of birth, hide month and day."""
    if not value:
        return value
    return f"{str(value)[:4]}-**-**"


def mask_all(value: Any) -> Any:
    return "***" if value not in (None, "") else value


class Audited(models.Model):
    """Mixin for models whose every change is recorded.

    - ``audit_private_fields``: recorded by name only (passwords, secrets).
    - ``audit_masked_fields``: recorded through a masking function (dates of birth).
    - ``audit_restricted``: the whole record is restricted (release-log entries,
      misuse cases, query subjects); only the names of changed fields are kept, so
      that a legal purge of the record really removes its data.
    - ``audit_ignored_fields``: bookkeeping fields not worth a record.
    """

    audit_private_fields: ClassVar[frozenset[str]] = frozenset()
    audit_masked_fields: ClassVar[dict[str, Any]] = {}
    audit_restricted: ClassVar[bool] = False
    audit_ignored_fields: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The save and its change-record entry (written by signals.py) commit
        # together or not at all: an entry that cannot be written refuses the
        # change (CJISSECPOL AU-5; core/chain.py).
        with transaction.atomic():
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            return super().delete(*args, **kwargs)

    def audit_agency_id(self) -> int | None:
        """The agency (tenant) this record belongs to; override when indirect."""
        return getattr(self, "agency_id", None)

    def audit_repr(self) -> str:
        if self.audit_restricted:
            return f"{self._meta.verbose_name} #{self.pk}"
        return str(self)[:200]

    @classmethod
    def audit_field_names(cls) -> list[str]:
        return [
            f.attname
            for f in cls._meta.concrete_fields
            if f.attname not in cls.audit_ignored_fields
        ]

    def snapshot(self) -> dict[str, Any]:
        """The record's auditable field values, as JSON-safe values."""
        return jsonable(
            {name: getattr(self, name) for name in self.audit_field_names()}
        )


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def diff(
    instance: Audited, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[list[str], dict[str, list[Any]]]:
    """Changed field names, and before/after values safe to store."""
    before = before or {}
    after = after or {}
    names = sorted(
        name for name in set(before) | set(after) if before.get(name) != after.get(name)
    )
    if instance.audit_restricted:
        return names, {}
    values: dict[str, list[Any]] = {}
    for name in names:
        if name in instance.audit_private_fields:
            continue
        mask = instance.audit_masked_fields.get(name)
        old, new = before.get(name), after.get(name)
        values[name] = [mask(old), mask(new)] if mask else [old, new]
    return names, values


def build_record(
    instance: Audited,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
) -> ChangeRecord:
    from accdesk.core.models import ChangeRecord

    names, values = diff(instance, before, after)
    actor = current_actor()
    return ChangeRecord(
        actor_id=actor.user_id,
        actor_label=actor.label,
        request_id=actor.request_id,
        agency_id=_agency_of(instance, actor),
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=instance.audit_repr(),
        changed_fields=names,
        changes=values,
        restricted=instance.audit_restricted,
        message=message,
    )


def _agency_of(instance: Audited | None, actor: Actor) -> int | None:
    """The record's own agency; else the agency the actor is working in."""
    own = instance.audit_agency_id() if instance is not None else None
    return own if own is not None else actor.agency_id


def record_change(
    instance: Audited,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
) -> ChangeRecord | None:
    """Write one record; an update that changed nothing writes nothing."""
    record = build_record(instance, action, before, after, message)
    if action == "update" and not record.changed_fields:
        return None
    record.save()
    return record


# Sent by ``record_changes`` with the instances it recorded: the bulk writes that
# bypass ``post_save``/``post_delete`` (e.g. the stored worklist goes stale on it).
changes_recorded = Signal()


def record_changes(
    items: Iterable[tuple[Audited, str, dict[str, Any] | None]], message: str = ""
) -> int:
    """Record many changes in one query, for paths that bypass signals.

    Each item is ``(instance, action, before_snapshot)``; the "after" state is the
    instance as it is now (``None`` for deletions).
    """
    from accdesk.core.models import ChangeRecord

    records, changed = [], []
    for instance, action, before in items:
        after = None if action == "delete" else instance.snapshot()
        record = build_record(instance, action, before, after, message)
        if action != "update" or record.changed_fields:
            records.append(record)
            changed.append(instance)
    ChangeRecord.objects.bulk_create(records, batch_size=500)
    if changed:
        changes_recorded.send(sender=None, instances=changed)
    return len(records)


# What each change-record event means, for the pages; the code stays in the
# record (people search by it). Events named "<prefix>.<detail>" fall back to
# the prefix's label, e.g. every "import.<format>".
EVENT_LABELS = {
    "export": "Export",
    "view": "Viewed a sensitive record",
    "purge": "Purged after the retention period",
    "import": "Import",
    "signin.succeeded": "Signed in",
    "signin.failed": "Failed sign-in",
    "signin.locked": "Account locked",
    "signin.unlocked": "Account unlocked",
    "signout": "Signed out",
    "session.idle": "Session locked (idle)",
    "session.expired": "Session ended (time limit)",
    "session.unverified": "Session ended (not verified)",
    "session.locked": "Session locked",
    "password.changed": "Password changed",
    "password.reset": "Password reset by the ACC",
    "mfa.enrolled": "Two-step sign-in set up",
    "mfa.reset": "Two-step sign-in reset by the ACC",
    "mfa.recovery_codes_issued": "New recovery codes",
    "mfa.device_deleted": "Sign-in device deleted",
    "releaselog.verify": "Release log verified",
    "changes.verify": "Change record verified",
    "backup.written": "Backup written",
    "releaselog.export": "Release log exported",
    "releaselog.purge": "Release log entries purged",
}
ACTION_LABELS = {"create": "Created", "update": "Changed", "delete": "Deleted"}


def event_label(code: str) -> str:
    if code in EVENT_LABELS:
        return EVENT_LABELS[code]
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    prefix = code.split(".", 1)[0]
    return EVENT_LABELS.get(prefix, code.replace("_", " ").replace(".", ": "))


def record_event(
    event: str,
    *,
    agency_id: int | None = None,
    obj: Audited | None = None,
    message: str = "",
    actor: Actor | None = None,
) -> ChangeRecord:
    """Record something that is not a change: a sign-in, an unlock, an export, a
    view of a sensitive record. ``message`` must never hold secrets or full DOBs."""
    from accdesk.core.models import ChangeRecord

    actor = actor or current_actor()
    record = ChangeRecord(
        actor_id=actor.user_id,
        actor_label=actor.label,
        request_id=actor.request_id,
        agency_id=agency_id
        if agency_id is not None
        else (obj.audit_agency_id() if obj is not None else None),
        action=ChangeRecord.Action.EVENT,
        event=event,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=obj.audit_repr() if obj is not None else "",
        restricted=bool(obj is not None and obj.audit_restricted),
        message=message[:1000],
    )
    record.save()
    return record
