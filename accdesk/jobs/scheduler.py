"""The scheduler that enqueues each periodic run (``schedule.SCHEDULE``) exactly once.

django-tasks has no scheduler. ``tick(now)`` -- called every half minute by each
``accdesk worker`` -- works out each job's current slot (the hour, or the day once
its hour has come) and, in one transaction, inserts a ``ScheduledRun(job, slot)``
row and enqueues ``run_periodic(job)``. The unique (job, slot) pair means a second
worker, or a restarted one, finds the row and enqueues nothing: each run is
enqueued once. A worker that was down catches up with one run of the latest slot,
not one per missed slot.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from accdesk.jobs import schedule
from accdesk.jobs.models import ScheduledRun
from accdesk.jobs.tasks import run_periodic

logger = logging.getLogger(__name__)

_skipped: set[str] = set()


def tick(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every periodic job whose current slot has no run yet; returns the
    names enqueued by this call."""
    now = now or timezone.now()
    enqueued = []
    for periodic in schedule.SCHEDULE:
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
