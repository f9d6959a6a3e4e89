"""Printable pages -- worklist, DOJ notice, misuse report, audit set, release-log
inspection -- carry the agency, its ORI, the as-of date, who printed them when and
page numbers, and fit both Letter and A4; the change record fits 1280 px."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from playwright.sync_api import expect

from accdesk.demo import loaders
from accdesk.lib.text import us_date
from accdesk.querylogs import archive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The width left for content by app.css's @page margins (12 mm each side), in CSS
# pixels (96 per inch): A4 is the narrower paper.
CONTENT_PX = {"A4": (210 - 24) / 25.4 * 96, "Letter": (215.9 - 24) / 25.4 * 96}


@pytest.fixture
def demo(page, live_server):
    signin = loaders.load()
    today = signin.agency.today()
    archive.create_audit_set(
        signin.agency, today - dt.timedelta(days=45), today, 25, "print-test"
    )
    page.goto(f"{live_server.url}/signin/")
    page.get_by_role("button", name="I understand and agree").click()
    page.get_by_label("Email").fill(signin.email)
    page.get_by_label("Password").fill(signin.password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(loaders.current_code())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/a/"))
    return signin


def _printable(agency) -> dict[str, str]:
    base = f"/a/{agency.ori}"
    notice = agency.notices.open().first()
    audit_set = agency.querylog_audit_sets.first()
    today = agency.today()
    return {
        "worklist": f"{base}/roster/worklist/",
        "notice": f"{base}/notices/{notice.pk}/",
        "report": f"{base}/investigations/reports/{today.year - 1}/",
        "audit set": f"{base}/querylogs/audit-sets/{audit_set.pk}/",
        "inspection": f"{base}/releases/inspection/?released_from="
        f"{today - dt.timedelta(days=700)}&released_to={today}",
    }


def test_every_printable_page_says_whose_it_is_and_fits_letter_and_a4(
    page, live_server, demo, tmp_path
):
    agency = demo.agency
    page.emulate_media(media="print")
    for name, url in _printable(agency).items():
        page.goto(live_server.url + url)
        header = page.locator(".print-header")
        expect(header).to_be_visible()
        expect(header).to_contain_text(agency.name)
        expect(header).to_contain_text(f"ORI {agency.ori}")
        expect(header).to_contain_text(f"as of {us_date(agency.today())}")
        expect(header).to_contain_text("printed by Maria Alvarez on")
        expect(page.locator("nav.sections")).to_be_hidden()
        for paper, width in CONTENT_PX.items():
            page.set_viewport_size({"width": int(width), "height": 1000})
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{name} is {overflow} px too wide for {paper}"
            pdf = tmp_path / f"{name}-{paper}.pdf"
            page.pdf(path=str(pdf), format=paper, prefer_css_page_size=False)
            text = subprocess.run(
                ["pdftotext", "-layout", str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            assert "Page 1 of" in text, f"{name} on {paper}: no page numbers"


def test_the_change_record_fits_1280_pixels(page, live_server, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/a/{demo.agency.ori}/changes/")
    expect(page.locator("#change-records tbody tr").first).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow} px too wide"
