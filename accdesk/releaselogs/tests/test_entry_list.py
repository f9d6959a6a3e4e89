"""The searchable list: /a/<ori>/releases/."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.releaselogs.chain import append
from accdesk.releaselogs.tests.tamper import update_entry
from accdesk.releaselogs.verification import verify
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def url(agency):
    return f"/a/{agency.ori}/releases/"


def listed(response):
    return [entry.sequence for entry in response.context["page"]]


def test_it_lists_entries_newest_release_first(as_alice, agency, other_agency):
    make_release_entry(agency, released_at=dt.datetime(2025, 1, 2, 9, tzinfo=LA))
    make_release_entry(agency, released_at=dt.datetime(2025, 1, 1, 9, tzinfo=LA))
    make_release_entry(other_agency)
    response = as_alice.get(url(agency))
    assert response.status_code == 200
    assert listed(response) == [1, 2]


def test_it_searches(as_alice, agency):
    make_release_entry(agency, requestor_name="Pat Jones")
    make_release_entry(agency, case_number="LK-24-1187")
    make_release_entry(agency, method="mail")
    assert listed(as_alice.get(url(agency), {"q": "jones"})) == [1]
    assert listed(as_alice.get(url(agency), {"q": "1187"})) == [2]
    assert listed(as_alice.get(url(agency), {"method": "mail"})) == [3]


def test_it_filters_by_release_date_in_the_agency_calendar(as_alice, agency):
    make_release_entry(agency, released_at=dt.datetime(2025, 1, 1, 23, 59, tzinfo=LA))
    make_release_entry(agency, released_at=dt.datetime(2025, 1, 2, 0, 0, tzinfo=LA))
    response = as_alice.get(url(agency), {"released_from": "2025-01-02"})
    assert listed(response) == [2]
    response = as_alice.get(url(agency), {"released_to": "2025-01-01"})
    assert listed(response) == [1]


def test_it_shows_both_the_corrected_entry_and_its_correction(as_alice, agency):
    original = make_release_entry(agency)
    append(original.correction("wrong terminal", receiving_terminal="BCDA09"))
    content = as_alice.get(url(agency)).content.decode()
    assert "Superseded by #2" in content
    assert "Corrects #1" in content


def test_it_shows_the_head_and_the_last_verification(as_alice, agency):
    entry = make_release_entry(agency)
    content = as_alice.get(url(agency)).content.decode()
    assert "Never verified" in content
    verify(agency)
    content = as_alice.get(url(agency)).content.decode()
    assert "Intact" in content
    assert '<strong id="head-sequence">1</strong>' in content
    assert entry.hash in content


def test_it_shows_a_broken_chain(as_alice, agency):
    update_entry(make_release_entry(agency), purpose="altered")
    verify(agency)
    assert "Broken at entry 1" in as_alice.get(url(agency)).content.decode()


def test_viewing_the_list_is_recorded(as_alice, agency):
    as_alice.get(
        url(agency), {"q": "DOE, JOHN", "method": "", "released_from": "2025-01-01"}
    )
    event = ChangeRecord.objects.get(event="view", agency_id=agency.pk)
    # Search words may name a subject: the trail keeps which filters were used.
    assert event.message == "release log, page 1, filtered by q, released_from"


@pytest.mark.parametrize("count", [1, 30])
def test_it_takes_the_same_number_of_queries_for_any_page_size(
    as_alice, agency, django_assert_num_queries, count
):
    for _ in range(count):
        make_release_entry(agency)
    as_alice.get(url(agency))  # the session is touched on the first request
    with django_assert_num_queries(12):  # 11, and the integrity-alert banner
        as_alice.get(url(agency))


@pytest.mark.parametrize("client", ["as_sam", "as_vera", "as_bob"])
def test_readers_see_it_without_the_record_button(request, agency, client):
    response = request.getfixturevalue(client).get(url(agency))
    assert response.status_code == 200
    assert response.context["can_record"] == (client == "as_sam")


def test_an_outsider_gets_404(as_charlie, agency):
    assert as_charlie.get(url(agency)).status_code == 404
