from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accdesk.core.models import ChangeRecord
from accdesk.testing import assert_in_order, downloaded, listed, make_misuse_case

pytestmark = pytest.mark.django_db
CLOSED = {"closed_on": dt.date(2025, 6, 1), "finding": "unfounded", "action": "none"}


@pytest.fixture
def url(agency):
    return reverse("investigations:list", kwargs={"ori": agency.ori})


@pytest.fixture
def cases(agency, other_agency):
    make_misuse_case(agency, case_number="IA-OPEN", subject_description="A clerk")
    make_misuse_case(agency, case_number="IA-CLOSED", **CLOSED)
    make_misuse_case(other_agency, case_number="IA-FOREIGN")


def test_it_lists_open_cases_by_default(as_alice, url, cases):
    response = as_alice.get(url)
    assert b"IA-OPEN" in response.content and b"A clerk" in response.content
    assert b"IA-CLOSED" not in response.content
    assert b"IA-FOREIGN" not in response.content


@pytest.mark.parametrize(
    ("show", "expected"),
    [("closed", {"IA-CLOSED"}), ("all", {"IA-OPEN", "IA-CLOSED"})],
)
def test_it_filters(as_alice, url, cases, show, expected):
    response = as_alice.get(url, {"show": show})
    assert {c.case_number for c in listed(response)} == expected


def test_it_records_the_view(as_alice, url, cases, alice, agency):
    as_alice.get(url)
    record = ChangeRecord.objects.get(event="view", actor_id=alice.pk)
    assert record.agency_id == agency.pk
    assert record.message == "misuse case list (open), page 1: 1 of 1 case(s)"


def test_the_spoc_gets_no_edit_buttons(as_sam, url, cases):
    response = as_sam.get(url)
    assert response.status_code == 200
    assert b"New case" not in response.content and b"Import" not in response.content


def test_it_is_in_the_navigation_for_acc_and_spoc_only(as_alice, as_vera, agency, url):
    dashboard = reverse("dashboard:agency", kwargs={"ori": agency.ori})
    assert f'href="{url}"'.encode() in as_alice.get(dashboard).content
    assert f'href="{url}"'.encode() not in as_vera.get(dashboard).content


def test_it_does_not_query_once_per_case(as_alice, url, agency, person):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            as_alice.get(url)
        return len(captured)

    make_misuse_case(agency, subject=person)
    few = queries()
    for _ in range(4):
        make_misuse_case(agency, subject=person)
    assert queries() == few


# -- Sorting, pages, downloads ------------------------------------------------------


@pytest.fixture
def three(agency, person):
    """Cases that differ in every column of the list."""
    make_misuse_case(
        agency,
        case_number="ia-2",
        opened_on=dt.date(2025, 2, 1),
        subject=person,
        source="complaint",
        systems=["DMV"],
        allegation="DMV look-ups",
    )
    make_misuse_case(
        agency,
        case_number="IA-1",
        opened_on=dt.date(2025, 1, 1),
        subject_description="a former clerk",
        source="audit",
        systems=["CLETS", "CORI"],
        allegation="Rap sheet of a neighbour",
        **CLOSED,
    )
    make_misuse_case(
        agency,
        case_number="IA-3",
        opened_on=dt.date(2025, 3, 1),
        subject_description="Zed, unknown",
        source="referral",
        systems=["NCIC"],
        allegation="Warrant check",
        closed_on=dt.date(2025, 5, 1),
        finding="sustained",
        action="reprimand",
    )


CELLS = {
    "case_number": lambda c: c.case_number,
    "opened_date": lambda c: c.opened_on,
    "closed_date": lambda c: c.closed_on,
    "subject": lambda c: c.subject_label,
    "source": lambda c: c.source,
    "systems": lambda c: tuple(c.systems),
    "finding": lambda c: c.finding,
    "action": lambda c: c.action,
}


@pytest.mark.parametrize("key", list(CELLS))
@pytest.mark.parametrize("descending", [False, True])
def test_it_sorts_by_every_column(as_alice, url, three, key, descending):
    query = {"show": "all", "sort": f"-{key}" if descending else key}
    response = as_alice.get(url, query)
    assert response.status_code == 200
    assert_in_order([CELLS[key](c) for c in listed(response)], descending=descending)
    assert f"sort={'' if descending else '-'}{key}" in response.content.decode()


def test_it_pages_at_50_and_keeps_the_filter_and_sort(as_alice, url, agency):
    for n in range(51):
        make_misuse_case(agency, case_number=f"IA-{n:03d}")
    response = as_alice.get(url, {"show": "open", "sort": "case_number"})
    assert len(listed(response)) == 50
    html = response.content.decode()
    assert "?show=open&amp;sort=case_number&amp;page=2" in html
    assert '<a href="?show=all&amp;sort=case_number">All</a>' in html
    second = as_alice.get(url, {"show": "open", "sort": "case_number", "page": "2"})
    assert [c.case_number for c in listed(second)] == ["IA-050"]


def test_it_downloads_the_cases_shown_as_the_import_reads_them(
    as_alice, url, agency, three
):
    rows = downloaded(as_alice.get(url, {"show": "closed", "format": "csv"}))
    assert [r["case_number"] for r in rows] == ["IA-3", "IA-1"]
    assert rows[1] | {"allegation": ""} == {
        "case_number": "IA-1",
        "opened_date": "2025-01-01",
        "closed_date": "2025-06-01",
        "subject": "a former clerk",
        "subject_employee_id": "",
        "source": "audit",
        "systems": "CLETS;CORI",
        "allegation": "",
        "finding": "unfounded",
        "action": "none",
        "referred_for_prosecution": "no",
    }
    event = ChangeRecord.objects.get(event="export")
    assert event.agency_id == agency.pk
    assert event.message == (
        "misuse case list (closed) downloaded as CSV: 2 rows; filters: show"
    )


def test_the_xlsx_has_the_roster_subject(as_sam, url, three, person):
    rows = downloaded(as_sam.get(url, {"format": "xlsx", "sort": "opened_date"}))
    assert [r["case_number"] for r in rows] == ["ia-2"]  # open cases only
    assert rows[0]["subject_employee_id"] == person.employee_id
    assert rows[0]["opened_date"].date() == dt.date(2025, 2, 1)


@pytest.mark.parametrize(
    "query", [{"show": "mine"}, {"sort": "secret"}, {"page": "2"}, {"format": "doc"}]
)
def test_bad_parameters_are_a_bad_request(as_alice, url, three, query):
    response = as_alice.get(url, query)
    assert response.status_code == 400
    assert response.context["message"]


def test_a_viewer_cannot_download_cases(as_vera, url, three):
    assert as_vera.get(url, {"format": "csv"}).status_code == 403
