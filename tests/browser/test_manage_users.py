"""The ACC resets a user's password from the Users page; the user signs in with
the one-time password, which the first-sign-in page asks for by that name."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from accdesk import testing
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reset_password_is_shown_once_and_asked_for_at_first_sign_in(
    page, browser, live_server, alice, vera
):
    sign_in(page, live_server.url, alice)
    page.get_by_role("link", name="Users", exact=True).click()
    page.get_by_role("link", name=f"Manage {vera.email}").click()
    # The code was used to sign in a moment ago: the next one is accepted.
    page.get_by_label("Your code, to confirm the action").fill(
        testing.totp_code(alice, time.time() + 30)
    )
    page.get_by_role("button", name="Reset password").click()
    expect(page.get_by_role("heading", name="Password reset")).to_be_visible()
    password = page.locator("#one-time-password").inner_text()

    context = browser.new_context()
    try:
        other = context.new_page()
        sign_in(other, live_server.url, vera, password=password)
        expect(
            other.get_by_text("You signed in with a one-time password")
        ).to_be_visible()
        expect(other.get_by_label("Old password")).to_have_count(0)
        other.get_by_label("One-time password").fill(password)
        other.get_by_label("New password", exact=True).fill("a long new passphrase 42")
        other.get_by_label("New password confirmation").fill("a long new passphrase 42")
        other.get_by_role("button", name="Change password").click()
        expect(other.get_by_text("Your password was changed")).to_be_visible()
    finally:
        context.close()
