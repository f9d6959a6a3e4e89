from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accdesk.core.models import ChangeRecord
from accdesk.testing import make_misuse_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(agency, person):
    case = make_misuse_case(
        agency,
        subject=person,
        allegation="Ran a plate for a neighbour.",
        opened_on=dt.date(2025, 3, 1),
    )
    case.add_note(dt.date(2025, 3, 2), "Requested the query log.")
    return case


def _url(case):
    return reverse(
        "investigations:detail", kwargs={"ori": case.agency.ori, "pk": case.pk}
    )


def test_it_shows_the_case_and_its_journal(as_alice, case):
    response = as_alice.get(_url(case))
    assert response.status_code == 200
    for text in (b"Doe, Jamie (E1042)", b"Ran a plate", b"Requested the query log"):
        assert text in response.content
    assert b"Close the case" in response.content


def test_every_view_is_recorded_as_restricted(as_alice, as_sam, case, alice, sam):
    as_alice.get(_url(case))
    as_sam.get(_url(case))
    as_alice.get(_url(case))
    views = ChangeRecord.objects.filter(
        event="view", object_type="investigations.misusecase", object_id=str(case.pk)
    )
    assert views.count() == 3
    assert set(views.values_list("actor_id", flat=True)) == {alice.pk, sam.pk}
    assert all(v.restricted and v.agency_id == case.agency_id for v in views)
    assert "Doe" not in str(list(views.values()))


def test_the_spoc_reads_without_edit_controls(as_sam, case):
    response = as_sam.get(_url(case))
    assert response.status_code == 200
    assert b"Close the case" not in response.content
    assert b"Add note" not in response.content


def test_a_closed_case_offers_reopening_instead_of_closing(as_alice, agency):
    today = agency.today()
    closed = make_misuse_case(
        agency,
        opened_on=today.replace(month=1, day=1),
        closed_on=today,
        finding="unfounded",
        action="none",
    )
    response = as_alice.get(_url(closed))
    assert b"Reopen the case" in response.content
    assert b"Close the case" not in response.content


def test_a_case_closed_in_an_earlier_year_cannot_be_reopened(as_alice, agency):
    closed = make_misuse_case(
        agency, closed_on=dt.date(2025, 6, 1), finding="unfounded", action="none"
    )
    response = as_alice.get(_url(closed))
    assert b"Reopen the case" not in response.content
