from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess

import pytest
from django.urls import reverse

from accdesk.core.models import ChangeRecord
from accdesk.testing import make_misuse_case

pytestmark = pytest.mark.django_db


def _url(agency, fmt, year=2025):
    return reverse(
        "investigations:download_report",
        kwargs={"ori": agency.ori, "year": year, "fmt": fmt},
    )


@pytest.fixture
def case(agency):
    return make_misuse_case(
        agency,
        case_number="IA-5",
        opened_on=dt.date(2025, 2, 1),
        closed_on=dt.date(2025, 4, 1),
        finding="exonerated",
        action="none",
    )


def test_it_downloads_the_csv(as_alice, agency, case):
    response = as_alice.get(_url(agency, "csv"))
    assert response["Content-Disposition"] == (
        f'attachment; filename="misuse-report-{agency.ori}-2025.csv"'
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["item", "value"]
    assert ["closed", "1"] in rows and ["by_finding.exonerated", "1"] in rows
    assert rows[-1][:3] == ["IA-5", "2025-02-01", "2025-04-01"]


def test_it_downloads_the_json_of_the_contract(as_alice, agency, case):
    response = as_alice.get(_url(agency, "json"))
    report = json.loads(response.content)
    assert report["agency"] == agency.ori and report["due_date"] == "2026-02-01"
    assert report["cases"][0]["case_number"] == "IA-5"


def test_it_downloads_the_pdf_made_from_the_page(as_alice, agency, case):
    response = as_alice.get(_url(agency, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True
        ).stdout.decode()
        assert "report for 2025" in text and "IA-5" in text
        assert "Mark as sent" not in text and "Sign out" not in text


def test_every_download_is_recorded(as_sam, agency, sam):
    for fmt in ("csv", "json"):
        as_sam.get(_url(agency, fmt))
    messages = ChangeRecord.objects.filter(event="export", actor_id=sam.pk)
    assert sorted(messages.values_list("message", flat=True)) == [
        "misuse report for 2025 (csv)",
        "misuse report for 2025 (json)",
    ]


def test_an_unknown_format_is_404(as_alice, agency):
    assert as_alice.get(_url(agency, "xlsx")).status_code == 404
    assert not ChangeRecord.objects.filter(event="export").exists()
