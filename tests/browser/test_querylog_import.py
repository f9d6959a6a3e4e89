"""An ACC imports a small query log through the page (htmx upload) and reaches the
explanation of one row's finding."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accdesk import testing
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_acc_imports_a_log_and_reads_why_a_row_was_flagged(
    page, live_server, alice, agency, tmp_path, artifacts
):
    log = testing.make_querylog(
        tmp_path / "march.csv",
        [
            {"timestamp": "2026-03-02T08:00:00.25"},
            {"timestamp": "2026-03-02T09:00:00.50", "purpose_code": "R"},
            {"timestamp": "not a time"},
        ],
    )
    testing.allow_querylog_ori(agency)
    sign_in(page, live_server.url, alice)
    page.get_by_role("link", name="Query logs").click()
    page.get_by_role("link", name="Import a log").click()
    # All or nothing by default: the bad row is named and nothing is stored.
    page.get_by_label("Log file").set_input_files(str(log))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("#ql-bad-rows")).to_contain_text(
        "row 3, timestamp: 'not a time' is not an ISO 8601 date and time"
    )
    page.get_by_label("Log file").set_input_files(str(log))
    page.get_by_label("Skip unreadable rows").check()
    page.get_by_role("button", name="Upload and import").click()

    expect(page.get_by_role("heading", name="Import: march.csv")).to_be_visible()
    expect(page.locator("#ql-import-status")).to_contain_text("Imported, 1 row skipped")
    expect(page.locator("#ql-import")).to_contain_text("3: 2 new in the archive")
    expect(page.locator("#ql-skipped")).to_contain_text("not a time")

    page.locator("#ql-import-rules").get_by_role("link", name="PURPOSE_INVALID").click()
    page.get_by_role("link", name="Explain").click()
    explanation = page.locator("#ql-explanation")
    expect(explanation).to_contain_text("PURPOSE_INVALID")
    expect(explanation).to_contain_text("purpose code R is used only by the FBI")
    expect(page.locator("#ql-row")).to_contain_text("march.csv, row 2")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(artifacts / "querylog-row.png"), full_page=True)

    page.get_by_role("link", name="Overview").click()
    page.get_by_label("From", exact=True).fill("2026-01-01")
    page.get_by_label("To", exact=True).fill("2026-06-30")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#ql-totals")).to_contain_text("50.0%")
    page.screenshot(path=str(artifacts / "querylog-overview.png"), full_page=True)
