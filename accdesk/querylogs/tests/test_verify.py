"""``accdesk querylog verify`` in-process (the killed imports are in
test_crash_safety.py)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError

from accdesk import testing
from accdesk.querylogs import archive, storage
from accdesk.querylogs.tests.test_querylog_command import run


@pytest.fixture
def imported(agency, tmp_path):
    rows = [{"timestamp": "2026-03-02T08:00:00"}, {"timestamp": "2026-04-02T08:00:00"}]
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "l.csv", rows)
    )
    return agency


def test_a_sound_archive_verifies(imported):
    out, _ = run("verify", "--agency", imported.ori)
    assert "is complete: 2 month(s)" in out


def test_a_removed_results_file_and_an_unknown_file_are_named(imported):
    root = storage.vault().root / imported.ori
    (root / "results" / "month=2026-04" / "stats.parquet").unlink()
    extra = root / "archive" / "month=2026-04" / "import99_0.parquet"
    extra.write_bytes(b"not ours")
    with pytest.raises(CommandError, match="problems"):
        run("verify", "--agency", imported.ori)
    problems = archive.verify(imported)
    assert "results/month=2026-04/stats.parquet is missing (the manifest lists it)" in (
        problems
    )
    assert "archive/month=2026-04/import99_0.parquet is not in the manifest" in problems
    assert "month 2026-04 has rows but no results" in problems


def test_an_archive_from_before_the_manifest_gets_one_on_repair(imported):
    (storage.vault().root / imported.ori / storage.MANIFEST).unlink()
    with pytest.raises(CommandError):
        run("verify", "--agency", imported.ori)
    out, _ = run("verify", "--agency", imported.ori, "--repair")
    assert "repaired: manifest created for the 6 files already archived" in out
    assert "is complete" in out
