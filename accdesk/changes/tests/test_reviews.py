"""The weekly review of the change record (AU-6): recorded by the SPOC or ACC for
whole ended weeks, Monday to Sunday; a reviewed week is no longer due."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accdesk.changes.deadlines import audit_log_review
from accdesk.changes.models import AuditLogReview

pytestmark = pytest.mark.django_db
THURSDAY = dt.datetime(2026, 12, 17, 18, tzinfo=dt.UTC)


@pytest.fixture
def three_weeks_old(agency):
    """Added to ACC Desk on Monday, November 30; today is Thursday, December 17."""
    agency.created_at = dt.datetime(2026, 11, 30, 18, tzinfo=dt.UTC)
    agency.save(update_fields=["created_at"])
    with time_machine.travel(THURSDAY, tick=False):
        yield agency


def due(agency):
    return {
        d.date: d.status
        for d in audit_log_review(agency, dt.date(2026, 1, 1), dt.date(2027, 1, 31))
    }


def test_each_week_is_due_the_monday_after_it(three_weeks_old):
    assert due(three_weeks_old) == {
        dt.date(2026, 12, 7): "overdue",
        dt.date(2026, 12, 14): "overdue",
        dt.date(2026, 12, 21): "upcoming",  # this week, begun
    }


def test_the_spoc_records_a_review_of_two_weeks(three_weeks_old, as_sam, sam):
    url = f"/a/{three_weeks_old.ori}/changes/reviews/"
    response = as_sam.post(
        url,
        {"period_start": "2026-11-30", "period_end": "2026-12-13", "notes": "ok"},
    )

    assert response.status_code == 302
    review = AuditLogReview.objects.get()
    assert review.reviewed_by == sam
    assert review.reviewed_on == dt.date(2026, 12, 17)
    assert due(three_weeks_old) == {dt.date(2026, 12, 21): "upcoming"}
    assert "Reviewed" in as_sam.get(url).content.decode()


@pytest.mark.parametrize(
    "start, end, error",
    [
        ("2026-12-01", "2026-12-06", "starts on a Monday"),
        ("2026-11-30", "2026-12-05", "ends on a Sunday"),
        ("2026-12-14", "2026-12-20", "once it has ended"),
        ("2026-12-07", "2026-11-29", "ends before it starts"),
    ],
)
def test_a_review_period_is_whole_ended_weeks(
    three_weeks_old, as_sam, start, end, error
):
    response = as_sam.post(
        f"/a/{three_weeks_old.ori}/changes/reviews/",
        {"period_start": start, "period_end": end},
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not AuditLogReview.objects.exists()


def test_a_viewer_cannot_see_or_record_reviews(three_weeks_old, as_vera):
    url = f"/a/{three_weeks_old.ori}/changes/reviews/"

    assert as_vera.get(url).status_code == 403
    assert as_vera.post(url, {}).status_code == 403
