from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accdesk.core.models import ChangeRecord
from accdesk.testing import make_misuse_case

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
    assert {c.case_number for c in response.context["cases"]} == expected


def test_it_records_the_view(as_alice, url, cases, alice, agency):
    as_alice.get(url)
    record = ChangeRecord.objects.get(event="view", actor_id=alice.pk)
    assert record.agency_id == agency.pk
    assert record.message == "misuse case list (open): 1 case(s)"


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
