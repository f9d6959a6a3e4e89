"""The worklist page: a list of 50 a page, sorted by any column, filtered in the
URL, downloaded as CSV and XLSX (the command's file)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from accdesk.core.models import ChangeRecord
from accdesk.testing import (
    assert_in_order,
    downloaded,
    listed,
    make_account,
    make_eligible_operator,
)

pytestmark = pytest.mark.django_db


def _url(agency, rest=""):
    return f"/a/{agency.ori}/roster/worklist/{rest}"


def _names(response):
    return [i.name for i in listed(response)]


def test_it_lists_people_to_deactivate_and_remediate_overdue_in_red(
    as_alice, agency, crew
):
    response = as_alice.get(_url(agency))
    assert response.status_code == 200
    assert _names(response) == ["Ben Baker", "Cal Cole"]
    html = response.content.decode()
    ben_row = html[html.index('data-employee-id="E2"') - 30 :][:200]
    assert 'class="overdue"' in ben_row
    cal_row = html[html.index('data-employee-id="E3"') - 30 :][:200]
    assert "overdue" not in cal_row
    assert "Jun 10, 2026" in html  # Ben: separated 06-10, due that day (issue 12)


def test_the_acc_ticks_accounts_in_one_form_not_a_form_per_row(as_alice, agency, crew):
    html = as_alice.get(_url(agency)).content.decode()
    account = crew["ben_account"]
    assert f'name="account" value="{account.pk}"' in html
    assert html.count('name="account"') == 1  # not for Cal (remediate)
    assert html.count('id="worklist-marks"') == 1
    assert "Mark all 1 matching account deactivated" in html
    assert "/roster/accounts/" not in html  # no single-account form any more


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam", "as_sue"])
def test_others_see_it_without_the_checkboxes(request, agency, crew, client):
    response = request.getfixturevalue(client).get(_url(agency))
    assert response.status_code == 200
    assert b'name="account"' not in response.content
    assert b"worklist-marks" not in response.content


def test_a_supervisor_sees_only_their_people(as_sue, agency, crew):
    assert _names(as_sue.get(_url(agency))) == ["Cal Cole"]


def test_it_shows_another_day_without_the_checkboxes(as_alice, agency, crew):
    response = as_alice.get(_url(agency, "?as_of=2026-06-01"))
    assert str(response.context["as_of"]) == "2026-06-01"
    # Ben's status is ``separated`` (date 2026-06-10): separated on any day,
    # due on the date itself (issue 12), not yet overdue on 2026-06-01 (issue 3).
    ben = next(i for i in listed(response) if i.name == "Ben Baker")
    assert ben.reason_codes == ["SEPARATED"]
    assert str(ben.due_date) == "2026-06-10"
    assert not ben.overdue(response.context["as_of"])
    assert b'name="account"' not in response.content


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("yesterday", b"is not a date"),
        ("9999-12-31", b"is outside the dates"),
        ("0001-01-01", b"is outside the dates"),
    ],
)
def test_a_bad_date_shows_today_with_a_message(as_alice, agency, crew, as_of, message):
    response = as_alice.get(_url(agency), {"as_of": as_of})
    assert response.status_code == 200
    assert str(response.context["as_of"]) == "2026-06-15"
    assert message in response.content


def test_an_outsider_gets_404(as_charlie, agency, crew):
    assert as_charlie.get(_url(agency)).status_code == 404


# -- Sorting, pages, filters --------------------------------------------------------

# What each column holds, as a person reads it.
RANK = {"deactivate": 0, "remediate": 1}
CELLS = {
    "due_date": lambda i: i.due_date,
    "name": lambda i: i.name,
    "operator_ids": lambda i: tuple(i.operator_ids),
    "action": lambda i: RANK[i.action],
    "reasons": lambda i: tuple(i.reason_codes),
}


@pytest.mark.parametrize("key", list(CELLS))
@pytest.mark.parametrize("descending", [False, True])
def test_it_sorts_by_every_column(as_alice, agency, crew, key, descending):
    make_account(agency, operator_id="ZZ9", employee_id="NOBODY")  # an orphan
    response = as_alice.get(_url(agency), {"sort": f"-{key}" if descending else key})
    assert response.status_code == 200
    values = [CELLS[key](i) for i in listed(response)]
    if key == "reasons":  # ORPHAN_ACCOUNT < MISSING_STATEMENT in the rules' order
        order = {"SEPARATED": 0, "ORPHAN_ACCOUNT": 1, "MISSING_STATEMENT": 2}
        values = [tuple(order[c] for c in v) for v in values]
    assert_in_order(values, descending=descending)
    assert f"sort={'-' if not descending else ''}{key}" in response.content.decode()


def test_it_says_why_it_cannot_sort_by_an_unknown_column(as_alice, agency, crew):
    response = as_alice.get(_url(agency), {"sort": "salary"})
    assert response.status_code == 400
    assert b"cannot be sorted by" in response.content


def _many(agency, n):
    today = agency.today()
    for k in range(n):
        make_eligible_operator(
            agency,
            last_name=f"Gone{k:03d}",
            employment_status="separated",
            separation_date=today - dt.timedelta(days=1),
        )


def test_it_shows_50_a_page_and_keeps_the_filters_in_every_link(as_alice, agency, crew):
    _many(agency, 55)
    query = {"status": "must_deactivate", "q": "gone", "sort": "name"}
    first = as_alice.get(_url(agency), query)
    assert len(listed(first)) == 50 and first.context["listing"].count == 55
    html = first.content.decode()
    assert "Page 1 of 2" in html
    assert "?status=must_deactivate&amp;q=gone&amp;sort=name&amp;page=2" in html
    assert "format=csv" in html and "status=must_deactivate" in html
    second = as_alice.get(_url(agency), {**query, "page": "2"})
    assert [i.name for i in listed(second)][0] == "Pat Gone050"
    assert len(listed(second)) == 5


@pytest.mark.parametrize("page", ["0", "-1", "3", str(10**12), "x"])
def test_a_page_that_does_not_exist_is_a_bad_request(as_alice, agency, crew, page):
    response = as_alice.get(_url(agency), {"page": page})
    assert response.status_code == 400
    assert b"page" in response.content and b"<nav" in response.content


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"status": "remediate"}, ["Cal Cole"]),
        ({"reason": "SEPARATED"}, ["Ben Baker"]),
        ({"q": "cole"}, ["Cal Cole"]),
    ],
)
def test_it_filters(as_alice, agency, crew, query, names):
    assert _names(as_alice.get(_url(agency), query)) == names


def test_a_bad_filter_is_a_bad_request_that_says_which(as_alice, agency, crew):
    response = as_alice.get(_url(agency), {"status": "eligible"})
    assert response.status_code == 400
    assert b"Action:" in response.content


# -- Downloads -------------------------------------------------------------------------


def test_the_csv_matches_the_command_and_is_recorded(as_alice, agency, crew):
    response = as_alice.get(f"/a/{agency.ori}/roster/worklist.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = downloaded(response)
    assert [
        (r["employee_id"], r["reasons"], r["due_date"], r["overdue"]) for r in rows
    ] == [
        ("E2", "SEPARATED", "2026-06-10", "yes"),
        ("E3", "MISSING_STATEMENT", "2026-06-15", "no"),
    ]
    out = io.StringIO()
    call_command("worklist", agency=agency.ori, format="csv", stdout=out)
    page = as_alice.get(_url(agency), {"format": "csv"})
    assert b"".join(page.streaming_content).decode() == out.getvalue().replace(
        "\n", "\r\n"
    )
    event = ChangeRecord.objects.filter(event="export", agency_id=agency.pk).first()
    assert event.message == (
        "worklist as of 2026-06-15 downloaded as CSV: 2 rows; filters: none"
    )


def test_the_csv_can_hold_everyone_and_is_scoped_for_a_supervisor(
    as_alice, as_sue, agency, crew
):
    url = f"/a/{agency.ori}/roster/worklist.csv?all=1"
    assert len(downloaded(as_alice.get(url))) == 3
    assert [r["employee_id"] for r in downloaded(as_sue.get(url))] == ["E3", "E1"]


def test_the_xlsx_has_the_rows_in_the_page_order_with_the_filters_applied(
    as_alice, agency, crew
):
    response = as_alice.get(_url(agency), {"format": "xlsx", "sort": "-due_date"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "worklist-" in response["Content-Disposition"]
    rows = downloaded(response)
    assert [r["name"] for r in rows] == ["Cal Cole", "Ben Baker"]
    assert rows[0]["due_date"].date() == dt.date(2026, 6, 15)  # a date cell
    assert rows[1]["status"] == "must_deactivate"  # the codes of the file
    filtered = as_alice.get(_url(agency), {"format": "xlsx", "reason": "SEPARATED"})
    assert [r["name"] for r in downloaded(filtered)] == ["Ben Baker"]
    events = ChangeRecord.objects.filter(event="export", agency_id=agency.pk)
    assert sorted(e.message for e in events) == [
        "worklist as of 2026-06-15 downloaded as XLSX: 1 row; filters: reason",
        "worklist as of 2026-06-15 downloaded as XLSX: 2 rows; filters: none",
    ]


def test_a_download_of_another_kind_is_a_bad_request(as_alice, agency, crew):
    response = as_alice.get(_url(agency), {"format": "pdf"})
    assert response.status_code == 400
    assert not ChangeRecord.objects.filter(event="export").exists()
