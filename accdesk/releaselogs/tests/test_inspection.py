"""The inspection export: page, CSV and PDF under /a/<ori>/releases/inspection/."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo

import pytest
import time_machine

from accdesk.core.imports import run_import
from accdesk.core.models import ChangeRecord
from accdesk.releaselogs import inspection
from accdesk.releaselogs.chain import append, head
from accdesk.releaselogs.importer import RELEASE_LOG
from accdesk.releaselogs.inspection import CSV_HEADER, csv_rows, entries_between
from accdesk.releaselogs.models import ReleaseLogEntry
from accdesk.releaselogs.tests import tamper
from accdesk.releaselogs.tests.cli import accdesk
from accdesk.releaselogs.verification import verify
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


def _csv(response):
    return list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    )


@time_machine.travel(dt.datetime(2025, 2, 1, 12, 0, tzinfo=LA), tick=False)
def test_every_row_carries_the_chain_head_and_the_export_time(
    as_alice, agency, entries
):
    rows = _csv(as_alice.get(url(agency, "csv/"), RANGE))
    correction = ReleaseLogEntry.objects.get(agency=agency, sequence=5)
    # The head is the agency's last entry, outside the range exported.
    assert {
        (row["head_sequence"], row["head_hash"], row["exported_at"]) for row in rows
    } == {("5", correction.hash, "2025-02-01T12:00:00-08:00")}


def test_the_exported_head_reveals_a_cut_off_tail(
    monkeypatch, as_alice, agency, entries
):
    row = _csv(as_alice.get(url(agency, "csv/"), RANGE))[0]
    head = f"{row['head_sequence']}:{row['head_hash']}"

    def verify_head():
        return accdesk(
            monkeypatch, "releaselog", "verify", "--agency", agency.ori, "--head", head
        )

    assert verify_head().code == 0
    tamper.delete_entry(ReleaseLogEntry.objects.get(agency=agency, sequence=5))
    run = verify_head()
    assert run.code == 1
    assert "entries at the end were removed" in run.err


def test_the_csv_holds_no_entry_after_the_head_it_states(monkeypatch, agency, entries):
    stated = head(agency)
    make_release_entry(agency, released_at=dt.datetime(2025, 1, 2, 23, 45, tzinfo=LA))
    # As if entry 6 were recorded while the export was being made.
    monkeypatch.setattr(inspection, "head", lambda agency: stated)
    rows = list(
        csv_rows(
            agency, entries_between(agency, dt.date(2025, 1, 2), dt.date(2025, 1, 3))
        )
    )
    assert [row[0] for row in rows] == [2, 5, 3]
    assert {row[CSV_HEADER.index("head_sequence")] for row in rows} == {5}


def test_an_export_imports_into_another_agency(as_alice, agency, other_agency, entries):
    """The import columns come first and the rest are ignored. Links between a
    correction and the entry it corrects are not carried over; without the
    superseded rows, the current version of each release is imported."""
    text = b"".join(as_alice.get(url(agency, "csv/"), RANGE).streaming_content)
    result = run_import(RELEASE_LOG, io.BytesIO(text), "export.csv", other_agency)
    # Entry 5 corrects only the case number of entry 2: the same release twice.
    assert [e.row for e in result.errors] == [2]
    assert result.errors[0].message.startswith("the same record (released_at=")
    assert result.errors[0].message.endswith("is already in row 1")
    rows = list(csv.reader(io.StringIO(text.decode())))
    current = [row for row in rows[1:] if row[CSV_HEADER.index("superseded_by")] == ""]
    out = io.StringIO()
    csv.writer(out).writerows([rows[0], *current])
    result = run_import(
        RELEASE_LOG, io.BytesIO(out.getvalue().encode()), "export.csv", other_agency
    )
    assert result.ok and result.created == 2
    imported = ReleaseLogEntry.objects.filter(agency=other_agency).order_by("sequence")
    assert [(e.case_number, e.corrects_sequence) for e in imported] == [
        ("FIXED-1", None),
        (entries[2].case_number, None),
    ]
    assert verify(other_agency).ok
