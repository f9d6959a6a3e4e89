from __future__ import annotations

import pytest

from accdesk import testing
from accdesk.querylogs.tests.conftest import MARCH, url


def test_it_shows_totals_compliance_rules_operators_and_the_trend(as_vera, imported):
    page = as_vera.get(url("overview", imported.agency), MARCH)
    assert page.status_code == 200
    text = page.content.decode()
    assert page.context["totals"]["chri_rows"] == 3
    assert page.context["compliance"] == pytest.approx(66.7)
    assert dict((r.name, n) for r, n in page.context["rules"])["PURPOSE_INVALID"] == 1
    assert page.context["operators"][0]["op"] == "OP1"
    assert '<svg class="ql-chart"' in text and "2026-03: 3 inquiries" in text


def test_an_empty_archive_says_so(as_alice, agency):
    page = as_alice.get(url("overview", agency))
    assert page.status_code == 200
    assert b"No inquiries in this period" in page.content
    assert b"Import a log" in page.content


@pytest.mark.parametrize(("persona", "status"), [("as_bob", 200), ("as_charlie", 404)])
def test_it_is_for_readers_of_the_agency(request, agency, persona, status):
    assert (
        request.getfixturevalue(persona).get(url("overview", agency)).status_code
        == status
    )


def test_the_period_defaults_to_twelve_months(as_alice, agency):
    page = as_alice.get(url("overview", agency))
    start, end = page.context["start"], page.context["end"]
    assert (
        start.day == 1
        and (end.year * 12 + end.month) - (start.year * 12 + start.month) == 11
    )


def test_it_opens_on_the_months_of_the_latest_import(as_alice, imported, tmp_path):
    page = as_alice.get(url("overview", imported.agency))
    assert (str(page.context["start"]), str(page.context["end"])) == (
        "2026-03-01",
        "2026-03-31",
    )
    assert page.context["totals"]["chri_rows"] == 3
    html = page.content.decode()
    assert "date_from=2026-03-01&amp;date_to=2026-03-31" in html  # tabs, links
    # A later import of January (a backfill) is the period it opens on next.
    testing.make_querylog_import(
        imported.agency,
        testing.make_querylog(
            tmp_path / "jan.csv",
            [
                {"timestamp": "2026-01-10T08:00:00"},
                {"timestamp": "2026-02-02T08:00:00"},
            ],
        ),
    )
    page = as_alice.get(url("overview", imported.agency))
    assert (str(page.context["start"]), str(page.context["end"])) == (
        "2026-01-01",
        "2026-02-28",
    )


def test_a_period_in_the_address_wins(as_alice, imported):
    page = as_alice.get(url("overview", imported.agency), {"date_from": "2026-02-01"})
    assert str(page.context["start"]) == "2026-02-01"


@pytest.mark.parametrize("query", [{"date_to": "0001-01-01"}, {"date_from": "x"}])
def test_a_bad_period_is_a_bad_request(as_alice, imported, query):
    page = as_alice.get(url("overview", imported.agency), query)
    assert page.status_code == 400
    assert b"Enter a" in page.content
