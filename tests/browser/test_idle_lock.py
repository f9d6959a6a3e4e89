"""AC-11(1): after 30 idle minutes the page hides its contents and the session ends."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_idle_page_locks_itself(page, live_server, alice, agency):
    page.clock.install()
    sign_in(page, live_server.url, alice)
    expect(page.get_by_role("heading", name=agency.name)).to_be_visible()

    page.clock.run_for("29:00")
    expect(page.get_by_role("heading", name=agency.name)).to_be_visible()

    page.clock.run_for("01:01")
    expect(page.get_by_role("heading", name="Session locked")).to_be_visible()
    expect(page.get_by_text(agency.name)).to_have_count(0)
    # The server ended the session too: going back asks for the sign-in again.
    page.goto(f"{live_server.url}/a/{agency.ori}/")
    expect(page.get_by_role("heading", name="Restricted system")).to_be_visible()
