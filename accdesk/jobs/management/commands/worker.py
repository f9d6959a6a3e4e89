"""Run the background jobs: ``accdesk worker [--batch]``.

One process does both halves: django-tasks-db's worker runs the jobs in the
database queue (no broker), and a scheduler thread enqueues the periodic jobs
(``jobs/schedule.py``) every half minute -- each run once, however many workers
there are. Ctrl-C or SIGTERM lets the running job finish, then stops; a second
Ctrl-C stops at once (the job is retried). ``--batch`` enqueues what is due, runs
every job that is ready, and exits (for cron, or a test).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management.base import CommandParser
from django.db import connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from accdesk.core.command import OperatorCommand
from accdesk.jobs.scheduler import tick

logger = logging.getLogger("accdesk.jobs")
TICK_SECONDS = 30


class Command(OperatorCommand):
    help = "Run background jobs and the periodic schedule (reminders, digest, checks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="enqueue the periodic jobs that are due, run every ready job, exit",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds between looks at the queue when it is empty (default 1)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(
            queue_names=["default"],
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if options["batch"]:
            tick()
            worker.run()
            return
        stop = threading.Event()
        threading.Thread(
            target=_schedule_loop, args=(stop,), name="scheduler", daemon=True
        ).start()
        self.stdout.write("Worker started: running jobs and the periodic schedule.")
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()


def _schedule_loop(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            enqueued = tick()
            if enqueued:
                logger.info("Enqueued periodic jobs: %s", ", ".join(enqueued))
        except Exception:  # keep scheduling: the next tick retries
            logger.exception("The periodic schedule failed to enqueue")
        finally:
            connections.close_all()
        stop.wait(TICK_SECONDS)
