from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accdesk.testing import make_misuse_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("july_1_2025")]


@pytest.fixture
def case(agency):
    return make_misuse_case(agency, opened_on=dt.date(2025, 3, 1))


def _url(case):
    return reverse(
        "investigations:close", kwargs={"ori": case.agency.ori, "pk": case.pk}
    )


def _data(**overrides):
    data = {
        "closed_on": "2025-06-30",
        "finding": "sustained",
        "action": "counseling",
        "referred_for_prosecution": "on",
    }
    return {**data, **overrides}


def test_it_closes_the_case(as_alice, case, alice):
    response = as_alice.post(_url(case), _data())
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.closed_on == dt.date(2025, 6, 30)
    assert (case.finding, case.action) == ("sustained", "counseling")
    assert case.referred_for_prosecution
    assert case.notes.get().author == alice


def test_it_offers_today_and_no_pending_finding(as_alice, case):
    form = as_alice.get(_url(case)).context["form"]
    assert form["closed_on"].value() == dt.date(2025, 7, 1)
    assert "pending" not in dict(form.fields["finding"].choices)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"finding": "pending"}, "finding"),
        ({"finding": ""}, "finding"),
        ({"action": ""}, "action"),
        ({"closed_on": "2025-07-02"}, "closed_on"),
        ({"closed_on": "2025-02-28"}, "closed_on"),
    ],
    ids=["pending", "no-finding", "no-action", "future", "before-opening"],
)
def test_it_refuses_an_incomplete_closing(as_alice, case, overrides, field):
    response = as_alice.post(_url(case), _data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    case.refresh_from_db()
    assert case.is_open and not case.notes.exists()


def test_a_closed_case_goes_back_to_its_page(as_alice, agency):
    closed = make_misuse_case(
        agency, closed_on=dt.date(2025, 6, 1), finding="unfounded", action="none"
    )
    response = as_alice.post(_url(closed), _data())
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.action == "none"
