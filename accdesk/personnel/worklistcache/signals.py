"""What makes an agency's stored worklist stale: any change to what the rules read.

The inputs are named by app, not by model, so that a model added later to the
roster's app (hand entry, transfers, reviews) or to an app listed in
``settings.WORKLIST_SOURCES`` (agreements, terminals, incidents...) is covered
without knowing about the stored worklist:

- every ``post_save`` and ``post_delete`` of a model of those apps, and every
  change of one's many-to-many fields (an incident's people needing training);
- the bulk writes of imports, which bypass those signals but record their changes
  through ``audit.record_changes`` (every change is recorded, CJISSECPOL AU-2):
  that sends ``audit.changes_recorded``.

The agency is the record's own (``Audited.audit_agency_id``, else ``agency_id``);
a record of no known agency makes every agency's rows stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from accdesk.core.audit import changes_recorded

ROSTER_APP = "personnel"
OWN_APP = "worklistcache"


@cache
def _input_apps(sources: tuple[str, ...]) -> frozenset[str]:
    labels = {ROSTER_APP}
    for path in sources:
        config = apps.get_containing_app_config(path)
        if config is not None:
            labels.add(config.label)
    return frozenset(labels - {OWN_APP})


def is_input(model: type) -> bool:
    """Do the worklist's rules read this model (its app is an input)?"""
    return model._meta.app_label in _input_apps(tuple(settings.WORKLIST_SOURCES))


def _agency_id(instance: Any) -> int | None:
    own = getattr(instance, "audit_agency_id", None)
    if callable(own):
        return own()
    return getattr(instance, "agency_id", None)


def _changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or not is_input(sender):
        return
    from accdesk.personnel.worklistcache.store import mark_stale

    mark_stale({_agency_id(instance)})


def _related(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and is_input(type(instance)):
        _changed(type(instance), instance)


def _recorded(sender: Any, instances: Iterable[Any], **kwargs: Any) -> None:
    agencies = {_agency_id(i) for i in instances if is_input(type(i))}
    if agencies:
        from accdesk.personnel.worklistcache.store import mark_stale

        mark_stale(agencies)


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="worklistcache.saved")
    post_delete.connect(_changed, dispatch_uid="worklistcache.deleted")
    m2m_changed.connect(_related, dispatch_uid="worklistcache.related")
    changes_recorded.connect(_recorded, dispatch_uid="worklistcache.recorded")
