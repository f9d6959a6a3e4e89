"""Background jobs: django-tasks ``Task``s that are retried when they fail.

Define a job with ``@job()`` on a module-level function whose arguments are JSON
values (ids, not model instances), and enqueue it from anywhere -- a view, a
command -- with ``my_job.enqueue(...)``: the call returns at once and the worker
(``accdesk worker``) runs it. A failed attempt is kept, with its error, on the
admin's Jobs page, and the job is enqueued again after a delay, up to
``settings.JOB_RETRIES`` times. Jobs must be safe to run again: a worker stopped
in the middle of one leaves it to be retried or run by the next slot.

Periodic jobs are not tasks of their own: ``schedule.py`` names plain functions by
import path and ``run_periodic`` calls them.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskContext, task

from accdesk.core.actor import acting_as
from accdesk.jobs.schedule import entry

logger = logging.getLogger(__name__)
ATTEMPT = "_attempt"  # the keyword argument that carries the attempt number


def retry_delay(attempt: int) -> dt.timedelta:
    """1, 5, 25... minutes: long enough for a mail server or a lock to come back."""
    return dt.timedelta(minutes=5 ** (attempt - 1))


def job(*, retries: int | None = None, **task_options: Any) -> Callable:
    """Make ``function`` a django-tasks ``Task`` that runs as ``job:<name>`` in the
    change record and is retried (bounded) when it fails."""

    def decorate(function: Callable[..., Any]) -> Any:
        @functools.wraps(function)
        def run(context: TaskContext, *args: Any, **kwargs: Any) -> Any:
            attempt = kwargs.pop(ATTEMPT, 1)
            limit = settings.JOB_RETRIES if retries is None else retries
            try:
                with acting_as(f"job:{_label(function, args)}"):
                    return _jsonable(function(*args, **kwargs))
            except BaseException:
                # Also when the worker is forced to stop mid-job (a second Ctrl-C
                # raises SystemExit here): the job is enqueued again.
                if attempt <= limit:
                    later = timezone.now() + retry_delay(attempt)
                    context.task_result.task.using(run_after=later).enqueue(
                        *args, **kwargs, **{ATTEMPT: attempt + 1}
                    )
                    logger.warning(
                        "Job %s failed (attempt %d of %d): retrying at %s",
                        function.__name__,
                        attempt,
                        limit + 1,
                        later.isoformat(timespec="seconds"),
                    )
                raise

        # django-tasks reads the signature: it must be run's (context first), not
        # the wrapped function's.
        del run.__wrapped__
        return task(takes_context=True, **task_options)(run)

    return decorate


def _label(function: Callable[..., Any], args: tuple[Any, ...]) -> str:
    if function.__name__ == "run_periodic" and args:
        return str(args[0])
    return function.__name__


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    return str(value)


@job()
def run_periodic(name: str) -> Any:
    """Run the periodic job ``name`` of ``schedule.SCHEDULE``."""
    return import_string(entry(name).path)()
