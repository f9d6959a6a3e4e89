from __future__ import annotations

import pytest

from accdesk import testing
from accdesk.core.models import ChangeRecord
from accdesk.querylogs.tests.conftest import MARCH, url
from accdesk.testing import assert_in_order, downloaded, listed


def test_it_lists_findings_with_a_link_to_each_explanation(as_bob, imported):
    page = as_bob.get(url("findings", imported.agency), MARCH)
    assert page.status_code == 200
    rules = sorted(r["rule"] for r in listed(page))
    assert rules == ["PURPOSE_INVALID", "SELF_QUERY"]
    assert b"/rows/2026-03/" in page.content


def test_it_filters_by_rule_and_operator(as_alice, imported):
    page = as_alice.get(
        url("findings", imported.agency), {**MARCH, "rule": "SELF_QUERY"}
    )
    assert [r["rule"] for r in listed(page)] == ["SELF_QUERY"]
    page = as_alice.get(url("findings", imported.agency), {**MARCH, "operator": "op9"})
    assert page.context["listing"].count == 0


def test_outsiders_get_404(as_charlie, imported):
    assert as_charlie.get(url("findings", imported.agency)).status_code == 404


# -- Sorting and pages ---------------------------------------------------------------

CELLS = {
    "ts": lambda f: f["ts"],
    "operator_id": lambda f: f["operator_id"],
    "terminal": lambda f: f["terminal"],
    "rule": lambda f: f["rule"],
    "severity": lambda f: f["severity"],
    "detail": lambda f: f["detail"],
}


@pytest.mark.parametrize("key", list(CELLS))
@pytest.mark.parametrize("descending", [False, True])
def test_it_sorts_by_every_column(as_alice, varied, key, descending):
    query = {**MARCH, "sort": f"-{key}" if descending else key}
    page = as_alice.get(url("findings", varied.agency), query)
    assert page.status_code == 200
    assert_in_order([CELLS[key](f) for f in listed(page)], descending=descending)
    assert f"sort={'' if descending else '-'}{key}" in page.content.decode()


def test_it_is_newest_first_by_default(as_alice, varied):
    times = [f["ts"] for f in listed(as_alice.get(url("findings", varied.agency)))]
    assert_in_order(times, descending=True)


@pytest.fixture
def sixty(roster, tmp_path):
    """60 inquiries with purpose code R: 60 PURPOSE_INVALID findings in March."""
    rows = [
        {
            "timestamp": f"2026-03-{1 + n // 3:02d}T{8 + n % 3:02d}:00:00",
            "purpose_code": "R",
        }
        for n in range(60)
    ]
    return testing.make_querylog_import(
        roster, testing.make_querylog(tmp_path / "sixty.csv", rows)
    )


def test_it_shows_50_a_page_with_the_filters_in_the_links(as_alice, sixty):
    query = {**MARCH, "rule": "PURPOSE_INVALID", "sort": "ts"}
    first = as_alice.get(url("findings", sixty.agency), query)
    assert len(listed(first)) == 50 and first.context["listing"].count == 60
    html = first.content.decode()
    assert "Page 1 of 2" in html and "Rows 1–50 of 60" in html
    assert (
        "?date_from=2026-03-01&amp;date_to=2026-03-31&amp;rule=PURPOSE_INVALID"
        "&amp;sort=ts&amp;page=2"
    ) in html
    second = as_alice.get(url("findings", sixty.agency), {**query, "page": "2"})
    rows = listed(second)
    assert len(rows) == 10
    assert rows[0]["ts"] > listed(first)[-1]["ts"]  # the order goes on


@pytest.mark.parametrize(
    "query",
    [
        {"date_to": "0001-01-01"},
        {"date_from": "9999-12-31"},
        {"page": str(10**12)},
        {"page": "-1"},
        {"page": "2"},
        {"sort": "subject_name"},
        {"rule": "NOT_A_RULE"},
        {"operator": "x" * 41},
        {"q": "x" * 10_000},
    ],
)
def test_bad_parameters_are_a_bad_request_with_a_message(as_alice, imported, query):
    page = as_alice.get(url("findings", imported.agency), query)
    assert page.status_code == 400
    assert page.context["message"]
    assert b'aria-label="Sections"' in page.content  # within the site's layout


# -- Downloads -----------------------------------------------------------------------


def test_a_download_has_the_filtered_findings_without_subjects(as_alice, varied):
    query = {**MARCH, "operator": "zed9", "format": "csv"}
    response = as_alice.get(url("findings", varied.agency), query)
    rows = downloaded(response)
    assert {r["rule"] for r in rows} == {"OPERATOR_NOT_AUTHORIZED"}
    assert {r["operator_id"] for r in rows} == {"ZED9"}
    assert [r["ts"][:10] for r in rows] == ["2026-03-07", "2026-03-06"]
    assert "subject_name" not in rows[0] and "subject_dob" not in rows[0]
    assert set(rows[0]) >= {"ts", "terminal", "severity", "detail", "month", "key"}
    event = ChangeRecord.objects.get(event="export", agency_id=varied.agency.pk)
    assert event.message == (
        "query-log findings 2026-03-01 to 2026-03-31 downloaded as CSV: 2 rows; "
        "filters: date_from, date_to, operator"
    )
    assert not ChangeRecord.objects.filter(event="export.chri").exists()


def test_no_subject_is_in_a_default_download(as_alice, varied):
    response = as_alice.get(url("findings", varied.agency), {**MARCH, "format": "xlsx"})
    rows = downloaded(response)
    assert len(rows) == sum(varied.by_rule.values())  # every finding of March
    text = repr(rows)
    assert "ALVAREZ" not in text and "ROE" not in text and "1985" not in text


def test_the_acc_may_include_subjects_and_that_is_recorded_as_chri(
    as_alice, alice, varied
):
    query = {**MARCH, "rule": "SELF_QUERY", "format": "xlsx", "subjects": "1"}
    rows = downloaded(as_alice.get(url("findings", varied.agency), query))
    assert [(r["subject_name"], r["subject_dob"]) for r in rows] == [
        ("ALVAREZ,MARIA", "1985-05-05")
    ]
    event = ChangeRecord.objects.get(event="export.chri")
    assert event.actor_id == alice.pk and event.agency_id == varied.agency.pk
    assert (
        "1 row;" in event.message
        and "filters: date_from, date_to, rule" in event.message
    )
    assert "dissemination of CHRI" in event.message
    assert "ALVAREZ" not in event.message
    assert not ChangeRecord.objects.filter(event="export").exists()


def test_the_page_offers_the_subjects_box_only_to_who_may_see_subjects(
    as_alice, as_bob, varied
):
    box = b'name="subjects"'
    assert box in as_alice.get(url("findings", varied.agency)).content
    assert box not in as_bob.get(url("findings", varied.agency)).content


def test_others_may_download_but_never_with_subjects(as_bob, varied):
    plain = as_bob.get(url("findings", varied.agency), {"format": "csv"})
    assert len(downloaded(plain)) > 0
    asked = as_bob.get(
        url("findings", varied.agency), {"format": "csv", "subjects": "1"}
    )
    assert asked.status_code == 403
    assert not ChangeRecord.objects.filter(event="export.chri").exists()


def test_a_subjects_value_other_than_1_is_a_bad_request(as_alice, varied):
    page = as_alice.get(
        url("findings", varied.agency), {"format": "csv", "subjects": "yes"}
    )
    assert page.status_code == 400
