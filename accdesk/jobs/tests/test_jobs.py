"""Background jobs: the schedule enqueues each run once however many workers
tick; a failed job is retried (bounded) and shown on the admin's Jobs page; the
nightly release-log verify alerts the ACC and SPOC."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail as outbox
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from accdesk import testing
from accdesk.jobs import schedule
from accdesk.jobs.models import Alert, Job, ScheduledRun
from accdesk.jobs.schedule import DAILY, HOURLY, Periodic
from accdesk.jobs.scheduler import tick
from accdesk.jobs.tasks import job

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 7, 16, 30, tzinfo=dt.UTC)  # Monday, 08:30 in California
CALLS: list[str] = []


def count_call() -> int:
    CALLS.append("called")
    return len(CALLS)


def always_fails() -> None:
    raise RuntimeError("the mail server said no")


@job(retries=2)
def failing_job() -> None:
    always_fails()


@pytest.fixture
def only_these(monkeypatch):
    def use(*entries: Periodic) -> None:
        monkeypatch.setattr(schedule, "SCHEDULE", list(entries))

    CALLS.clear()
    return use


def run_worker() -> None:
    """``accdesk worker --batch``: tick, then run every ready job, then exit. Its
    tests are transactional: the worker closes connections between jobs, which a
    test's wrapping transaction would not survive (on PostgreSQL)."""
    call_command("worker", "--batch", stdout=io.StringIO())


def test_two_workers_ticking_in_the_same_hour_enqueue_one_run(only_these):
    only_these(Periodic("count", f"{__name__}.count_call", HOURLY, "count"))

    assert tick(NOW) == ["count"]
    assert tick(NOW + dt.timedelta(minutes=10)) == []  # the other worker
    assert tick(NOW + dt.timedelta(hours=1)) == ["count"]  # the next slot
    assert ScheduledRun.objects.count() == 2


@pytest.mark.django_db(transaction=True)  # the worker manages connections
def test_two_workers_run_the_job_once(only_these):
    only_these(Periodic("count", f"{__name__}.count_call", HOURLY, "count"))

    with time_machine.travel(NOW, tick=False):
        run_worker()
        run_worker()

    assert CALLS == ["called"]
    assert DBTaskResult.objects.successful().count() == 1


def test_a_daily_job_runs_once_its_hour_has_come():
    nightly = Periodic("n", "x.y", DAILY, "n", at_hour=2)
    before = dt.datetime(2026, 12, 7, 9, 59, tzinfo=dt.UTC)  # 01:59 in California
    after = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)  # 02:00

    assert nightly.slot(before) == "2026-12-06"
    assert nightly.slot(after) == "2026-12-07"


def test_a_job_that_is_not_installed_yet_is_skipped(only_these):
    only_these(
        Periodic("later", "accdesk.agency.uploads.not_written_yet", HOURLY, "later"),
        Periodic("count", f"{__name__}.count_call", HOURLY, "count"),
    )

    assert tick(NOW) == ["count"]


def test_the_upload_cleanup_and_change_record_verify_wait_for_their_code():
    names = {p.name: p for p in schedule.SCHEDULE}

    assert names["upload-cleanup"].path == "accdesk.agency.uploads.remove_stale_uploads"
    assert names["changes-verify"].is_available() == (
        "changes" in __import__("django.core.management").core.management.get_commands()
    )


@pytest.mark.django_db(transaction=True)  # the worker manages connections
def test_a_failed_job_is_retried_a_bounded_number_of_times(only_these):
    only_these()
    failing_job.enqueue()
    for minutes in (0, 2, 7, 40, 200):
        with time_machine.travel(NOW + dt.timedelta(minutes=minutes), tick=False):
            call_command("worker", "--batch", stdout=io.StringIO())

    failed = DBTaskResult.objects.failed()
    assert failed.count() == 3  # the first attempt and two retries
    assert not DBTaskResult.objects.ready().exists()
    assert all("the mail server said no" in r.traceback for r in failed)


@pytest.mark.django_db(transaction=True)  # the worker manages connections
def test_the_jobs_page_shows_the_error(only_these):
    only_these()
    failing_job.enqueue()
    with time_machine.travel(NOW, tick=False):
        call_command("worker", "--batch", stdout=io.StringIO())
    root = testing.make_user("root@example.test", is_superuser=True, is_staff=True)
    admin = testing.signed_in_client(root)

    html = admin.get("/admin/jobs/job/").content.decode()

    assert "failing_job" in html
    assert "RuntimeError: the mail server said no" in html
    assert Job.objects.count() == 2  # the failure, and its retry waiting


def test_a_broken_release_log_alerts_the_acc_and_spoc_and_shows_a_banner(
    agency, alice, sam, vera, as_alice, as_vera
):
    from accdesk.releaselogs.jobs import verify_every_chain
    from accdesk.releaselogs.tests import tamper

    entry = testing.make_release_entry(agency)
    testing.make_release_entry(agency)
    assert verify_every_chain() == {"agencies": 1, "broken": 0}
    tamper.update_entry(entry, requestor_name="Someone Else")

    assert verify_every_chain()["broken"] == 1
    verify_every_chain()  # the next night: still open, not e-mailed again

    (message,) = outbox.outbox
    assert sorted(message.to) == sorted([alice.email, sam.email])
    assert "release log" in message.subject.lower()
    assert "Someone Else" not in message.body
    assert Alert.objects.filter(closed_at__isnull=True).count() == 1
    banner = 'class="integrity-banner"'
    assert banner in as_alice.get(f"/a/{agency.ori}/").content.decode()
    assert banner not in as_vera.get(f"/a/{agency.ori}/").content.decode()


def stopped_mid_job() -> None:
    raise SystemExit(1)  # what a second Ctrl-C raises inside a running job


@job(retries=1)
def interrupted_job() -> None:
    stopped_mid_job()


@pytest.mark.django_db(transaction=True)  # the worker manages connections
def test_a_job_stopped_mid_way_is_enqueued_again(only_these):
    only_these()
    interrupted_job.enqueue()
    with time_machine.travel(NOW, tick=False):
        run_worker()

    (retry,) = DBTaskResult.objects.filter(status="READY")  # due in a minute
    assert retry.task_path.endswith("interrupted_job")
    assert retry.args_kwargs["kwargs"] == {"_attempt": 2}
