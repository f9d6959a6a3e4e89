"""Other apps add worklist reasons through ``settings.WORKLIST_SOURCES``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from accdesk.personnel import worklist
from accdesk.personnel.eligibility import REMEDIATE, Reason
from accdesk.testing import make_eligible_operator

pytestmark = pytest.mark.django_db

SEEN: list[tuple[dt.date, Q | None]] = []


def flags_e1(agency, as_of, people):
    SEEN.append((as_of, people))
    return {"E1": [Reason("LIABILITY_UNSIGNED", REMEDIATE, as_of, "from a source")]}


def flags_an_unknown_code(agency, as_of, people):
    return {"E1": [Reason("NOT_A_REASON", REMEDIATE, as_of)]}


SOURCE = f"{__name__}.flags_e1"


def test_a_sources_reason_decides_the_persons_status(agency, settings):
    settings.WORKLIST_SOURCES = [SOURCE]
    make_eligible_operator(agency, employee_id="E1")
    make_eligible_operator(agency, employee_id="E2")
    items = {i.employee_id: i for i in worklist.compute(agency).items}
    assert items["E1"].status == "remediate"
    assert items["E1"].reason_codes == ["LIABILITY_UNSIGNED"]
    assert items["E1"].reasons[0].detail == "from a source"
    assert items["E2"].status == "eligible"


def test_the_source_is_asked_about_the_same_date_and_people(agency, settings):
    settings.WORKLIST_SOURCES = [SOURCE]
    make_eligible_operator(agency, employee_id="E1")
    SEEN.clear()
    day = dt.date(2026, 6, 15)
    worklist.compute(agency, day, people=Q(employee_id="E1"))
    assert SEEN == [(day, Q(employee_id="E1"))]


def test_without_sources_nothing_is_added(agency, settings):
    settings.WORKLIST_SOURCES = []
    make_eligible_operator(agency, employee_id="E1")
    (item,) = worklist.compute(agency).items
    assert item.status == "eligible"


def test_a_code_missing_from_the_reason_order_is_refused(agency, settings):
    settings.WORKLIST_SOURCES = [f"{__name__}.flags_an_unknown_code"]
    make_eligible_operator(agency, employee_id="E1")
    with pytest.raises(ValueError, match="NOT_A_REASON"):
        worklist.compute(agency)
