"""What's due tests run on Thursday 2026-12-03, 10:00 in Los Angeles (18:00 UTC),
whatever the machine's clock and zone; ``scenario`` has one open deadline of each
kind the apps report today."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accdesk import testing
from accdesk.agency import notices
from accdesk.investigations.reporting import record_sent

NOW = dt.datetime(2026, 12, 3, 18, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 3)
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def clock():
    """The frozen clock; ``clock.move_to(moment)`` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def operator(agency, first, last, **person):
    """An operator who meets every rule (as ``make_eligible_operator``), with no
    training yet: the test gives the training it needs."""
    person = testing.make_person(agency, first_name=first, last_name=last, **person)
    account = testing.make_account(agency, person)
    testing.make_check(person, check_type="state")
    testing.make_check(person, check_type="fbi")
    testing.make_signed_form(person)
    # Initial CLETS training (a full-access operator needs it within 6 months).
    testing.make_training(
        person,
        course="clets_full_initial",
        level="",
        completed_date=account.created_date,
    )
    return person, account


@pytest.fixture
def scenario(agency, alice):
    """One deadline of each kind, at the boundaries:

    - Jordan Smith's NexTEST expired yesterday (overdue), so his account is due
      for deactivation a week after it (upcoming);
    - Avery Jones's security awareness training expires today (due today);
    - Casey Brown's reinvestigation is due in 10 days (upcoming);
    - Riley Green separated 3 days ago with an active account (overdue);
    - the 2025 misuse report is overdue since February 1; 2026's is upcoming;
    - the telephone changed 40 days ago: a DOJ notice, due and never overdue;
    - this week's review of the change record is due on Monday.
    """
    smith, smith_account = operator(agency, "Jordan", "Smith")
    testing.make_training(smith)
    testing.make_certification(smith_account, expiration_date=TODAY - DAY)
    jones, jones_account = operator(agency, "Avery", "Jones")
    testing.make_training(jones, expiration_date=TODAY)
    testing.make_certification(jones_account)
    brown = testing.make_person(agency, first_name="Casey", last_name="Brown")
    decided = TODAY.replace(year=TODAY.year - 5) + 10 * DAY
    testing.make_check(brown, check_type="state", decided=decided)
    testing.make_check(brown, check_type="fbi", decided=decided)
    testing.make_training(brown)
    testing.make_signed_form(brown)
    green, _ = operator(
        agency,
        "Riley",
        "Green",
        employment_status="separated",
        separation_date=TODAY - 3 * DAY,
    )
    notices.update_profile(agency, {"phone": "(555) 010-9999"}, TODAY - 40 * DAY)
    return {"smith": smith, "jones": jones, "brown": brown, "green": green}


@pytest.fixture
def crowded(agency, scenario):
    """``scenario``, and eleven operators whose training expires on the same day,
    in 5 days, whose names (Sz Aster, Sy Bster...) sort the other way round from
    their subjects (S. Aster, S. Bster...): the panel's first items of that day are
    the page's (by title and subject), not the worklist's order (by name)."""
    for n, letter in enumerate("ABCDEFGHIJK"):
        person, account = operator(agency, "S" + "zyxwvutsrqp"[n], f"{letter}ster")
        testing.make_training(person, expiration_date=TODAY + 5 * DAY)
        testing.make_certification(account)
    return scenario


@pytest.fixture
def quiet(agency, alice):
    """An agency with nothing open but what a test adds: last year's misuse report
    sent, this week's change-record review done."""
    from accdesk.changes.models import AuditLogReview

    record_sent(agency, 2025, sent_on=dt.date(2026, 1, 20), by=alice)
    AuditLogReview.objects.create(
        agency=agency,
        period_start=dt.date(2026, 11, 30),
        period_end=dt.date(2026, 12, 6),
        reviewed_by=alice,
        reviewed_on=TODAY,
    )
    return agency
