"""``worklist.compute`` pauses Python's cycle collector while it builds the facts
and items: it must leave the collector as it found it."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from accdesk.personnel import worklist
from accdesk.testing import make_eligible_operator

pytestmark = pytest.mark.django_db

D = dt.date(2026, 6, 15)


def test_the_collector_is_enabled_again_and_nothing_is_left_frozen(agency):
    make_eligible_operator(agency, employee_id="E1")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    (item,) = worklist.compute(agency, D).items
    assert item.employee_id == "E1"
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_collector_disabled_by_the_caller_stays_disabled(agency):
    gc.disable()
    try:
        worklist.compute(agency, D)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_the_process_froze_stay_frozen(agency):
    marker = ["frozen before the worklist"]
    gc.freeze()  # as a pre-forking server may do
    try:
        worklist.compute(agency, D)
        # Frozen objects are in no generation: ``unfreeze`` would put it back.
        assert not any(o is marker for o in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(o is marker for o in gc.get_objects())


def test_the_dates_ahead_are_worked_out_only_when_asked_for(agency):
    make_eligible_operator(agency, employee_id="E1")
    today = agency.today()
    (item,) = worklist.compute(agency, today).items
    with pytest.raises(ValueError, match="upcoming=True"):
        item.upcoming  # noqa: B018 - the property raises
    (full,) = worklist.compute(agency, today, upcoming=True).items
    assert sorted(u.code for u in full.upcoming) == [
        "CERTIFICATION_EXPIRING",
        "REINVESTIGATION_EXPIRING",
        "TRAINING_EXPIRING",
    ]
    assert (full.status, full.reason_codes, full.due_date) == (
        item.status,
        item.reason_codes,
        item.due_date,
    )
