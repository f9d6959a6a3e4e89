"""``accdesk releaselog import FILE --agency ORI``."""

from __future__ import annotations

import pytest

from accdesk.releaselogs.models import ReleaseLogEntry
from accdesk.releaselogs.tests.cli import accdesk
from accdesk.releaselogs.tests.test_importer import HEADER, ROW_1, ROW_2

pytestmark = pytest.mark.django_db


def write(tmp_path, text):
    path = tmp_path / "old-log.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_it_imports_and_prints_a_summary(monkeypatch, tmp_path, agency):
    path = write(tmp_path, HEADER + ROW_1 + ROW_2)
    run = accdesk(monkeypatch, "releaselog", "import", path, "--agency", agency.ori)
    assert run.code == 0
    assert run.out.strip() == "Imported 2 row(s): 2 new, 0 updated, 0 unchanged."
    assert ReleaseLogEntry.objects.filter(agency=agency).count() == 2


def test_verbose_lists_every_entry(monkeypatch, tmp_path, agency):
    path = write(tmp_path, HEADER + ROW_1 + ROW_2)
    run = accdesk(
        monkeypatch, "releaselog", "import", path, "--agency", agency.ori, "--verbose"
    )
    assert run.out.splitlines()[:2] == [
        "row 2: create #1: 2024-05-01 09:00 to Bravo County Probation",
        "row 1: create #2: 2024-05-02 09:15 to Bravo County DA",
    ]


def test_a_dry_run_imports_nothing(monkeypatch, tmp_path, agency):
    path = write(tmp_path, HEADER + ROW_1)
    run = accdesk(
        monkeypatch, "releaselog", "import", path, "--agency", agency.ori, "--dry-run"
    )
    assert run.code == 0 and "Would import 1 row(s)" in run.out
    assert not ReleaseLogEntry.objects.exists()


def test_bad_rows_exit_1_with_row_level_errors(monkeypatch, tmp_path, agency):
    path = write(tmp_path, HEADER + ROW_1 + ROW_2.replace("In Person", "carrier"))
    run = accdesk(monkeypatch, "releaselog", "import", path, "--agency", agency.ori)
    assert run.code == 1
    assert "error: row 2 (line 3), column 'method': unknown value 'carrier'" in run.out
    assert "1 error(s): nothing was imported." in run.err
    assert not ReleaseLogEntry.objects.exists()


def test_it_maps_other_column_names(monkeypatch, tmp_path, agency):
    path = write(tmp_path, HEADER.replace("released_by", "Operator") + ROW_1)
    run = accdesk(
        monkeypatch,
        "releaselog",
        "import",
        path,
        "--agency",
        agency.ori,
        "--map",
        "Operator=released_by",
    )
    assert run.code == 0
    assert ReleaseLogEntry.objects.get().released_by == "Rita Clerk"


def test_a_missing_file_exits_1(monkeypatch, tmp_path, agency):
    run = accdesk(
        monkeypatch,
        "releaselog",
        "import",
        str(tmp_path / "nope.csv"),
        "--agency",
        agency.ori,
    )
    assert run.code == 1 and "No such file" in run.err
