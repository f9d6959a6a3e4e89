"""The incidents' deadlines (``incident_clock``, ``irp_review``, ``irp_test``) and
the dashboard panels."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.deadlines.registry import gather
from accdesk.incidents.models import PlanTest, ResponsePlan

from .conftest import NOW, make_incident

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_now")]
TODAY = NOW.date()


def _kinds(agency, role="acc"):
    items = gather(agency, TODAY, TODAY + dt.timedelta(days=90), role=role)
    return [
        (d.kind, d.status, d.title) for d in items if d.kind.startswith(("inc", "irp"))
    ]


def test_an_open_incident_lists_its_clocks_not_yet_done(agency):
    incident = make_incident(agency, discovered_at=NOW - dt.timedelta(minutes=90))
    assert _kinds(agency) == [
        (
            "incident_clock",
            "overdue",
            f"Incident {incident.reference}: report it inside the agency by 08:30",
        ),
        (
            "incident_clock",
            "upcoming",
            f"Incident {incident.reference}: notify DOJ by 07:30",
        ),
    ]
    assert _kinds(agency, role="viewer") == []
    incident.status = "closed"
    incident.save()
    assert _kinds(agency) == []


def test_the_plan_duties_are_listed_when_a_plan_is_approved(agency):
    assert _kinds(agency) == []
    plan = ResponsePlan.objects.create(
        agency=agency, version="1", approved_on=dt.date(2026, 1, 15), approved_by="X"
    )
    PlanTest.objects.create(
        agency=agency,
        plan=plan,
        tested_on=dt.date(2025, 10, 1),
        kind="simulation",
        participants="SPOC",
    )
    kinds = {k: s for k, s, _ in _kinds(agency, role="viewer")}
    assert kinds == {"irp_review": "upcoming", "irp_test": "overdue"}


def test_the_dashboard_shows_the_panels(as_alice, as_vera, agency):
    make_incident(agency, discovered_at=NOW - dt.timedelta(minutes=90))
    page = as_alice.get(f"/a/{agency.ori}/").content.decode()
    assert 'id="panel-incidents"' in page and "missed by 30 min" in page
    assert 'id="panel-response-plan"' in page and "Missing" in page
    viewer = as_vera.get(f"/a/{agency.ori}/").content.decode()
    assert 'id="panel-incidents"' not in viewer
    assert 'id="panel-response-plan"' in viewer
