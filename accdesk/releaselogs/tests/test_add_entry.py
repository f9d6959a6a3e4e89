"""The quick-entry form: /a/<ori>/releases/new/."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from accdesk.core.models import ChangeRecord
from accdesk.personnel.models import Person
from accdesk.releaselogs.models import ReleaseLogEntry
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
NOW = dt.datetime(2026, 3, 10, 14, 25, 33, tzinfo=LA)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def url(agency):
    return f"/a/{agency.ori}/releases/new/"


FORM = {
    "requesting_agency": "Bravo County District Attorney",
    "requesting_ori": "ca0990013",
    "requestor_name": "DDA Pat Jones",
    "case_number": "B-24-77",
    "information": "CII rap sheet – TESTER, SAMPLE\r\nCII A00000001",
    "purpose": "Filing decision, PC 11105(b)(2)",
    "method": "email",
    "receiving_terminal": "BCDA02",
    "requesting_terminal": "AVPD01",
    "released_at": "2026-03-10T14:05",
    "released_by": "Rita Clerk",
}


def test_it_offers_a_form_focused_on_the_first_field(as_alice, agency):
    response = as_alice.get(url(agency))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["requesting_agency"].field.widget.attrs.get("autofocus")
    assert form["released_by"].value() == "Alice Acc"
    assert b'value="2026-03-10T14:25"' in response.content


def test_it_saves_the_entry_and_comes_back_for_the_next(as_alice, agency):
    response = as_alice.post(url(agency), FORM)
    assert response.status_code == 302 and response.url == url(agency)
    entry = ReleaseLogEntry.objects.get(agency=agency)
    assert entry.sequence == 1
    assert entry.requesting_ori == "CA0990013"
    assert entry.information == "CII rap sheet – TESTER, SAMPLE\nCII A00000001"
    assert entry.released_at == dt.datetime(2026, 3, 10, 14, 5, tzinfo=LA)
    assert entry.recorded_by == "alice@alpha.test"
    assert ChangeRecord.objects.filter(
        object_type="releaselogs.releaselogentry", action="create", restricted=True
    ).exists()
    page = as_alice.get(url(agency))
    assert b"Saved as entry #1." in page.content


def test_it_remembers_the_requesting_agency_for_the_next_entry(as_alice, agency):
    as_alice.post(url(agency), FORM)
    form = as_alice.get(url(agency)).context["form"]
    assert form["requesting_agency"].value() == "Bravo County District Attorney"
    assert form["requesting_ori"].value() == "CA0990013"
    assert form["receiving_terminal"].value() == "BCDA02"
    assert form["method"].value() == "email"
    assert form["released_by"].value() == "Rita Clerk"
    assert form["requestor_name"].value() == ""  # a new requestor each time
    assert form["requestor_name"].field.widget.attrs.get("autofocus")


def test_it_suggests_agencies_and_roster_names(as_alice, agency):
    make_release_entry(agency, requesting_agency="Charlie City PD")
    Person.objects.create(
        agency=agency, employee_id="E1", first_name="Rita", last_name="Clerk"
    )
    content = as_alice.get(url(agency)).content.decode()
    assert '<option value="Charlie City PD">' in content
    assert '<option value="Rita Clerk">' in content


def test_required_fields_are_enforced(as_alice, agency):
    response = as_alice.post(
        url(agency), {**FORM, "receiving_terminal": "", "purpose": ""}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"receiving_terminal", "purpose"}
    assert not ReleaseLogEntry.objects.exists()


def test_it_refuses_a_release_in_the_future(as_alice, agency):
    response = as_alice.post(url(agency), {**FORM, "released_at": "2026-03-10T15:00"})
    assert response.status_code == 400
    assert "cannot be in the future" in str(response.context["form"].errors)


def test_the_spoc_records_too(as_sam, agency):
    assert as_sam.post(url(agency), FORM).status_code == 302
    assert ReleaseLogEntry.objects.get().recorded_by == "sam@alpha.test"


@pytest.mark.parametrize("client", ["as_vera", "as_bob"])
def test_readers_cannot_record(request, agency, client):
    response = request.getfixturevalue(client).post(url(agency), FORM)
    assert response.status_code == 403
    assert not ReleaseLogEntry.objects.exists()


def test_an_outsider_gets_404(as_charlie, agency):
    assert as_charlie.post(url(agency), FORM).status_code == 404
    assert not ReleaseLogEntry.objects.exists()


def test_a_missing_key_is_reported_on_the_form(as_alice, agency, settings):
    make_release_entry(agency)
    (settings.DATA_DIR / "keys" / "releaselog.key").unlink()
    response = as_alice.post(url(agency), FORM)
    assert response.status_code == 400
    assert "restore it from your backup" in response.content.decode()
    assert ReleaseLogEntry.objects.count() == 1
