from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accdesk.terminals.deadlines import deadlines
from accdesk.terminals.models import (
    CorrectiveAction,
    InventoryReview,
    PhysicalReview,
    SystemDocument,
)
from accdesk.testing import make_inspection, make_site, make_terminal

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 6, 15, 19, tzinfo=dt.UTC), tick=False)
def test_it_reports_each_dated_duty_of_a_site_and_the_inventory(agency, alice):
    site = make_site(agency, name="Main Station")
    inspection = make_inspection(
        site,
        {"printer_secured": "no"},
        inspected_on=dt.date(2025, 7, 1),
        signed_off_on=dt.date(2025, 7, 1),
    )
    answer = inspection.answers.get(answer="no")
    CorrectiveAction.objects.create(
        agency=agency,
        answer=answer,
        description="Lock the tray",
        owner=alice,
        due_date=dt.date(2026, 6, 1),
    )
    PhysicalReview.objects.create(
        agency=agency,
        site=site,
        kind="visitor_log",
        reviewed_on=dt.date(2026, 4, 1),
        reviewed_by="x",
    )
    make_terminal(agency)
    InventoryReview.objects.create(
        agency=agency, reviewed_on=dt.date(2025, 6, 20), reviewed_by="x", terminals=1
    )
    SystemDocument.objects.create(
        agency=agency,
        kind="network_diagram",
        title="Diagram",
        effective_date=dt.date(2025, 6, 30),
        owner=alice,
    )
    found = {
        d.kind: d for d in deadlines(agency, dt.date(2026, 6, 1), dt.date(2026, 7, 31))
    }
    assert found["inspection_due"].date == dt.date(2026, 7, 1)
    assert found["inspection_due"].status == "upcoming"
    assert found["visitor_log_review"].date == dt.date(2026, 7, 1)
    assert found["inventory_review"].date == dt.date(2026, 6, 20)
    assert found["document_review"].date == dt.date(2026, 6, 30)
    assert found["document_review"].owner == alice.email
    assert found["corrective_action_due"].status == "overdue"
    assert "Main Station" in found["corrective_action_due"].title
    # Never done: due today, not overdue.
    assert found["access_log_review"].date == dt.date(2026, 6, 15)
    assert found["access_log_review"].status == "due_today"
    assert set(found) == {
        "inspection_due",
        "visitor_log_review",
        "access_log_review",
        "access_list_review",
        "key_inventory_review",
        "inventory_review",
        "document_review",
        "corrective_action_due",
    }


@time_machine.travel(dt.datetime(2026, 6, 15, 19, tzinfo=dt.UTC), tick=False)
def test_duties_outside_the_window_are_left_out(agency):
    site = make_site(agency)
    make_inspection(
        site, inspected_on=dt.date(2026, 1, 1), signed_off_on=dt.date(2026, 1, 1)
    )
    kinds = [
        d.kind for d in deadlines(agency, dt.date(2026, 6, 16), dt.date(2027, 1, 31))
    ]
    assert kinds == ["inspection_due"]
