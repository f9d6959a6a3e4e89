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
        "investigations:add_note", kwargs={"ori": case.agency.ori, "pk": case.pk}
    )


def test_it_adds_a_dated_note(as_alice, case, alice):
    response = as_alice.post(
        _url(case), {"written_on": "2025-06-15", "text": "Interviewed the clerk."}
    )
    assert response.status_code == 302
    note = case.notes.get()
    assert (note.written_on, note.text, note.author) == (
        dt.date(2025, 6, 15),
        "Interviewed the clerk.",
        alice,
    )


@pytest.mark.parametrize(
    "data",
    [
        {"written_on": "2025-07-02", "text": "x"},
        {"written_on": "2025-06-01", "text": ""},
    ],
    ids=["future", "empty"],
)
def test_it_refuses_a_bad_note(as_alice, case, data):
    response = as_alice.post(_url(case), data)
    assert response.status_code == 400
    assert response.context["note_form"].errors
    assert not case.notes.exists()


def test_it_rejects_get(as_alice, case):
    assert as_alice.get(_url(case)).status_code == 405
