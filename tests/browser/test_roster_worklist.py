"""The roster walk (issue 3): upload the demo files through the import pages, open
the worklist, mark one person's account deactivated (ticked, then confirmed), and
see them leave the list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accdesk.personnel.demo import write_files
from accdesk.personnel.imports import FORMATS
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_acc_imports_the_demo_files_and_works_the_worklist(
    page, live_server, alice, agency, tmp_path, artifacts
):
    files = write_files(tmp_path, agency.today())
    sign_in(page, live_server.url, alice)

    page.get_by_role("link", name="Worklist", exact=True).first.click()
    expect(page.locator("#worklist")).to_contain_text("Nothing to do")
    page.get_by_role("link", name="Import", exact=True).click()
    for path in files:
        page.get_by_role("link", name=FORMATS[path.stem].label).click()
        page.set_input_files("#id_file", str(path))
        page.get_by_role("button", name="Upload and preview").click()
        expect(page.locator("#import-preview")).to_contain_text("new")
        page.get_by_role("button", name=re.compile(r"^Import \d+ row")).click()
        expect(page.locator(".messages")).to_contain_text(FORMATS[path.stem].label)
        page.get_by_role("link", name="Import", exact=True).click()

    page.get_by_role("link", name="Worklist", exact=True).first.click()
    row = page.locator("#worklist tr", has_text="Brian Kessler")
    expect(row).to_have_class("overdue")
    expect(row).to_contain_text("SEPARATED")
    row.get_by_label("LPD2001").check()
    page.get_by_role("button", name="Mark selected deactivated…").click()
    expect(page.locator("#deactivate-confirm")).to_contain_text("LPD2001")
    expect(page.locator("#deactivate-confirm tbody tr")).to_have_count(1)
    page.get_by_label("Note").fill("Disabled in CLETS, ticket 4471")
    page.get_by_role("button", name="Mark 1 account deactivated").click()

    expect(page.locator(".messages")).to_contain_text("1 account marked deactivated on")
    expect(page.locator(".messages")).to_contain_text("LPD2001")
    expect(page.locator("#worklist")).not_to_contain_text("Brian Kessler")
    expect(page.locator("#worklist")).to_contain_text("Nina Castillo")  # still due
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "worklist.png"), full_page=True)
