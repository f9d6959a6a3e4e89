"""The periodic jobs: what runs, and when (``SCHEDULE``).

Each is a plain function named by import path, run by the task ``run_periodic``
(``tasks.py``); ``scheduler.py`` enqueues each run exactly once. Jobs are named by
import path so that a job of an app still being written (the upload cleanup, the
change-record verify) is skipped cleanly until it exists.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import get_commands
from django.utils.module_loading import import_string

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
        "accdesk.personnel.worklistcache.store.rebuild_due",
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
