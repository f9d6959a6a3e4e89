from __future__ import annotations

import pytest

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
