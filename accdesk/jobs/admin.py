"""The admin's "Jobs" page: every background job with its state, attempt and
error, and a "Run again" action (jobs are safe to run twice)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from accdesk.jobs.models import Job, ScheduledRun
from accdesk.jobs.tasks import ATTEMPT

admin.site.unregister(DBTaskResult)  # shown as "Jobs" below instead


@admin.register(Job)
class JobAdmin(DBTaskResultAdmin):
    list_display = (
        "job",
        "status",
        "attempt",
        "enqueued_at",
        "started_at",
        "finished_at",
        "error",
    )
    list_filter = ("status", "queue_name")
    actions = ["run_again"]

    @admin.display(description="job")
    def job(self, obj: Job) -> str:
        args = obj.args_kwargs.get("args") or []
        name = obj.task_name
        return f"{name}: {args[0]}" if name == "run_periodic" and args else name

    @admin.display(description="attempt")
    def attempt(self, obj: Job) -> int:
        return int(obj.args_kwargs.get("kwargs", {}).get(ATTEMPT, 1))

    @admin.display(description="error")
    def error(self, obj: Job) -> str:
        if not obj.traceback:
            return ""
        return obj.traceback.strip().splitlines()[-1][:200]

    @admin.action(description="Run again", permissions=["view"])
    def run_again(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        for result in queryset:
            kwargs = dict(result.args_kwargs.get("kwargs", {}))
            kwargs.pop(ATTEMPT, None)
            result.task.using(run_after=None).enqueue(
                *result.args_kwargs.get("args", []), **kwargs
            )
        messages.success(request, f"{queryset.count()} job(s) enqueued again.")


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ("job", "slot", "enqueued_at", "result_id")
    list_filter = ("job",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
