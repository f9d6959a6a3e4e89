"""Background jobs' own records: which periodic runs were enqueued, the admin's
view of the jobs, and the alerts of failed nightly integrity checks."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accdesk.agency.models import Agency
from accdesk.core.audit import Audited


class ScheduledRun(models.Model):
    """One run of a periodic job for one slot (an hour, a day). django-tasks has no
    scheduler; ``scheduler.tick`` inserts this row and enqueues the job in one
    transaction, and the unique (job, slot) pair makes a second worker -- or a
    restarted one -- skip a run that is already enqueued."""

    job = models.CharField(max_length=64)
    slot = models.CharField(max_length=32)
    enqueued_at = models.DateTimeField(default=timezone.now)
    result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-enqueued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.slot}"


class Job(DBTaskResult):
    """django-tasks-db's task results, as the admin's "Jobs" page shows them."""

    class Meta:
        proxy = True
        verbose_name = "job"
        verbose_name_plural = "jobs"


class Alert(Audited):
    """A failed nightly integrity check (the release log's hash chain, the change
    record's): open until the check passes again. While open, the ACC and SPOC
    see a red banner on every page of the agency (all agencies when ``agency`` is
    empty: the change record is the installation's); it was e-mailed to them when
    it opened."""

    name = models.CharField("check", max_length=32)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField(max_length=500)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "agency"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_alert_per_check_and_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"
