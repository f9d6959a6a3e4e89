"""``accdesk releaselog export --agency ORI --from D1 --to D2 --format csv``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.template.loader import render_to_string

from accdesk.core.models import ChangeRecord
from accdesk.releaselogs.inspection import CSV_HEADER
from accdesk.releaselogs.management.commands import releaselog
from accdesk.releaselogs.tests.cli import accdesk
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.fixture
def entries(agency):
    return [
        make_release_entry(
            agency, released_at=dt.datetime(2025, 1, day, 9, 30, tzinfo=LA)
        )
        for day in (1, 2, 3)
    ]


def export(monkeypatch, agency, *args):
    return accdesk(monkeypatch, "releaselog", "export", "--agency", agency.ori, *args)


def test_it_writes_the_range_as_csv_to_standard_output(monkeypatch, agency, entries):
    run = export(
        monkeypatch,
        agency,
        "--from",
        "2025-01-02",
        "--to",
        "2025-01-03",
        "--format",
        "csv",
    )
    assert run.code == 0
    rows = list(csv.reader(io.StringIO(run.out)))
    assert rows[0] == list(CSV_HEADER)
    assert [row[0] for row in rows[1:]] == ["2", "3"]
    assert rows[1][1] == "2025-01-02T09:30:00-08:00"
    assert rows[1][CSV_HEADER.index("hash")] == entries[1].hash
    head = [row[CSV_HEADER.index("head_sequence") :][:2] for row in rows[1:]]
    assert head == [["3", entries[2].hash]] * 2
    event = ChangeRecord.objects.get(event="releaselog.export")
    assert event.message == "CSV: released 2025-01-02 to 2025-01-03, 2 entries"
    assert event.actor_label.startswith("cli:")


def test_it_writes_a_file(monkeypatch, tmp_path, agency, entries):
    target = tmp_path / "log.csv"
    run = export(
        monkeypatch,
        agency,
        "--from",
        "2025-01-01",
        "--to",
        "2025-01-31",
        "--output",
        str(target),
    )
    assert run.code == 0 and run.out.strip() == f"Wrote 3 entries to {target}."
    assert len(target.read_text().splitlines()) == 4


def test_it_writes_a_pdf(monkeypatch, tmp_path, agency, entries):
    target = tmp_path / "log.pdf"
    run = export(
        monkeypatch,
        agency,
        "--from",
        "2025-01-01",
        "--to",
        "2025-01-31",
        "--format",
        "pdf",
        "--output",
        str(target),
    )
    assert run.code == 0
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-02-01", "--to", "2025-01-01"], "--from is after --to"),
        (["--from", "2025-13-01", "--to", "2025-01-01"], "--from expects a date"),
        (
            ["--from", "2025-01-01", "--to", "2025-01-31", "--format", "pdf"],
            "--format pdf needs --output",
        ),
    ],
)
def test_bad_options_exit_1(monkeypatch, agency, args, message):
    run = export(monkeypatch, agency, *args)
    assert run.code == 1 and message in run.err


def test_the_pdf_shows_times_in_the_agency_time_zone(monkeypatch, tmp_path, agency):
    agency.time_zone = "Pacific/Honolulu"
    agency.save()
    honolulu = zoneinfo.ZoneInfo("Pacific/Honolulu")
    make_release_entry(
        agency, released_at=dt.datetime(2025, 1, 2, 9, 30, tzinfo=honolulu)
    )
    monkeypatch.setattr(
        releaselog,
        "render_pdf",
        lambda template, context, **_: render_to_string(template, context).encode(),
    )
    target = tmp_path / "log.html"
    export(
        monkeypatch,
        agency,
        "--from",
        "2025-01-01",
        "--to",
        "2025-01-31",
        "--format",
        "pdf",
        "--output",
        str(target),
    )
    assert "Jan 2, 2025 09:30" in target.read_text()
