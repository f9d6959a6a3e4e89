"""Expiring in 30/60/90 days."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.testing import make_eligible_operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon(agency, frozen_today):
    """Training due in 20, 50 and 80 days (completed a year before that)."""
    people = {}
    for days in (20, 50, 80):
        person, _ = make_eligible_operator(agency, last_name=f"In{days}")
        due = frozen_today + dt.timedelta(days=days)
        person.training.update(completed_date=due.replace(year=due.year - 1))
        people[days] = person
    return people


def _names(response):
    return [item.name.split()[-1] for _, item in response.context["rows"]]


@pytest.mark.parametrize(
    ("days", "names"),
    [(30, ["In20"]), (60, ["In20", "In50"]), (90, ["In20", "In50", "In80"])],
)
def test_it_lists_what_falls_due_within_the_window(as_alice, agency, soon, days, names):
    response = as_alice.get(f"/a/{agency.ori}/roster/expiring/?days={days}")
    assert response.status_code == 200
    assert _names(response) == names
    due, _ = response.context["rows"][0]
    assert due.code == "TRAINING_EXPIRING" and due.due == dt.date(2026, 7, 5)


def test_it_defaults_to_30_days_and_ignores_other_windows(as_alice, agency, soon):
    assert _names(as_alice.get(f"/a/{agency.ori}/roster/expiring/")) == ["In20"]
    assert _names(as_alice.get(f"/a/{agency.ori}/roster/expiring/?days=365")) == [
        "In20"
    ]


def test_a_supervisor_sees_only_their_people(as_sue, agency, soon):
    soon[50].supervisor_employee_id = "S1"
    soon[50].save()
    assert _names(as_sue.get(f"/a/{agency.ori}/roster/expiring/?days=90")) == ["In50"]


def test_an_outsider_gets_404(as_charlie, agency, soon):
    assert as_charlie.get(f"/a/{agency.ori}/roster/expiring/").status_code == 404
