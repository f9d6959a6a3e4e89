"""The PDFs (misuse report, release-log inspection) fit Letter and A4 -- nothing
runs off the page -- carry the print header and page numbers, and WeasyPrint
warns about nothing while making them."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.urls import reverse
from weasyprint.formatting_structure import boxes

from accdesk import testing
from accdesk.investigations.reporting import report_context
from accdesk.lib.exports import pdf_document
from accdesk.releaselogs import inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(agency):
    for n in range(12):
        testing.make_misuse_case(
            agency,
            opened_on=dt.date(2025, 1, 1) + dt.timedelta(days=n * 7),
            systems=["CLETS", "DMV", "CORI", "III", "NCIC"],
            allegation="Look-ups with no case number. " * 5,
        )


@pytest.fixture
def releases(agency):
    for n in range(15):
        testing.make_release_entry(
            agency,
            released_at=dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
            + dt.timedelta(hours=n),
            information="CII rap sheet – TESTER, SAMPLE, CII A00000001; " * 4,
            purpose="Filing decision, PC 11105(b)(2), prosecutor's request",
        )


def _overflow(document) -> list[tuple[int, float, float]]:
    """(page, right edge, limit) of every box that runs past the right margin."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        limit = page_box.content_box_x() + page_box.width + 1
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox):
                continue
            for box in child.descendants():
                if not hasattr(box, "margin_width"):
                    continue
                right = box.position_x + box.margin_width()
                if right > limit:
                    found.append((number, right, limit))
    return found


def _documents(agency, paper):
    today = agency.today()
    yield (
        "report",
        pdf_document(
            "investigations/report.html",
            report_context(agency, 2025, today),
            paper=paper,
        ),
    )
    context = inspection.document_context(
        agency, dt.date(2025, 3, 1), dt.date(2025, 3, 31)
    )
    yield (
        "inspection",
        pdf_document(
            "releaselogs/inspection_pdf.html", context, paper=paper, landscape=True
        ),
    )


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_pdfs_fit_the_page(agency, cases, releases, paper):
    for name, document in _documents(agency, paper):
        assert len(document.pages) >= 1
        assert _overflow(document) == [], name


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_paper_size_is_the_one_asked_for(agency, cases, paper):
    _, document = next(_documents(agency, paper))
    width_mm = document.pages[0].width * 25.4 / 96
    assert round(width_mm) == {"letter": 216, "a4": 210}[paper]


def test_the_pdfs_carry_the_print_header(agency, releases):
    context = inspection.document_context(
        agency, dt.date(2025, 3, 1), dt.date(2025, 3, 31)
    )
    document = pdf_document("releaselogs/inspection_pdf.html", context)
    text = "".join(
        box.text
        for box in document.pages[0]._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    )
    assert f"ORI {agency.ori}" in text and "printed by" in text and "as of" in text
    footer = [
        box
        for box in document.pages[0]._page_box.children
        if isinstance(box, boxes.MarginBox) and box.at_keyword == "@bottom-right"
    ]
    assert footer, "no page number box"


def test_weasyprint_warns_about_nothing(as_alice, agency, cases, releases, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        for url in (
            reverse(
                "investigations:download_report",
                kwargs={"ori": agency.ori, "year": 2025, "fmt": "pdf"},
            ),
            reverse("releaselogs:inspection_pdf", kwargs={"ori": agency.ori})
            + "?released_from=2025-03-01&released_to=2025-03-31",
        ):
            response = as_alice.get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"] == "application/pdf"
    weasy = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert weasy == []
