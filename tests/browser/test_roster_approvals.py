"""Recording the agency head's approval of imported clearances: the person is on
the worklist as "Clearance not approved by the agency head" until the ACC ticks
their checks on the Approvals page and records who approved them and when."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accdesk.personnel.models import BackgroundCheck
from accdesk.testing import make_eligible_operator
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_acc_records_the_agency_heads_approval(page, live_server, alice, agency):
    person, _ = make_eligible_operator(
        agency, employee_id="E1", first_name="Dora", last_name="Vance"
    )
    BackgroundCheck.objects.filter(person=person).update(
        approved_by="", approved_date=None
    )
    sign_in(page, live_server.url, alice)

    page.get_by_role("link", name="Worklist", exact=True).first.click()
    row = page.locator("#worklist tr", has_text="Dora Vance")
    expect(row).to_contain_text("Clearance not approved by the agency head")

    page.get_by_role("link", name="Approvals", exact=True).click()
    form = page.locator("#approve-checks")
    expect(form.locator("tbody tr")).to_have_count(2)
    form.get_by_label("Approve State (CA DOJ) fingerprint check of Dora Vance").check()
    form.get_by_label("Approve FBI fingerprint check of Dora Vance").check()
    page.get_by_label("Approved by").fill("Chief R. Alvarez")
    page.get_by_label("Approved on").fill(str(agency.today()))
    page.get_by_role("button", name="Record approval").click()

    expect(page.locator(".messages")).to_contain_text("Approval by Chief R. Alvarez")
    expect(page.locator("#approve-checks")).to_contain_text(
        "Every cleared background check has its approval on file"
    )
    page.get_by_role("link", name="Worklist", exact=True).first.click()
    expect(page.locator("#worklist")).not_to_contain_text("Dora Vance")
