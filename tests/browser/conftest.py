"""Browser tests: Playwright driving Debian's Chromium against a live server.

``playwright install`` cannot download browsers here, so the launch fixture points
at /usr/bin/chromium (installed by `make test`). One browser per session.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accdesk import testing

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def artifacts() -> Path:
    """Where browser tests save screenshots (kept after the run)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def sign_in(page, base_url: str, user, password: str = testing.PASSWORD) -> None:
    """Sign in through the real pages: notice, password, TOTP code."""
    page.goto(f"{base_url}/signin/")
    page.get_by_role("button", name="I understand and agree").click()
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(testing.totp_code(user))
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def signed_in_page(page, live_server, alice):
    """A page signed in as ``alice`` (the ACC of ``agency``)."""
    sign_in(page, live_server.url, alice)
    return page
