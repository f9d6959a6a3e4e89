"""The annual account review (AC-2(j), AC-6(7)): when it is due, the review pages,
the dashboard panel and the ``account_review`` deadline."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command

from accdesk import testing
from accdesk.core.audit import record_event
from accdesk.core.models import ChangeRecord
from accdesk.deadlines.registry import SOURCES
from accdesk.personnel import deadlines, reviews
from accdesk.personnel.models import AccessChange, AccountReview, SystemAccount

pytestmark = pytest.mark.django_db


def _completed(agency, on):
    return AccountReview.objects.create(
        agency=agency,
        started_on=on,
        started_by="alice@alpha.test",
        completed_on=on,
        signed_off_by="alice@alpha.test",
    )


def test_nothing_is_due_before_any_account(agency, frozen_today):
    status = reviews.review_status(agency)
    assert status.due is None and not status.overdue
    assert (
        deadlines.account_review(agency, dt.date(2000, 1, 1), dt.date(2100, 1, 1)) == []
    )


def test_none_completed_due_12_months_after_the_first_account_import(agency):
    with time_machine.travel(dt.datetime(2025, 3, 10, 18, tzinfo=dt.UTC), tick=False):
        record_event("import.accounts", agency_id=agency.pk, message="accounts.csv")
    status = reviews.review_status(agency, dt.date(2026, 3, 10))
    assert status.first_import == dt.date(2025, 3, 10)
    assert status.due == dt.date(2026, 3, 10)
    assert "first account import" in status.basis
    assert not reviews.review_status(agency, dt.date(2026, 3, 10)).overdue
    assert reviews.review_status(agency, dt.date(2026, 3, 11)).overdue


def test_the_import_date_is_the_agencys_date(agency):
    # 03:00 UTC on March 11 is still March 10 in California.
    with time_machine.travel(dt.datetime(2025, 3, 11, 3, tzinfo=dt.UTC), tick=False):
        record_event("import.accounts", agency_id=agency.pk, message="accounts.csv")
    assert reviews.first_account_import(agency) == dt.date(2025, 3, 10)


def test_an_account_entered_by_hand_counts_as_the_first(agency):
    with time_machine.travel(dt.datetime(2025, 5, 1, 18, tzinfo=dt.UTC), tick=False):
        testing.make_account(agency)
    assert reviews.first_account_import(agency) == dt.date(2025, 5, 1)


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (dt.date(2026, 6, 14), False),  # the day before 12 months
        (dt.date(2026, 6, 15), False),  # exactly 12 months: due today
        (dt.date(2026, 6, 16), True),  # more than 12 months old
    ],
)
def test_overdue_when_the_last_completed_review_is_over_12_months_old(
    agency, today, overdue
):
    record_event("import.accounts", agency_id=agency.pk)
    _completed(agency, dt.date(2024, 6, 15))
    _completed(agency, dt.date(2025, 6, 15))
    status = reviews.review_status(agency, today)
    assert status.due == dt.date(2026, 6, 15)
    assert status.overdue is overdue


def test_an_open_review_does_not_count_as_completed(agency, frozen_today):
    _completed(agency, dt.date(2025, 1, 10))
    AccountReview.objects.create(
        agency=agency, started_on=frozen_today, started_by="alice@alpha.test"
    )
    status = reviews.review_status(agency)
    assert status.due == dt.date(2026, 1, 10) and status.overdue
    assert status.open_review is not None


def test_the_deadline_is_in_the_registry(agency, frozen_today):
    assert any(s.deadlines is deadlines.account_review for s in SOURCES)
    _completed(agency, dt.date(2025, 6, 1))
    (deadline,) = deadlines.account_review(agency, dt.date(2000, 1, 1), frozen_today)
    assert (deadline.kind, deadline.date, deadline.status) == (
        "account_review",
        dt.date(2026, 6, 1),
        "overdue",
    )
    assert deadline.url == f"/a/{agency.ori}/roster/reviews/"
    assert deadlines.account_review(agency, dt.date(2026, 6, 2), frozen_today) == []


def test_accdesk_due_lists_it(agency, frozen_today):
    _completed(agency, dt.date(2025, 6, 1))
    out = io.StringIO()
    call_command("due", "--agency", agency.ori, "--format", "json", stdout=out)
    items = json.loads(out.getvalue())["items"]
    found = [d for d in items if d["kind"] == "account_review"]
    assert [(d["date"], d["status"]) for d in found] == [("2026-06-01", "overdue")]


def test_the_dashboard_panel_shows_it_overdue(as_alice, agency, frozen_today):
    _completed(agency, dt.date(2025, 6, 1))
    html = as_alice.get(f"/a/{agency.ori}/").content.decode()
    assert 'id="panel-account-review"' in html
    panel = html[html.index('id="panel-account-review"') :]
    panel = panel[: panel.index("</section>")]
    assert "Overdue" in panel and "Jun 1, 2026" in panel


def test_the_panel_is_not_overdue_within_12_months(as_alice, agency, frozen_today):
    _completed(agency, dt.date(2025, 6, 15))
    html = as_alice.get(f"/a/{agency.ori}/").content.decode()
    panel = html[html.index('id="panel-account-review"') :]
    panel = panel[: panel.index("</section>")]
    assert "Overdue" not in panel and "Due Jun 15, 2026" in panel


# -- the review pages -------------------------------------------------------------


def _start(client, agency):
    response = client.post(f"/a/{agency.ori}/roster/reviews/start/")
    assert response.status_code == 302
    return AccountReview.objects.get(agency=agency, completed_on__isnull=True)


def test_a_review_lists_every_active_account(as_alice, agency, crew):
    SystemAccount.objects.filter(employee_id="E2").update(
        status="disabled", disabled_date=dt.date(2026, 6, 1)
    )
    review = _start(as_alice, agency)
    assert sorted(review.lines.values_list("employee_id", flat=True)) == ["E1", "E3"]
    # Starting again opens the review in progress instead of a second one.
    _start(as_alice, agency)
    assert AccountReview.objects.filter(agency=agency).count() == 1


def test_decide_change_and_sign_off(as_alice, agency, crew, frozen_today):
    review = _start(as_alice, agency)
    ann_line = review.lines.get(employee_id="E1")
    cal_line = review.lines.get(employee_id="E3")
    base = f"/a/{agency.ori}/roster/reviews/{review.pk}"
    # Signing off before every account is decided is refused.
    as_alice.post(f"{base}/sign-off/", {"completed_on": "2026-06-15"})
    review.refresh_from_db()
    assert review.completed_on is None
    as_alice.post(f"{base}/lines/{ann_line.pk}/", {"decision": "confirmed"})
    ben_line = review.lines.get(employee_id="E2")
    as_alice.post(f"{base}/lines/{ben_line.pk}/", {"decision": "remove"})
    # A change needs the new level.
    as_alice.post(f"{base}/lines/{cal_line.pk}/", {"decision": "changed"})
    cal_line.refresh_from_db()
    assert cal_line.decision == ""
    as_alice.post(
        f"{base}/lines/{cal_line.pk}/",
        {"decision": "changed", "new_access_level": "ltf", "note": "inquiry only"},
    )
    cal_line.refresh_from_db()
    assert (cal_line.decision, cal_line.new_access_level, cal_line.decided_by) == (
        "changed",
        "ltf",
        "alice@alpha.test",
    )
    account = SystemAccount.objects.get(employee_id="E3")
    assert account.access_level == "ltf"
    change = AccessChange.objects.get(person=crew["cal"])
    assert (change.change, change.old_value, change.new_value) == (
        "access_level",
        "full",
        "ltf",
    )
    as_alice.post(f"{base}/sign-off/", {"completed_on": "2026-06-16", "note": ""})
    review.refresh_from_db()
    assert review.completed_on is None  # not in the future
    as_alice.post(f"{base}/sign-off/", {"completed_on": "2026-06-15", "note": "done"})
    review.refresh_from_db()
    assert (review.completed_on, review.signed_off_by) == (
        frozen_today,
        "alice@alpha.test",
    )
    assert reviews.review_status(agency).due == dt.date(2027, 6, 15)
    # Signed off: no more changes.
    as_alice.post(f"{base}/lines/{ann_line.pk}/", {"decision": "remove"})
    ann_line.refresh_from_db()
    assert ann_line.decision == "confirmed"
    assert ChangeRecord.objects.filter(
        object_type="personnel.accountreview", action="update"
    ).exists()


def test_the_review_exports_as_csv_xlsx_and_pdf(as_alice, agency, crew):
    review = _start(as_alice, agency)
    base = f"/a/{agency.ori}/roster/reviews/{review.pk}/export"
    response = as_alice.get(f"{base}.csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    )
    assert [r["operator_id"] for r in rows] == sorted(r["operator_id"] for r in rows)
    assert {r["employee_id"] for r in rows} == {"E1", "E2", "E3"}
    assert as_alice.get(f"{base}.xlsx").content[:2] == b"PK"
    assert as_alice.get(f"{base}.pdf").content[:5] == b"%PDF-"
    assert as_alice.get(f"{base}.doc").status_code == 404
    assert (
        ChangeRecord.objects.filter(
            event="export", message__contains="account review"
        ).count()
        == 3
    )


def test_a_supervisor_decides_for_their_people_only(as_alice, as_sue, agency, crew):
    review = _start(as_alice, agency)
    ben_line = review.lines.get(employee_id="E2")  # supervised by S2
    ann_line = review.lines.get(employee_id="E1")  # supervised by S1 (Sue)
    base = f"/a/{agency.ori}/roster/reviews/{review.pk}"
    page = as_sue.get(f"{base}/")
    assert {line.employee_id for line in page.context["lines"]} == {"E1", "E3"}
    assert (
        as_sue.post(
            f"{base}/lines/{ben_line.pk}/", {"decision": "confirmed"}
        ).status_code
        == 404
    )
    as_sue.post(f"{base}/lines/{ann_line.pk}/", {"decision": "confirmed"})
    ann_line.refresh_from_db()
    assert ann_line.decided_by == "sue@alpha.test"
    assert (
        as_sue.post(f"{base}/sign-off/", {"completed_on": "2026-06-15"}).status_code
        == 403
    )
    assert as_sue.post(f"/a/{agency.ori}/roster/reviews/start/").status_code == 403


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam"])
def test_readers_see_but_do_not_decide(request, as_alice, agency, crew, client):
    review = _start(as_alice, agency)
    line = review.lines.first()
    c = request.getfixturevalue(client)
    base = f"/a/{agency.ori}/roster/reviews/{review.pk}"
    assert c.get(f"{base}/").status_code == 200
    assert (
        c.post(f"{base}/lines/{line.pk}/", {"decision": "confirmed"}).status_code == 403
    )


def test_an_outsider_gets_404(as_alice, as_charlie, agency, crew):
    review = _start(as_alice, agency)
    assert (
        as_charlie.get(f"/a/{agency.ori}/roster/reviews/{review.pk}/").status_code
        == 404
    )
