"""Corrections: /a/<ori>/releases/<sequence>/correct/ adds a superseding entry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accdesk.releaselogs.models import ReleaseLogEntry
from accdesk.releaselogs.verification import verify
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db


def url(agency, sequence=1):
    return f"/a/{agency.ori}/releases/{sequence}/correct/"


@pytest.fixture
def original(agency):
    return make_release_entry(agency, case_number="B-1")


def form_data(entry, **changes):
    released = timezone.localtime(entry.released_at, entry.agency.tz)
    data = {
        name: getattr(entry, name)
        for name in (
            "requesting_agency",
            "requesting_ori",
            "requestor_name",
            "case_number",
            "information",
            "purpose",
            "method",
            "receiving_terminal",
            "requesting_terminal",
            "released_by",
        )
    }
    data["released_at"] = f"{released:%Y-%m-%dT%H:%M}"
    return data | changes


def test_it_starts_from_the_entry_and_asks_why(as_alice, agency, original):
    response = as_alice.get(url(agency))
    form = response.context["form"]
    assert form["case_number"].value() == "B-1"
    assert form["correction_reason"].field.widget.attrs.get("autofocus")
    assert list(form.fields)[0] == "correction_reason"


def test_it_adds_a_correction_and_keeps_the_original(as_alice, agency, original):
    data = form_data(original, case_number="B-2", correction_reason="typo")
    response = as_alice.post(url(agency), data)
    assert response.status_code == 302
    assert response.url == f"/a/{agency.ori}/releases/2/"
    correction = ReleaseLogEntry.objects.get(sequence=2)
    assert (correction.corrects_sequence, correction.case_number) == (1, "B-2")
    assert ReleaseLogEntry.objects.get(sequence=1).case_number == "B-1"
    assert verify(agency).ok


def test_a_reason_is_required(as_alice, agency, original):
    response = as_alice.post(url(agency), form_data(original, case_number="B-2"))
    assert response.status_code == 400
    assert "correction_reason" in response.context["form"].errors
    assert ReleaseLogEntry.objects.count() == 1


def test_a_corrected_entry_sends_you_to_its_correction(as_alice, agency, original):
    as_alice.post(url(agency), form_data(original, correction_reason="typo"))
    response = as_alice.get(url(agency))
    assert response.status_code == 302
    assert response.url == f"/a/{agency.ori}/releases/2/"
    assert ReleaseLogEntry.objects.count() == 2


def test_the_released_time_can_be_corrected(as_alice, agency, original):
    earlier = original.released_at - dt.timedelta(hours=3)
    data = form_data(original, correction_reason="wrong hour")
    data["released_at"] = f"{timezone.localtime(earlier, agency.tz):%Y-%m-%dT%H:%M}"
    as_alice.post(url(agency), data)
    correction = ReleaseLogEntry.objects.get(sequence=2)
    assert correction.released_at == earlier.replace(second=0, microsecond=0)


@pytest.mark.parametrize("client", ["as_vera", "as_bob"])
def test_readers_cannot_correct(request, agency, original, client):
    response = request.getfixturevalue(client).post(
        url(agency), form_data(original, correction_reason="x")
    )
    assert response.status_code == 403
    assert ReleaseLogEntry.objects.count() == 1


def test_an_outsider_gets_404(as_charlie, agency, original):
    assert as_charlie.get(url(agency)).status_code == 404
