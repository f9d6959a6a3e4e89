"""The periodic jobs, and the scheduler that enqueues each run exactly once.

django-tasks has no scheduler. ``tick(now)`` -- called every half minute by each
``accdesk worker`` -- works out each job's current slot (the hour, or the day once
its hour has come) and, in one transaction, inserts a ``ScheduledRun(job, slot)``
row and enqueues ``run_periodic(job)``. The unique (job, slot) pair means a second
worker, or a restarted one, finds the row and enqueues nothing: each run is
enqueued once. A worker that was down catches up with one run of the latest slot,
not one per missed slot.

Jobs are named by import path so that a job of an app still being written (the
upload cleanup, the change-record verify) is skipped cleanly until it exists.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import get_commands
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from accdesk.jobs.models import ScheduledRun

logger = logging.getLogger(__name__)
HOURLY, DAILY = "hour", "day"


def importable(path: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            import_string(path)
        except ImportError:
            return False
        return True

    return check


def command_exists(name: str) -> Callable[[], bool]:
    return lambda: name in get_commands()


@dataclass(frozen=True)
class Periodic:
    name: str
    path: str  # a function called with no arguments
    every: str  # HOURLY or DAILY
    description: str
    at_hour: int = 0  # DAILY: the hour (installation time zone) it runs from
    available: Callable[[], bool] | None = field(default=None, compare=False)

    def is_available(self) -> bool:
        return (self.available or importable(self.path))()

    def slot(self, now: dt.datetime) -> str:
        """The latest slot that has started at ``now``."""
        if self.every == HOURLY:
            return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H")
        local = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        day = local.date() - dt.timedelta(days=1 if local.hour < self.at_hour else 0)
        return day.isoformat()


SCHEDULE = [
    Periodic(
        "reminders",
        "accdesk.deadlines.reminders.send_reminders",
        HOURLY,
        "E-mail the reminders whose day has come",
    ),
    Periodic(
        "digest",
        "accdesk.deadlines.reminders.send_digests",
        HOURLY,
        "E-mail the weekly digest once Monday 07:00 has passed where each agency is",
    ),
    Periodic(
        "upload-cleanup",
        "accdesk.agency.uploads.remove_stale_uploads",
        HOURLY,
        "Remove uploads left waiting for confirmation",
    ),
    Periodic(
        "releaselog-verify",
        "accdesk.releaselogs.jobs.verify_every_chain",
        DAILY,
        "Verify every agency's release-log hash chain; alert on failure",
        at_hour=2,
    ),
    Periodic(
        "changes-verify",
        "accdesk.jobs.integrity.verify_change_record",
        DAILY,
        "Verify the change record (`accdesk changes verify`); alert on failure",
        at_hour=3,
        available=command_exists("changes"),
    ),
    Periodic(
        "worklist-rebuild",
        "accdesk.worklistcache.store.rebuild_due",
        HOURLY,
        "Rebuild each agency's stored worklist after its midnight (or a change)",
    ),
    Periodic(
        "prune",
        "accdesk.jobs.housekeeping.prune",
        DAILY,
        "Remove finished job results and scheduled runs past their keeping period",
        at_hour=4,
    ),
]


def entry(name: str) -> Periodic:
    for periodic in SCHEDULE:
        if periodic.name == name:
            return periodic
    raise KeyError(f"no periodic job {name!r}")


_skipped: set[str] = set()


def tick(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every periodic job whose current slot has no run yet; returns the
    names enqueued by this call."""
    from accdesk.jobs.tasks import run_periodic

    now = now or timezone.now()
    enqueued = []
    for periodic in SCHEDULE:
        if not periodic.is_available():
            if periodic.name not in _skipped:
                logger.info("Periodic job %s skipped: not installed", periodic.name)
                _skipped.add(periodic.name)
            continue
        slot = periodic.slot(now)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    run = ScheduledRun.objects.create(job=periodic.name, slot=slot)
            except IntegrityError:  # another worker enqueued this run
                continue
            result = run_periodic.enqueue(periodic.name)
            run.result_id = str(result.id)
            run.save(update_fields=["result_id"])
        enqueued.append(periodic.name)
    return enqueued
