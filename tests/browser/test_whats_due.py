"""What's due in a browser (issue 16): the dashboard panel, the list by week with
its filters, the month calendar, and a link through to the record."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from accdesk import testing
from accdesk.agency import notices
from accdesk.personnel.models import Certification
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_acc_sees_whats_due_on_the_dashboard_and_the_page(
    page, live_server, alice, agency, artifacts
):
    today = agency.today()
    person, account = testing.make_eligible_operator(
        agency, first_name="Jordan", last_name="Smith"
    )
    Certification.objects.filter(operator_id=account.operator_id).update(
        expiration_date=today + dt.timedelta(days=5)
    )
    notices.update_profile(agency, {"phone": "(555) 010-7777"}, today)
    sign_in(page, live_server.url, alice)

    panel = page.locator("#panel-due")
    expect(panel).to_contain_text("1 overdue")  # last year's misuse report
    expect(panel).to_contain_text("NexTEST expires")
    expect(panel).to_contain_text("J. Smith")
    panel.screenshot(path=str(artifacts / "whats-due-panel.png"))

    page.get_by_role("link", name="What's due").first.click()
    groups = page.locator(".due-group h2")
    expect(groups.first).to_contain_text("Overdue")
    expect(page.locator("#group-1")).to_contain_text("Misuse report for")
    expect(page.locator("main")).to_contain_text("Notify DOJ: Agency telephone")
    page.screenshot(path=str(artifacts / "whats-due.png"), full_page=True)

    page.get_by_label("Kind").select_option("nextest_expiry")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("main")).not_to_contain_text("Misuse report for")
    expect(page.locator(".deadline")).to_have_count(1)

    page.get_by_role("link", name="Month calendar").click()
    day = (today + dt.timedelta(days=5)).isoformat()
    if (today + dt.timedelta(days=5)).month != today.month:
        page.get_by_role("link", name="Next month").click()
    expect(page.locator(f'#due-calendar td[data-date="{day}"]')).to_contain_text(
        "NexTEST expires"
    )
    page.screenshot(path=str(artifacts / "whats-due-month.png"), full_page=True)
    page.locator(f'#due-calendar td[data-date="{day}"] a').first.click()
    expect(page.locator("h1")).to_contain_text("Jordan Smith")
