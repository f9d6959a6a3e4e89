from __future__ import annotations

import pytest
from django.utils import timezone

from accdesk.demo.loaders import DEMO_ORI, load
from accdesk.incidents import clocks, rules, sources

pytestmark = pytest.mark.django_db


def test_the_demo_agency_has_a_plan_with_its_test_overdue_and_two_incidents():
    agency = load().agency
    load()  # idempotent
    assert agency.ori == DEMO_ORI
    today = agency.today()
    assert rules.approval_duty(agency, today).status == "ok"
    assert rules.test_duty(agency, today).status == "overdue"
    (closed,) = agency.incidents.filter(status="closed")
    (opened,) = agency.incidents.filter(status="open")
    now = timezone.now()
    assert {c.status for c in clocks.clocks(closed, now)} == {"met"}
    assert clocks.internal_clock(opened, now).status == "missed"
    assert clocks.doj_clock(opened, now).status == "running"
    assert agency.designations.filter(kind="doj_iso").exists()
    assert sources.ir_training_expired(agency, today, None)
    assert sources.incident_retraining_due(agency, today, None)
