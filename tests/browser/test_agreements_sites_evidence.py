"""The ACC records an agreement with its signed copy, a site with a terminal, and a
self-inspection whose "no" becomes a corrective action; through the real pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accdesk.testing import TINY_PDF
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_acc_records_an_agreement_and_its_signed_copy(
    page, live_server, alice, agency, tmp_path
):
    sign_in(page, live_server.url, alice)
    page.get_by_role("link", name="Agreements").first.click()
    page.get_by_role("link", name="New agreement").click()
    page.get_by_label("Reference").fill("SA-2026")
    page.get_by_label("Kind").select_option(
        label="CLETS Subscriber Agreement (HDC 0001)"
    )
    page.get_by_label("Signatory", exact=True).fill("Dana Whitfield")
    page.get_by_label("Signed date").fill("2026-01-15")
    page.get_by_label("Audit").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Agreement SA-2026 saved.")).to_be_visible()
    expect(page.locator("#topics")).to_contain_text("Not covered")

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Signatory title").fill("Chief of Police")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Dana Whitfield, Chief of Police")).to_be_visible()

    signed = tmp_path / "hdc-0001.pdf"
    signed.write_bytes(TINY_PDF)
    renamed = tmp_path / "scan.pdf"
    renamed.write_bytes(b"MZ\x90\x00" + b"\x00" * 400)
    page.get_by_role("link", name="Add a file").click()
    page.get_by_label("File").set_input_files(str(renamed))
    page.get_by_label("Title").fill("Signed HDC 0001")
    page.get_by_role("button", name="Upload").click()
    # Said beside the field, and in the error summary that takes the focus.
    expect(page.locator(".error-summary")).to_contain_text(
        "its contents are a Windows program"
    )
    expect(page.locator(".error-summary")).to_be_focused()
    page.get_by_label("File").set_input_files(str(signed))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("“Signed HDC 0001” added as evidence.")).to_be_visible()
    expect(page.locator("#evidence")).to_contain_text("Signed HDC 0001")
    with page.expect_download() as download:
        page.locator("#evidence").get_by_role("link", name="Download").click()
    assert open(download.value.path(), "rb").read() == TINY_PDF

    page.get_by_role("link", name="← The register").click()
    page.get_by_role("link", name="Vendors").click()
    page.get_by_role("link", name="New vendor").click()
    page.get_by_label("Name").fill("Sierra CAD Systems")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("No Management Control Agreement (HDC 0004B) in force")
    ).to_be_visible()


def test_an_acc_inspects_a_site_and_follows_up_the_no(page, live_server, alice, agency):
    sign_in(page, live_server.url, alice)
    page.get_by_role("link", name="Sites").first.click()
    page.get_by_role("link", name="New site").click()
    page.get_by_label("Name").fill("Main Station")
    page.get_by_label("Type").select_option("station")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Site Main Station saved.")).to_be_visible()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Escort rules").fill("Visitors are escorted at all times.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Visitors are escorted at all times.")).to_be_visible()

    page.get_by_role("link", name="← All sites").click()
    page.get_by_role("link", name="Terminals").click()
    page.get_by_role("link", name="New terminal").click()
    page.get_by_label("Mnemonic / device ID").fill("lkm005")
    page.get_by_label("Site").select_option(label="Main Station")
    page.get_by_label("Can be seen by the public").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#terminals")).to_contain_text("LKM005")

    page.get_by_role("link", name="Sites", exact=True).first.click()
    page.get_by_role("link", name="Main Station").click()
    page.get_by_role("link", name="New self-inspection").click()
    page.get_by_label("Inspector").fill("Sgt. Ruiz")
    for fieldset in page.locator("fieldset.checklist-question").all():
        fieldset.get_by_label("Yes").check()
    page.locator("#question-not_facing_public").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save the inspection").click()
    expect(page.get_by_text("corrective actions to follow up: 1")).to_be_visible()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Due date").fill("2030-01-31")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#answers")).to_contain_text("due Jan 31, 2030")
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_text("Inspection signed off.")).to_be_visible()

    page.goto(f"{live_server.url}/a/{agency.ori}/sites/documents/")
    page.get_by_role("link", name="New document").click()
    page.get_by_label("Kind").select_option("network_diagram")
    page.get_by_label("Title").fill("CLETS network diagram")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("CLETS network diagram saved.")).to_be_visible()
