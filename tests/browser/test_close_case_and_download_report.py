"""The ACC closes a misuse case, then downloads the annual report (CSV and PDF)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accdesk.testing import make_misuse_case
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_acc_closes_a_case_and_downloads_the_report(
    page, live_server, alice, agency, artifacts
):
    today = agency.today()
    make_misuse_case(agency, case_number="IA-B-1", opened_on=today)
    sign_in(page, live_server.url, alice)

    page.get_by_role("link", name="Investigations").click()
    page.get_by_role("link", name="IA-B-1").click()
    page.get_by_role("link", name="Close the case").click()
    page.get_by_label("Finding").select_option("sustained")
    page.get_by_label("Action taken").select_option("reprimand")
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_text("Case IA-B-1 closed.")).to_be_visible()
    expect(page.locator("#journal")).to_contain_text("Action: Reprimand")

    page.get_by_role("link", name="All cases").click()
    page.get_by_role("link", name="Annual reports to DOJ").click()
    page.get_by_role("link", name=str(today.year), exact=True).click()
    expect(page.locator("#report-cases")).to_contain_text("IA-B-1")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "misuse-report.png"), full_page=True)

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV").click()
    text = open(csv_download.value.path(), encoding="utf-8").read()
    assert "by_finding.sustained,1" in text and "by_action.reprimand,1" in text
    assert f"IA-B-1,{today:%Y-%m-%d},{today:%Y-%m-%d},audit,CLETS,sustained" in text

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF").click()
    assert open(pdf_download.value.path(), "rb").read(4) == b"%PDF"
    assert pdf_download.value.suggested_filename == (
        f"misuse-report-{agency.ori}-{today.year}.pdf"
    )
