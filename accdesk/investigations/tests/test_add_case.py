from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accdesk.core.models import ChangeRecord
from accdesk.investigations.models import MisuseCase
from accdesk.personnel.models import Person
from accdesk.testing import make_misuse_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("july_1_2025")]


@pytest.fixture
def url(agency):
    return reverse("investigations:add", kwargs={"ori": agency.ori})


def _data(**overrides):
    data = {
        "case_number": "IA-2025-009",
        "opened_on": "2025-06-30",
        "source": "complaint",
        "subject": "",
        "subject_description": "",
        "systems": ["DMV", "CLETS"],
        "allegation": "Looked up an ex-partner's address.",
        "finding": "pending",
    }
    return {**data, **overrides}


def test_it_offers_today_as_the_opening_date(as_alice, url):
    response = as_alice.get(url)
    assert response.context["form"]["opened_on"].value() == dt.date(2025, 7, 1)
    assert "closed_on" not in response.context["form"].fields


def test_it_opens_a_case(as_alice, url, agency, person):
    response = as_alice.post(url, _data(subject=person.pk))
    case = MisuseCase.objects.get(agency=agency)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/investigations/{case.pk}/")
    assert case.subject == person and case.is_open
    assert case.systems == ["CLETS", "DMV"]
    assert ChangeRecord.objects.filter(
        object_type="investigations.misusecase", action="create", restricted=True
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"case_number": "IA-TAKEN"}, "case_number"),
        ({"opened_on": "2025-07-02"}, "opened_on"),
        ({"systems": []}, "systems"),
        ({"systems": ["TELEX"]}, "systems"),
        ({"allegation": ""}, "allegation"),
    ],
)
def test_it_refuses_bad_input(as_alice, url, agency, overrides, field):
    make_misuse_case(agency, case_number="IA-TAKEN")
    response = as_alice.post(url, _data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert MisuseCase.objects.filter(agency=agency).count() == 1


def test_it_offers_only_the_agencys_roster(as_alice, url, other_agency):
    stranger = Person.objects.create(
        agency=other_agency, employee_id="Z9", last_name="Else", first_name="Someone"
    )
    response = as_alice.post(url, _data(subject=stranger.pk))
    assert "subject" in response.context["form"].errors
