import datetime as dt

from accdesk.lib.deadlines import DUE_TODAY, OVERDUE, UPCOMING, status_on

TODAY = dt.date(2026, 12, 3)


def test_a_date_before_today_is_overdue():
    assert status_on(TODAY - dt.timedelta(days=1), TODAY) == OVERDUE


def test_today_is_due_today_and_tomorrow_upcoming():
    assert status_on(TODAY, TODAY) == DUE_TODAY
    assert status_on(TODAY + dt.timedelta(days=1), TODAY) == UPCOMING


def test_a_duty_that_cannot_be_overdue_stays_due():
    assert status_on(TODAY - dt.timedelta(days=30), TODAY, can_be_overdue=False) == (
        DUE_TODAY
    )
