"""The roster, worklist and dashboard read the stored worklist: the same rows as
the rules' filters give, one page rendered, and a cost per page that does not grow
with the roster (issue 18)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accdesk.personnel import demo as personnel_demo
from accdesk.personnel import worklist
from accdesk.personnel.views import filter_items
from accdesk.personnel.worklistcache import store
from accdesk.personnel.worklistcache.tests.test_store import NOW, TODAY
from accdesk.testing import listed, make_eligible_operator, panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def lakemont(agency):
    with time_machine.travel(NOW, tick=False):
        personnel_demo.load(agency, TODAY)
        yield agency


FILTERS = [
    {},
    {"q": "lpd2005"},
    {"q": "e2003"},
    {"q": "an"},
    {"status": "must_deactivate"},
    {"status": "remediate"},
    {"reason": "TRAINING_EXPIRED"},
    {"reason": "SEPARATED", "q": "a"},
    {"role_level": "none"},
    {"role_level": "general"},
    {"supervisor": "E2001"},
]


@pytest.mark.parametrize("data", FILTERS)
def test_the_stored_filters_are_the_rules_filters(lakemont, data):
    everyone = worklist.compute(lakemont, TODAY, upcoming=True).items
    expected = [store.encode_item(i) for i in filter_items(everyone, data)]
    rows = store.filter_rows(store.current_rows(lakemont), data)
    assert [store.encode_item(i) for i in store.items(rows)] == expected
    if data:
        assert len(expected) < len(everyone)


def _grow(agency, n):
    for k in range(n):
        make_eligible_operator(agency, employee_id=f"G{k:04d}", last_name=f"G{k:04d}")
        make_eligible_operator(
            agency,
            employee_id=f"S{k:04d}",
            last_name=f"S{k:04d}",
            employment_status="separated",
            separation_date=TODAY - dt.timedelta(days=3),
        )


def _cost(client, url):
    client.get(url)  # builds the stored worklist after the change
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    "path", ["roster/", "roster/worklist/", "roster/worklist/?sort=-name", ""]
)
def test_a_page_costs_the_same_for_a_longer_list(as_alice, agency, path):
    url = f"/a/{agency.ori}/{path}"
    with time_machine.travel(NOW, tick=False):
        _grow(agency, 5)
        small, response = _cost(as_alice, url)
        if "listing" in (response.context or {}):
            assert len(listed(response)) == (5 if "worklist" in path else 10)
        for k in range(60):
            make_eligible_operator(
                agency,
                employee_id=f"X{k:04d}",
                employment_status="separated",
                separation_date=TODAY - dt.timedelta(days=2),
            )
        large, response = _cost(as_alice, url)
        if "listing" in (response.context or {}):
            assert len(listed(response)) == 50  # one page, not the whole list
            assert response.context["listing"].count > 50
    assert large == small


def _count_decodes(monkeypatch) -> list[int]:
    """A list that grows by one for each stored item decoded from now on."""
    decoded: list[int] = []
    original = store.decode_item
    monkeypatch.setattr(
        store, "decode_item", lambda data: decoded.append(1) or original(data)
    )
    return decoded


def test_only_the_page_is_decoded(as_alice, agency, monkeypatch):
    with time_machine.travel(NOW, tick=False):
        _grow(agency, 60)
        as_alice.get(f"/a/{agency.ori}/roster/worklist/")
        decoded = _count_decodes(monkeypatch)
        response = as_alice.get(f"/a/{agency.ori}/roster/worklist/?page=2")
    assert len(listed(response)) == 10  # 60 to deactivate: 50, then 10
    assert len(decoded) == 10


def test_the_dashboard_decodes_only_what_it_shows(as_alice, agency, monkeypatch):
    """The roster's panel decodes its five most overdue; the What's-due panel reads
    the stored duties, not the items (issue 18)."""
    with time_machine.travel(NOW, tick=False):
        _grow(agency, 30)
        as_alice.get(f"/a/{agency.ori}/")
        decoded = _count_decodes(monkeypatch)
        response = as_alice.get(f"/a/{agency.ori}/")
    worklist_panel = panel(response, "personnel/_panel_worklist.html")
    assert len(worklist_panel["most_overdue"]) == 5  # 30 separated
    # The What's-due panel counts their deactivations.
    assert panel(response, "deadlines/_panel_due.html")["overdue"] >= 30
    assert len(decoded) == 5
