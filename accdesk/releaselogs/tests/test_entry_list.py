"""The searchable list: /a/<ori>/releases/."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.releaselogs.chain import append
from accdesk.releaselogs.tests.tamper import update_entry
from accdesk.releaselogs.verification import verify
from accdesk.testing import assert_in_order, downloaded, make_release_entry

pytestmark = pytest.mark.django_db
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def url(agency):
    return f"/a/{agency.ori}/releases/"


def listed(response):
    return [entry.sequence for entry in response.context["listing"]]


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
    # 11, the integrity-alert banner, and 4 for the view's change-record entry
    # on its chain (savepoint, lock and move the head, release: core/chain.py)
    with django_assert_num_queries(16):
        as_alice.get(url(agency))


@pytest.mark.parametrize("client", ["as_sam", "as_vera", "as_bob"])
def test_readers_see_it_without_the_record_button(request, agency, client):
    response = request.getfixturevalue(client).get(url(agency))
    assert response.status_code == 200
    assert response.context["can_record"] == (client == "as_sam")


def test_an_outsider_gets_404(as_charlie, agency):
    assert as_charlie.get(url(agency)).status_code == 404


# -- Sorting, pages, downloads ------------------------------------------------------


@pytest.fixture
def three(agency):
    """Three releases that differ in every column the page shows."""
    make_release_entry(
        agency,
        released_at=dt.datetime(2025, 1, 2, 9, tzinfo=LA),
        requesting_agency="bravo County DA",
        requestor_name="Cy Zed",
        information="CII rap sheet – B",
        method="mail",
        case_number="LK-2",
        released_by="Rita Clerk",
    )
    make_release_entry(
        agency,
        released_at=dt.datetime(2025, 1, 3, 9, tzinfo=LA),
        requesting_agency="Alpha Probation",
        requestor_name="ann Young",
        information="CII rap sheet – A",
        method="email",
        case_number="LK-3",
        released_by="Al Booker",
    )
    original = make_release_entry(
        agency,
        released_at=dt.datetime(2025, 1, 1, 9, tzinfo=LA),
        requesting_agency="Charlie Court",
        requestor_name="Bo Xu",
        information="III record – C",
        method="fax",
        case_number="",
        released_by="Zoe Last",
    )
    append(original.correction("wrong terminal", receiving_terminal="BCDA09"))


CELLS = {
    "sequence": lambda e: e.sequence,
    "released_at": lambda e: e.released_at,
    "requesting_agency": lambda e: e.requesting_agency,
    "requestor_name": lambda e: e.requestor_name,
    "information": lambda e: e.information,
    "method": lambda e: e.method,
    "case_number": lambda e: e.case_number,
    "released_by": lambda e: e.released_by,
}


@pytest.mark.parametrize("key", list(CELLS))
@pytest.mark.parametrize("descending", [False, True])
def test_it_sorts_by_every_column(as_alice, agency, three, key, descending):
    response = as_alice.get(url(agency), {"sort": f"-{key}" if descending else key})
    assert response.status_code == 200
    values = [CELLS[key](e) for e in response.context["listing"]]
    assert_in_order(values, descending=descending)
    assert f"sort={'' if descending else '-'}{key}" in response.content.decode()


def test_it_pages_at_50_and_keeps_the_search_in_the_links(as_alice, agency):
    for _ in range(51):
        make_release_entry(agency, method="mail")
    response = as_alice.get(url(agency), {"method": "mail", "sort": "sequence"})
    assert listed(response) == list(range(1, 51))
    html = response.content.decode()
    assert "?method=mail&amp;sort=sequence&amp;page=2" in html
    assert "Rows 1–50 of 51" in html
    second = as_alice.get(
        url(agency), {"method": "mail", "sort": "sequence", "page": 2}
    )
    assert listed(second) == [51]


def test_it_downloads_the_search_as_csv_and_records_the_export(as_alice, agency, three):
    response = as_alice.get(url(agency), {"format": "csv", "q": "rap sheet"})
    rows = downloaded(response)
    assert [r["sequence"] for r in rows] == ["2", "1"]  # newest release first
    assert rows[0]["released_at"] == "2025-01-03T09:00:00-08:00"  # agency time
    assert rows[0]["requesting_agency"] == "Alpha Probation"
    assert set(rows[0]) >= {"information", "purpose", "superseded_by"}
    event = ChangeRecord.objects.get(event="export")
    assert event.message == "release log downloaded as CSV: 2 rows; filters: q"


def test_it_downloads_xlsx_with_corrections(as_alice, agency, three):
    rows = downloaded(as_alice.get(url(agency), {"format": "xlsx", "sort": "sequence"}))
    assert [
        (r["sequence"], r["corrects_sequence"], r["superseded_by"]) for r in rows
    ] == [
        (1, None, None),
        (2, None, None),
        (3, None, 4),
        (4, 3, None),
    ]


@pytest.mark.parametrize("client", ["as_sam", "as_bob"])
def test_those_who_may_export_may_download(request, agency, three, client):
    response = request.getfixturevalue(client).get(url(agency), {"format": "csv"})
    assert len(downloaded(response)) == 4


def test_a_viewer_sees_the_list_but_cannot_download_it(as_vera, agency, three):
    page = as_vera.get(url(agency))
    assert page.status_code == 200 and b"format=csv" not in page.content
    assert as_vera.get(url(agency), {"format": "csv"}).status_code == 403
    assert not ChangeRecord.objects.filter(event="export").exists()


@pytest.mark.parametrize(
    "query",
    [
        {"released_to": "9999-12-31"},
        {"released_from": "0001-01-01"},
        {"method": "pigeon"},
        {"sort": "hash"},
        {"page": "-1"},
    ],
)
def test_bad_parameters_are_a_bad_request(as_alice, agency, three, query):
    response = as_alice.get(url(agency), query)
    assert response.status_code == 400
    assert response.context["message"]
