"""Finished jobs are kept a while for the Jobs page, then removed (they hold no
records of the agency: those are in the change record)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accdesk.jobs.models import ScheduledRun

KEEP_SUCCESSFUL = dt.timedelta(days=30)
KEEP_FAILED = dt.timedelta(days=90)


def prune(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    removed, _ = (
        DBTaskResult.objects.successful()
        .filter(finished_at__lt=now - KEEP_SUCCESSFUL)
        .delete()
    )
    failed, _ = (
        DBTaskResult.objects.failed().filter(finished_at__lt=now - KEEP_FAILED).delete()
    )
    runs, _ = ScheduledRun.objects.filter(enqueued_at__lt=now - KEEP_FAILED).delete()
    return removed + failed + runs
