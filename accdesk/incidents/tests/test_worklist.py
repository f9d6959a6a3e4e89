"""IR_TRAINING_EXPIRED and INCIDENT_RETRAINING_DUE on the worklist (IR-2, AT-2)."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.incidents import sources
from accdesk.personnel.eligibility import REASONS
from accdesk.testing import make_person, make_training

from .conftest import LA, make_incident

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_now")]
TODAY = dt.date(2026, 12, 4)


def test_the_codes_come_last_in_the_reason_order():
    assert REASONS[-2:] == ("IR_TRAINING_EXPIRED", "INCIDENT_RETRAINING_DUE")


def test_someone_in_an_ir_role_never_trained_is_to_remediate(agency):
    person = make_person(agency, ir_role=True)
    make_person(agency)  # no IR role: nothing due
    found = sources.ir_training_expired(agency, TODAY, None)
    (reason,) = found[person.employee_id]
    assert (reason.code, reason.kind, reason.text) == (
        "IR_TRAINING_EXPIRED",
        "remediate",
        "never trained",
    )
    assert list(found) == [person.employee_id]


@pytest.mark.parametrize(
    ("completed", "due"),
    [(dt.date(2025, 12, 4), False), (dt.date(2025, 12, 3), True)],
)
def test_ir_training_lapses_after_12_months(agency, completed, due):
    person = make_person(agency, ir_role=True)
    make_training(person, course="ir_training", completed_date=completed)
    found = sources.ir_training_expired(agency, TODAY, None)
    assert (person.employee_id in found) is due


def test_retraining_is_due_30_days_after_the_discovery(agency):
    person = make_person(agency)
    found_at = dt.datetime(2026, 11, 20, 23, 30, tzinfo=LA)  # Nov 21 in UTC
    make_incident(agency, discovered_at=found_at, needs_training=[person])
    (reason,) = sources.incident_retraining_due(agency, TODAY, None)[person.employee_id]
    assert (reason.code, reason.due) == (
        "INCIDENT_RETRAINING_DUE",
        dt.date(2026, 12, 20),
    )


def test_a_training_record_after_the_incident_clears_it(agency):
    person = make_person(agency)
    found_at = dt.datetime(2026, 11, 20, 10, 0, tzinfo=LA)
    make_incident(agency, discovered_at=found_at, needs_training=[person])
    make_training(person, completed_date=dt.date(2026, 11, 20))  # same day: not after
    assert person.employee_id in sources.incident_retraining_due(agency, TODAY, None)
    make_training(person, course="ir_training", completed_date=dt.date(2026, 11, 21))
    assert sources.incident_retraining_due(agency, TODAY, None) == {}


def test_the_worklist_page_shows_them(as_alice, agency):
    person = make_person(agency, ir_role=True)
    page = as_alice.get(f"/a/{agency.ori}/roster/worklist/").content.decode()
    assert "Incident-response training missing or expired" in page
    assert person.last_name in page
