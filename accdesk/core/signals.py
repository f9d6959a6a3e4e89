"""Signal receivers that write the change record for every ``Audited`` model.

Signals are used for the audit trail only (style.md §8): workflows are called
explicitly. Whatever saves through the ORM -- pages, admin, commands, imports -- is
recorded here; bulk paths call ``record_changes`` themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from accdesk.core.audit import Audited, jsonable, record_change


@receiver(pre_save)
def _remember_before(
    sender: type, instance: Any, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not isinstance(instance, Audited) or instance._state.adding:
        instance._audit_before = None
        return
    row = (
        sender._base_manager.filter(pk=instance.pk)
        .values(*instance.audit_field_names())
        .first()
    )
    instance._audit_before = jsonable(row) if row is not None else None


@receiver(post_save)
def _record_save(
    sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not isinstance(instance, Audited):
        return
    before = getattr(instance, "_audit_before", None)
    if created:
        record_change(instance, "create", None, instance.snapshot())
    else:
        record_change(instance, "update", before, instance.snapshot())
    instance._audit_before = None


@receiver(post_delete)
def _record_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Audited):
        record_change(instance, "delete", instance.snapshot(), None)
