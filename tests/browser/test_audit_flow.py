"""An audit end to end through the real pages: import DOJ's questionnaire, record
the audit, answer with evidence, draw a sample of records, record a finding and
its corrective action, close it with closure evidence, download the binder,
close the audit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accdesk.testing import TINY_PDF
from accdesk.validations.models import ListedRecord
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_acc_runs_an_audit_from_questionnaire_to_closing(
    page, live_server, alice, agency, tmp_path
):
    for n in range(1, 13):
        ListedRecord.objects.create(
            agency=agency,
            database="WPS",
            record_id=f"W{n:03d}",
            record_file="wanted_person",
            entered_date=dt.date(2026, 1, 5),
            list_date=dt.date(2026, 3, 2),
        )
    questions = tmp_path / "doj-cori.csv"
    questions.write_text(
        "section,number,question,source\n"
        "Records,1,Is a release log kept for 3 years?,11 CCR §707(c)\n"
        "Records,2,Does every inquiry carry a case number?,Seed deck (CORI audits)\n"
        "Training,3,Are operators recertified every 2 years?,CLETS PPP\n"
    )
    sign_in(page, live_server.url, alice)
    page.get_by_role("link", name="Audits").first.click()
    page.get_by_role("link", name="Questionnaires").click()
    page.get_by_role("link", name="Import a questionnaire").click()
    page.get_by_label("Title").fill("CORI pre-audit questionnaire")
    page.get_by_label("File").set_input_files(str(questions))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Does every inquiry carry a case number?")).to_be_visible()

    page.get_by_role("link", name="Audits").first.click()
    page.get_by_role("link", name="New audit").click()
    page.get_by_label("Type").select_option("cori")
    page.get_by_label("Title", exact=True).fill("CORI audit 2026")
    page.get_by_label("Questionnaire", exact=True).select_option(
        label="CORI pre-audit questionnaire (version 1)"
    )
    page.get_by_label("Notified of selection").fill("2026-02-01")
    page.get_by_label("On-site audit from").fill("2026-03-02")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Audit “CORI audit 2026” saved.")).to_be_visible()
    expect(page.locator("#stages")).to_contain_text("Mar 2, 2029")

    page.get_by_role("link", name="Does every inquiry carry a case number?").click()
    page.get_by_label("Answer", exact=True).select_option("no")
    page.get_by_label("Note").fill("Six of fifty inquiries had no case number.")
    page.get_by_role("button", name="Save the answer").click()
    expect(page.get_by_text("Answered no: a finding was opened.")).to_be_visible()
    log = tmp_path / "route-to-review.pdf"
    log.write_bytes(TINY_PDF)
    page.get_by_role("link", name="Add a file").click()
    page.get_by_label("File").set_input_files(str(log))
    page.get_by_label("Title").fill("Route-to review")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#evidence")).to_contain_text("Route-to review")
    page.get_by_role("link", name="Back to the audit").click()

    page.get_by_role("link", name="Draw a sample").click()
    page.get_by_label("Size").fill("10")
    page.get_by_label("Seed").fill("cori-2026")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("10 WPS records drawn (seed cori-2026).")).to_be_visible()
    page.locator("#sample-items select").first.select_option("yes")
    page.get_by_role("button", name="Save the checks").click()
    expect(page.get_by_text("Sample checks saved.")).to_be_visible()
    page.get_by_role("link", name="← The audit").click()

    page.locator("#findings").get_by_role("link", name="Does every inquiry").click()
    page.get_by_label("Description").fill("Train operators on the route-to field.")
    page.get_by_label("Due date").fill("2026-05-01")
    page.get_by_role("button", name="Add the corrective action").click()
    expect(page.get_by_text("Corrective action added.")).to_be_visible()
    page.locator("#actions").get_by_role("link", name="Train operators").click()
    page.get_by_label("What was done").fill("Roll-call training held.")
    page.get_by_role("button", name="Close the corrective action").click()
    expect(
        page.get_by_text("Attach the closure evidence (an evidence file)")
    ).to_be_visible()
    sign_sheet = tmp_path / "sign-in-sheet.pdf"
    sign_sheet.write_bytes(TINY_PDF)
    page.get_by_role("link", name="Add a file").click()
    page.get_by_label("File").set_input_files(str(sign_sheet))
    page.get_by_label("Title").fill("Training sign-in sheet")
    page.get_by_role("button", name="Upload").click()
    page.get_by_label("What was done").fill("Roll-call training held.")
    page.get_by_role("button", name="Close the corrective action").click()
    expect(
        page.get_by_text("It was the last one: the finding is closed.")
    ).to_be_visible()

    page.get_by_role("link", name="← The audit").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the audit binder (PDF)").click()
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles == [
        "Cover and contents",
        "Records",
        "Training",
        "Findings and corrective actions",
    ]
    assert "CORI audit 2026" in reader.pages[0].extract_text()

    page.get_by_role("button", name="Close the audit").click()
    expect(page.get_by_text("Audit “CORI audit 2026” closed.")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Closed")
