"""The inspection export: page, CSV and PDF under /a/<ori>/releases/inspection/."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.releaselogs.chain import append
from accdesk.releaselogs.inspection import CSV_HEADER
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
RANGE = {"released_from": "2025-01-02", "released_to": "2025-01-03"}


def url(agency, suffix=""):
    return f"/a/{agency.ori}/releases/inspection/{suffix}"


@pytest.fixture
def entries(agency):
    made = [
        make_release_entry(
            agency, released_at=dt.datetime(2025, 1, day, 23, 30, tzinfo=LA)
        )
        for day in (1, 2, 3, 4)
    ]
    append(made[1].correction("wrong case", case_number="FIXED-1"))
    return made


def exports(agency):
    return list(
        ChangeRecord.objects.filter(event="releaselog.export", agency_id=agency.pk)
        .order_by("id")
        .values_list("message", flat=True)
    )


def test_it_asks_for_a_range_first(as_alice, agency):
    response = as_alice.get(url(agency))
    assert response.status_code == 200
    assert "entries" not in response.context
    assert exports(agency) == []


def test_the_page_shows_the_range_and_is_recorded(as_alice, agency, entries):
    response = as_alice.get(url(agency), RANGE)
    assert response.status_code == 200
    assert [e.sequence for e in response.context["entries"]] == [2, 5, 3]
    content = response.content.decode()
    assert "Superseded by #5" in content and "Corrects #2: wrong case" in content
    assert "data-print" in content
    assert exports(agency) == [
        "printable page: released 2025-01-02 to 2025-01-03, 3 entries"
    ]


def test_the_csv_holds_every_entry_of_the_range(as_alice, agency, entries):
    response = as_alice.get(url(agency, "csv/"), RANGE)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="release-log-{agency.ori}-20250102-20250103.csv"'
    )
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    )
    assert list(rows[0]) == list(CSV_HEADER)
    assert [row["sequence"] for row in rows] == ["2", "5", "3"]
    assert rows[0]["released_at"] == "2025-01-02T23:30:00-08:00"
    assert (rows[0]["superseded_by"], rows[1]["corrects"]) == ("5", "2")
    assert rows[1]["case_number"] == "FIXED-1"
    assert rows[0]["hash"] == entries[1].hash
    assert exports(agency) == ["CSV: released 2025-01-02 to 2025-01-03, 3 entries"]


def test_the_pdf_is_made_from_the_same_document(as_bob, agency, entries):
    response = as_bob.get(url(agency, "pdf/"), RANGE)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert exports(agency) == ["PDF: released 2025-01-02 to 2025-01-03, 3 entries"]


@pytest.mark.parametrize("suffix", ["", "csv/", "pdf/"])
def test_a_bad_range_is_refused(as_alice, agency, suffix):
    response = as_alice.get(
        url(agency, suffix),
        {"released_from": "2025-02-01", "released_to": "2025-01-01"},
    )
    assert response.status_code == 400
    assert "The first date is after the last." in response.content.decode()
    assert exports(agency) == []


@pytest.mark.parametrize("client", ["as_alice", "as_sam", "as_bob"])
def test_acc_spoc_and_auditor_may_export(request, agency, client):
    assert (
        request.getfixturevalue(client).get(url(agency, "csv/"), RANGE).status_code
        == 200
    )


def test_a_viewer_may_not_export(as_vera, agency):
    assert as_vera.get(url(agency, "csv/"), RANGE).status_code == 403


def test_an_outsider_gets_404(as_charlie, agency):
    assert as_charlie.get(url(agency, "csv/"), RANGE).status_code == 404
