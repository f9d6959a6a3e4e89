"""The roster page: everyone with their status, filters and counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.html import escape

from accdesk.core.models import ChangeRecord
from accdesk.testing import (
    assert_in_order,
    downloaded,
    listed,
    make_account,
    make_eligible_operator,
)

pytestmark = pytest.mark.django_db


def _url(agency, query=""):
    return f"/a/{agency.ori}/roster/{query}"


def _names(response):
    return [item.name for item in listed(response)]


def test_the_acc_sees_everyone_with_counts(as_alice, agency, crew):
    response = as_alice.get(_url(agency))
    assert response.status_code == 200
    assert _names(response) == ["Ben Baker", "Cal Cole", "Ann Archer"]
    assert response.context["counts"] == {
        "must_deactivate": 1,
        "remediate": 1,
        "pending": 0,
        "expiring": 0,
        "eligible": 1,
    }
    assert b"MISSING_STATEMENT" in response.content


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?status=remediate", ["Cal Cole"]),
        ("?reason=SEPARATED", ["Ben Baker"]),
        ("?role_level=privileged", ["Cal Cole"]),
        ("?supervisor=S1", ["Cal Cole", "Ann Archer"]),
        ("?q=archer", ["Ann Archer"]),
        ("?q=E2", ["Ben Baker"]),
        ("?status=eligible&supervisor=S2", []),
    ],
)
def test_it_filters(as_alice, agency, crew, query, names):
    assert _names(as_alice.get(_url(agency, query))) == names


def test_people_without_a_role_level_can_be_listed(as_alice, agency, crew):
    crew["ann"].role_level = ""
    crew["ann"].save()
    assert _names(as_alice.get(_url(agency, "?role_level=none"))) == ["Ann Archer"]


def test_the_supervisor_filter_offers_the_supervisors_on_the_roster(
    as_alice, agency, crew
):
    choices = dict(
        as_alice.get(_url(agency)).context["form"].fields["supervisor"].choices
    )
    assert set(choices) == {"", "S1", "S2"}


def test_htmx_gets_only_the_results(as_alice, agency, crew):
    response = as_alice.get(_url(agency, "?status=remediate"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b'id="roster-table"' in response.content
    assert b"Cal Cole" in response.content and b"Ann Archer" not in response.content


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam"])
def test_read_only_roles_see_the_roster(request, agency, crew, client):
    response = request.getfixturevalue(client).get(_url(agency))
    assert response.status_code == 200 and len(_names(response)) == 3
    assert b"Import files" not in response.content


def test_a_supervisor_sees_only_their_people(as_sue, agency, crew):
    response = as_sue.get(_url(agency))
    assert _names(response) == ["Cal Cole", "Ann Archer"]
    assert response.context["counts"]["must_deactivate"] == 0


def test_a_supervisor_not_linked_to_the_roster_sees_no_one(agency, crew):
    from accdesk import testing

    member = testing.make_member(agency, "supervisor")
    response = testing.signed_in_client(member.user).get(_url(agency))
    assert response.status_code == 200 and _names(response) == []


def test_an_outsider_gets_404(as_charlie, agency, crew):
    assert as_charlie.get(_url(agency)).status_code == 404


def test_the_query_count_does_not_grow_with_the_roster(
    as_alice, agency, crew, django_assert_max_num_queries
):
    from accdesk.testing import make_eligible_operator

    for _ in range(10):
        make_eligible_operator(agency)
    as_alice.get(_url(agency))  # the first read builds the stored worklist
    with django_assert_max_num_queries(20):
        response = as_alice.get(_url(agency))
    assert len(_names(response)) == 13


# -- Sorting, pages, filters, downloads ---------------------------------------------

STATUS_RANK = {"must_deactivate": 0, "remediate": 1, "eligible": 4}
CELLS = {
    "name": lambda i: i.name,
    "employee_id": lambda i: i.employee_id,
    "role_level": lambda i: i.person.role_level if i.person else "",
    "operator_ids": lambda i: tuple(i.operator_ids),
    "status": lambda i: STATUS_RANK[i.status],
    "reasons": lambda i: tuple(i.reason_codes),
    "due_date": lambda i: i.due_date,
}


@pytest.mark.parametrize("key", list(CELLS))
@pytest.mark.parametrize("descending", [False, True])
def test_it_sorts_by_every_column(as_alice, agency, crew, key, descending):
    make_account(agency, operator_id="ZZ9", employee_id="NOBODY")  # an orphan
    crew["ben"].role_level = "unescorted"
    crew["ben"].save()
    response = as_alice.get(_url(agency), {"sort": f"-{key}" if descending else key})
    values = [CELLS[key](i) for i in listed(response)]
    if key == "reasons":  # in the order the rules list them
        order = {"SEPARATED": 0, "ORPHAN_ACCOUNT": 1, "MISSING_STATEMENT": 2}
        values = [tuple(order[c] for c in v) for v in values]
    assert_in_order(values, descending=descending)
    assert f"sort={'' if descending else '-'}{key}" in response.content.decode()


def test_it_shows_50_a_page_and_keeps_filters_and_sort_in_the_links(
    as_alice, agency, crew
):
    for k in range(52):
        make_eligible_operator(agency, last_name=f"Many{k:03d}", role_level="general")
    query = {"role_level": "general", "sort": "-name"}
    first = as_alice.get(_url(agency), query)
    assert first.context["listing"].count == 54  # and Ann and Ben (not Cal)
    assert len(listed(first)) == 50
    html = first.content.decode()
    assert "?role_level=general&amp;sort=-name&amp;page=2" in html
    assert '<input type="hidden" name="sort" value="-name">' in html  # the filters
    last = as_alice.get(_url(agency), {**query, "page": "2"})
    assert _names(last) == ["Pat Many001", "Pat Many000", "Ben Baker", "Ann Archer"]


def test_it_downloads_the_filtered_roster_as_csv_and_records_it(as_alice, agency, crew):
    response = as_alice.get(_url(agency), {"format": "csv", "supervisor": "S1"})
    rows = downloaded(response)
    assert [(r["name"], r["status"], r["role_level"]) for r in rows] == [
        ("Cal Cole", "remediate", "privileged"),
        ("Ann Archer", "eligible", "general"),
    ]
    assert response["Content-Disposition"] == (
        f'attachment; filename="roster-{agency.ori}-2026-06-15.csv"'
    )
    event = ChangeRecord.objects.get(event="export")
    assert event.agency_id == agency.pk and event.actor_label == "alice@alpha.test"
    assert event.message == (
        "roster as of 2026-06-15 downloaded as CSV: 2 rows; filters: supervisor"
    )


def test_it_downloads_xlsx_with_dates_as_dates(as_alice, agency, crew):
    rows = downloaded(as_alice.get(_url(agency), {"format": "xlsx", "sort": "name"}))
    assert [r["name"] for r in rows] == ["Ann Archer", "Ben Baker", "Cal Cole"]
    assert rows[1]["due_date"].date() == dt.date(2026, 6, 10)
    assert rows[0]["due_date"] is None


def test_a_supervisor_downloads_only_their_people(as_sue, agency, crew):
    rows = downloaded(as_sue.get(_url(agency), {"format": "csv"}))
    assert {r["name"] for r in rows} == {"Cal Cole", "Ann Archer"}


@pytest.mark.parametrize(
    "query",
    [
        {"status": "retired"},
        {"supervisor": "S9"},
        {"sort": "salary"},
        {"page": "2"},
        {"page": str(10**12)},
        {"q": "x" * 3000},
    ],
)
def test_bad_parameters_are_a_bad_request_with_a_message(as_alice, agency, crew, query):
    response = as_alice.get(_url(agency), query)
    assert response.status_code == 400
    message = response.context["message"]
    assert message and escape(message) in response.content.decode()
