"""An exported release log re-imports unchanged (issue 11 item 6): the export
neutralises text that a spreadsheet would run as a formula (a leading ``'``), and
the importer takes that ``'`` off again."""

from __future__ import annotations

import csv
import datetime as dt
import zoneinfo

import pytest

from accdesk.releaselogs.models import CONTENT_FIELDS, ReleaseLogEntry
from accdesk.releaselogs.tests.cli import accdesk
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def _content(agency):
    return [
        tuple(getattr(entry, name) for name in CONTENT_FIELDS)
        for entry in ReleaseLogEntry.objects.filter(agency=agency).order_by("sequence")
    ]


def test_an_export_with_formula_like_cells_re_imports_unchanged(
    monkeypatch, tmp_path, agency, other_agency
):
    make_release_entry(
        agency,
        released_at=dt.datetime(2025, 1, 2, 9, 30, tzinfo=LA),
        requestor_name='=HYPERLINK("http://example.test","Dana")',
        information="-CII rap sheet – TESTER, SAMPLE",
        purpose="+PC 11105(b)(2)",
        case_number="@B-1",
    )
    make_release_entry(agency, released_at=dt.datetime(2025, 1, 3, 10, 0, tzinfo=LA))
    export = tmp_path / "release-log.csv"
    run = accdesk(
        monkeypatch, "releaselog", "export", "--agency", agency.ori,
        "--from", "2025-01-01", "--to", "2025-01-31", "--output", str(export),
    )  # fmt: skip
    assert run.code == 0, run.err
    with export.open(newline="", encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    assert first["requestor_name"].startswith("'=HYPERLINK(")  # neutralised
    assert first["information"].startswith("'-CII")
    run = accdesk(
        monkeypatch, "releaselog", "import", str(export), "--agency", other_agency.ori
    )
    assert run.code == 0, run.out + run.err
    assert _content(other_agency) == _content(agency)
    imported = ReleaseLogEntry.objects.get(agency=other_agency, sequence=1)
    assert imported.requestor_name.startswith("=HYPERLINK(")
