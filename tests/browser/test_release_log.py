"""The release log in a browser: a records clerk logs a release from the keyboard
with the quick form, then exports the inspection CSV."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_records_a_release_and_exports_the_inspection_csv(
    page, live_server, alice, agency, artifacts
):
    sign_in(page, live_server.url, alice)
    page.get_by_role("link", name="Release log").click()
    page.get_by_role("link", name="Record a release").click()

    # The form opens with the cursor in its first field; Tab walks the fields in
    # the order a clerk fills them in.
    expect(page.locator("#id_requesting_agency")).to_be_focused()
    keyboard = page.keyboard
    for text in (
        "Bravo County District Attorney",
        "ca0990013",
        "DDA Pat Jones",
        "B-24-77",
        "CII rap sheet – TESTER, SAMPLE, CII A00000001",
        "Filing decision, PC 11105(b)(2)",
    ):
        keyboard.type(text)
        keyboard.press("Tab")
    expect(page.get_by_label("How transmitted")).to_be_focused()
    page.get_by_label("How transmitted").select_option("email")
    page.get_by_label("Receiving terminal ID").fill("BCDA02")
    page.get_by_label("Requesting terminal ID").fill("AVPD01")
    page.get_by_label("Released by").press("Enter")
    expect(page.locator(".messages")).to_contain_text("Saved as entry #1.")

    # Ready for the next one, with the requesting agency remembered.
    expect(page.locator("#id_requesting_agency")).to_have_value(
        "Bravo County District Attorney"
    )
    expect(page.get_by_label("Requestor name")).to_be_focused()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "release-quick-entry.png"), full_page=True)

    page.get_by_role("link", name="Release log").click()
    expect(page.locator("#release-entries")).to_contain_text("DDA Pat Jones")
    page.get_by_role("link", name="Inspection export").click()
    today = agency.today().isoformat()
    page.get_by_label("Released from").fill(today)
    page.locator("#id_released_to").fill(today)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#inspection-entries")).to_contain_text("DDA Pat Jones")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = download.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["sequence"], r["requesting_ori"], r["method"]) for r in rows] == [
        ("1", "CA0990013", "email")
    ]
    # The chain's head travels with the file (verify --head SEQUENCE:HASH).
    assert (rows[0]["head_sequence"], rows[0]["head_hash"]) == ("1", rows[0]["hash"])
