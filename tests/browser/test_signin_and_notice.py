"""The foundation's walk: sign in with password + TOTP, see the dashboard, change
the agency phone, see the Notify DOJ task."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_acc_changes_the_phone_and_gets_a_notify_doj_task(
    page, live_server, alice, agency, artifacts
):
    sign_in(page, live_server.url, alice)
    expect(page.get_by_role("heading", name=agency.name)).to_be_visible()
    expect(page.locator("#panel-notices")).to_contain_text("Nothing to report")

    page.get_by_role("link", name="Agency", exact=True).click()
    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("Phone").fill("(555) 010-9999")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".notice-text")).to_contain_text("was: (555) 010-0000")
    expect(page.locator(".notice-text")).to_contain_text("now: (555) 010-9999")

    page.get_by_role("link", name="Dashboard").click()
    panel = page.locator("#panel-notices")
    expect(panel).to_contain_text("Agency telephone changed")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
