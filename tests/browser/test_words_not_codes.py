"""Pages speak in words: reasons, statuses and rules by their labels (the code in
small type beside them), dates US style; a separated person is "Separated", never
a green "Eligible"."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from accdesk import testing
from accdesk.lib.text import us_date
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(agency):
    today = agency.today()
    gone = testing.make_person(
        agency,
        first_name="Gina",
        last_name="Gone",
        employment_status="separated",
        separation_date=today - dt.timedelta(days=40),
    )
    leaving = testing.make_person(
        agency,
        first_name="Lou",
        last_name="Leaving",
        employment_status="separated",
        separation_date=today - dt.timedelta(days=3),
    )
    testing.make_account(agency, leaving)
    return gone, leaving


def test_the_worklist_gives_reasons_in_words_with_their_deadline(
    page, live_server, alice, agency, people
):
    _, leaving = people
    due = us_date(leaving.separation_date)  # access ends on the separation date
    sign_in(page, live_server.url, alice)
    page.get_by_role("link", name="Worklist", exact=True).first.click()
    row = page.locator("#worklist tr", has_text="Lou")
    expect(row).to_contain_text(f"Separated — deactivate by {due}")
    expect(row.locator(".code").first).to_have_text("SEPARATED")
    expect(row).to_contain_text("Deactivate")


def test_a_separated_person_is_never_a_green_eligible(
    page, live_server, alice, agency, people
):
    gone, _ = people
    sign_in(page, live_server.url, alice)
    page.goto(f"{live_server.url}/a/{agency.ori}/roster/")
    row = page.locator("#roster-table tr", has_text="Gina")
    expect(row.locator(".badge")).to_have_text("Separated")
    expect(row.locator(".badge-ok")).to_have_count(0)
    page.goto(f"{live_server.url}/a/{agency.ori}/roster/people/{gone.pk}/")
    expect(page.locator("#eligibility h2 .badge")).to_have_text("Separated")
