"""E-mail reminders and the digest, with Django's locmem backend (issue 16): sent on
their day, once -- over two scans, and while another worker is sending."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail as outbox

from accdesk import testing
from accdesk.core.models import ChangeRecord
from accdesk.deadlines import reminders
from accdesk.deadlines.models import ReminderPreference, ReminderSettings, SentReminder
from accdesk.deadlines.reminders import send_digests, send_reminders
from accdesk.deadlines.tests.conftest import DAY, NOW, TODAY, operator
from accdesk.lib.deadlines import KINDS

pytestmark = pytest.mark.django_db


PACIFIC = dt.timezone(-dt.timedelta(hours=8))  # December in Los Angeles


@pytest.fixture
def at(clock):
    """``at(day, hour)``: move the clock to ``hour`` o'clock on ``day`` in Los
    Angeles (the test agency's zone), and return that moment."""

    def move(day: dt.date, hour: int = 10) -> dt.datetime:
        moment = dt.datetime.combine(day, dt.time(hour), tzinfo=PACIFIC)
        clock.move_to(moment)
        return moment

    return move


def bodies(message) -> str:
    return message.body + "".join(content for content, _ in message.alternatives)


def only(membership, *kinds: str, **choices) -> ReminderPreference:
    """The member gets reminders of ``kinds`` only."""
    choices.setdefault("days_before", [7])
    return ReminderPreference.objects.create(
        membership=membership,
        kinds_off=[k for k in KINDS if k not in kinds],
        **choices,
    )


@pytest.fixture
def expiring_training(quiet):
    """Avery Jones's training expires in 10 days; the ACC gets training reminders
    7 days before and on the day."""
    jones, account = operator(quiet, "Avery", "Jones")
    testing.make_certification(account)
    testing.make_training(jones, expiration_date=TODAY + 10 * DAY)
    only(quiet.memberships.get(role="acc"), "training_expiry")
    return TODAY + 10 * DAY


def test_a_reminder_is_sent_on_its_day_and_not_twice(expiring_training, alice, at):
    due = expiring_training

    assert send_reminders(at(due - 8 * DAY)) == 0
    assert send_reminders(at(due - 7 * DAY)) == 1
    assert send_reminders(at(due - 7 * DAY, hour=11)) == 0  # the next hourly scan
    assert send_reminders(at(due - 6 * DAY)) == 0

    (message,) = outbox.outbox
    assert message.to == [alice.email]
    assert "Security awareness training expires (A. Jones)" in message.subject
    assert "due in 7 days" in message.body
    assert "Avery" not in bodies(message)
    assert message.alternatives[0][1] == "text/html"
    assert (
        f"/roster/people/{message.body.split('/roster/people/')[1].split('/')[0]}/"
        in bodies(message)
    )


def test_the_due_day_and_overdue_reminders_follow(expiring_training, alice, at):
    due = expiring_training
    for day in range(-7, 15):  # to two weeks after the date
        send_reminders(at(due + day * DAY))

    # (Other duties come due meanwhile: unreviewed weeks, the deactivation that
    # the expired training calls for. Only the training's reminders are counted.)
    said = [
        line.strip()
        for m in outbox.outbox
        for line in m.body.split("- Security awareness training expire")[1:]
    ]
    assert len(said) == 4, said
    assert "due in 7 days" in said[0]
    assert "due today" in said[1]
    assert "overdue since" in said[2]  # the day after
    assert "overdue since" in said[3]  # a week later
    triggers = sorted(
        SentReminder.objects.filter(kind="training_expiry").values_list(
            "trigger", flat=True
        )
    )
    assert triggers == [
        "before:7",
        "due",
        f"overdue:{due + DAY}",
        f"overdue:{due + 8 * DAY}",
    ]


def test_a_second_worker_sending_at_the_same_time_sends_nothing(
    expiring_training, monkeypatch, at
):
    due = expiring_training
    real_send = reminders.mail.send
    second: list[int] = []

    def send_while_another_worker_scans(*args, **kwargs):
        # The first worker has claimed its reminders and is talking to the mail
        # server: a second worker's scan now must find them taken.
        if not second:
            second.append(send_reminders(at(due - 7 * DAY)))
        real_send(*args, **kwargs)

    monkeypatch.setattr(reminders.mail, "send", send_while_another_worker_scans)

    assert send_reminders(at(due - 7 * DAY)) == 1
    assert second == [0]
    assert len(outbox.outbox) == 1


def test_a_failed_send_is_sent_by_the_retry(expiring_training, monkeypatch, at):
    due = expiring_training
    real_send = reminders.mail.send

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(reminders.mail, "send", broken)
    with pytest.raises(ConnectionRefusedError):
        send_reminders(at(due - 7 * DAY))
    assert not SentReminder.objects.exists()

    monkeypatch.setattr(reminders.mail, "send", real_send)
    assert send_reminders(at(due - 7 * DAY, hour=11)) == 1


def test_every_send_is_in_the_change_record(expiring_training, alice, quiet, at):
    send_reminders(at(expiring_training - 7 * DAY))

    record = ChangeRecord.objects.get(event="mail.reminder")
    assert record.agency_id == quiet.pk
    assert alice.email in record.message
    assert "training_expiry" in record.message
    assert "Jones" not in record.message


def test_a_member_who_opts_out_of_a_kind_gets_none_of_it(expiring_training, alice, at):
    ReminderPreference.objects.filter(membership__user=alice).update(
        kinds_off=list(KINDS)
    )

    for day in range(-7, 1):
        send_reminders(at(expiring_training + day * DAY))

    assert outbox.outbox == []


def test_the_acc_always_gets_overdue_items(quiet, alice, sam, at):
    """Even owned by the SPOC, even with every kind opted out."""
    ReminderPreference.objects.create(
        membership=quiet.memberships.get(user=alice),
        kinds_off=list(KINDS),
        overdue_weekly=False,
    )
    only(quiet.memberships.get(user=sam), "training_expiry")  # not the review
    # Last week's review was never recorded: overdue since Monday.
    from accdesk.changes.models import AuditLogReview

    AuditLogReview.objects.all().delete()
    quiet.created_at = NOW - 14 * DAY
    quiet.save(update_fields=["created_at"])

    send_reminders(at(TODAY))

    assert [m.to for m in outbox.outbox] == [[alice.email]]
    assert "Review the change record" in outbox.outbox[0].body
    assert "overdue since" in outbox.outbox[0].body


def test_the_agency_defaults_apply_to_members_without_their_own(
    expiring_training, alice, quiet, at
):
    ReminderPreference.objects.all().delete()
    ReminderSettings.objects.create(
        agency=quiet,
        kinds_off=[k for k in KINDS if k != "training_expiry"],
        days_before=[3],
    )

    send_reminders(at(expiring_training - 7 * DAY))
    assert outbox.outbox == []
    send_reminders(at(expiring_training - 3 * DAY))
    assert len(outbox.outbox) == 1


def test_a_duty_dated_today_every_day_is_reminded_once_a_week(quiet, alice, at):
    """No fingerprint clearance with an active account: deactivate today."""
    person = testing.make_person(quiet, first_name="Lee", last_name="Fischer")
    account = testing.make_account(quiet, person)
    testing.make_certification(account)
    testing.make_training(
        person,
        course="clets_full_initial",
        level="",
        completed_date=account.created_date,
    )
    only(quiet.memberships.get(user=alice), "deactivation_due")

    sent = [send_reminders(at(TODAY + n * DAY)) for n in range(9)]

    assert sent == [1, 0, 0, 0, 0, 0, 0, 1, 0]


# -- The digest --------------------------------------------------------------------

MONDAY = dt.date(2026, 12, 7)


def test_the_digest_goes_out_after_monday_7am_once(agency, scenario, alice, sam, at):
    assert send_digests(at(MONDAY, hour=6)) == 0
    sent = send_digests(at(MONDAY, hour=7))
    again = send_digests(at(MONDAY, hour=8))

    assert (sent, again) == (2, 0)
    by_recipient = {m.to[0]: m for m in outbox.outbox}
    acc = by_recipient[alice.email]
    assert "week of Dec 7" in acc.subject
    text = acc.body
    overdue, ahead = text.split("DUE IN THE NEXT 30 DAYS")
    assert "NexTEST expired -- J. Smith" in overdue
    assert "Misuse report for 2025 to DOJ" in overdue
    assert "Notify DOJ: Agency telephone" in ahead  # due, never overdue
    assert "Background reinvestigation due -- C. Brown" in ahead
    assert "2026 report" not in text  # due February 1: beyond 30 days
    # The SPOC owns only the weekly review.
    spoc = by_recipient[sam.email].body
    assert "Review the change record for the week of Nov 30" in spoc
    assert "NexTEST" not in spoc


def test_a_member_may_turn_the_digest_off(agency, scenario, alice, at):
    ReminderPreference.objects.create(
        membership=agency.memberships.get(user=alice), digest=False
    )

    assert send_digests(at(MONDAY, hour=9)) == 0


# -- What a message may say ----------------------------------------------------------


def test_no_date_of_birth_or_query_subject_in_any_message_of_the_demo_agency(at):
    from accdesk.demo import loaders
    from accdesk.personnel.models import Person, SystemAccount
    from accdesk.querylogs import demo as querylog_demo

    agency = loaders.load().agency
    today = agency.today()
    operators = list(
        SystemAccount.objects.filter(agency=agency).values_list(
            "operator_id", "employee_id"
        )
    )
    rows = querylog_demo._rows(agency, today, operators)
    secrets = {r["subject_name"] for r in rows} | {
        r["subject_dob"] for r in rows if r["subject_dob"]
    }
    secrets |= {part for r in rows for part in r["subject_name"].split(",")}
    for first, last in Person.objects.filter(agency=agency).values_list(
        "first_name", "last_name"
    ):
        secrets |= {f"{first} {last}", f"{last}, {first}", f"{last},{first}"}
    secrets = {s for s in secrets if len(s) > 3}

    for week in range(6):
        moment = at(today + 7 * week * DAY, hour=9)
        send_reminders(moment)
        send_digests(moment)

    assert len(outbox.outbox) > 5
    for message in outbox.outbox:
        text = message.subject + bodies(message)
        leaked = sorted(s for s in secrets if s in text)
        assert not leaked, (message.subject, leaked[:5])


@pytest.mark.django_db(transaction=True)
def test_two_workers_scanning_at_once_send_each_reminder_once(quiet, alice, at):
    """Real concurrency needs a database server: on PostgreSQL two threads scan at
    the same moment; the unique ledger lets one of them send."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite tests share one file)")
    jones, account = operator(quiet, "Avery", "Jones")
    testing.make_certification(account)
    testing.make_training(jones, expiration_date=TODAY + 7 * DAY)
    only(quiet.memberships.get(role="acc"), "training_expiry")
    moment = at(TODAY)
    start = threading.Barrier(2)
    sent: list[int] = []

    def worker() -> None:
        try:
            start.wait()
            sent.append(send_reminders(moment))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(sent) == [0, 1]
    assert len(outbox.outbox) == 1
