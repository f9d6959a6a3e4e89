"""The stored results of the archive: every month recomputed in full, REPEAT_SUBJECT
across the agency's window whatever its length, one row per key."""

from __future__ import annotations

import json
import shutil
from contextlib import closing

import pytest

from accdesk import testing
from accdesk.querylogs import duck, storage
from accdesk.querylogs.models import AuditRules, LogImport
from accdesk.querylogs.tests.conftest import url
from accdesk.querylogs.tests.test_archive import findings_of
from accdesk.querylogs.tests.test_querylog_command import run

FIRST_HALF = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
HALF_YEAR = [f"2026-{m:02}" for m in range(1, 7)]


def trend(client, agency):
    """The monthly bars of the overview page: ``{month: "n inquiries, k non-..."}``."""
    page = client.get(url("overview", agency), FIRST_HALF)
    return dict(bar.label.split(": ", 1) for bar in page.context["chart"]["bars"])


def stored_rows(agency):
    with closing(storage.connect(agency)) as con:
        return con.execute(
            "SELECT operator_id, source_row FROM read_parquet($f) ORDER BY ts, 2",
            {"f": storage.archive_files(agency)},
        ).fetchall()


def test_every_month_of_an_import_gets_its_results(agency, as_vera, tmp_path):
    rows = [
        {"timestamp": f"2026-{m:02}-15T08:00:00", "purpose_code": "R"}
        for m in range(1, 7)
    ]
    path = testing.make_querylog(tmp_path / "half.csv", rows)
    run("import", str(path), "--agency", agency.ori)
    every_month = dict.fromkeys(
        HALF_YEAR, "1 inquiries, 1 non-compliant (0% compliant)"
    )
    assert trend(as_vera, agency) == every_month
    for month in HALF_YEAR:
        assert findings_of(agency, [month]) == [("PURPOSE_INVALID", "OP1")]
    out, _ = run("reaudit", "--agency", agency.ori)
    assert "Recomputed 6 month(s)" in out
    assert trend(as_vera, agency) == every_month


def test_a_repeat_window_longer_than_a_month_reaches_the_stored_results(
    agency, tmp_path
):
    AuditRules.objects.create(agency=agency, repeat_hours=1500)  # 62.5 days
    january = [{"timestamp": "2026-01-20T08:00:00", "operator_id": "A"}]
    march = [
        {"timestamp": "2026-03-01T08:00:00", "operator_id": "B"},
        {"timestamp": "2026-03-02T08:00:00", "operator_id": "C"},
    ]
    run(
        "import",
        str(testing.make_querylog(tmp_path / "jan.csv", january)),
        "--agency",
        agency.ori,
    )
    path = testing.make_querylog(tmp_path / "mar.csv", march)
    audited = json.loads(run("audit", str(path), "--agency", agency.ori, "--json")[0])
    assert audited["by_rule"]["REPEAT_SUBJECT"] == 2
    run("import", str(path), "--agency", agency.ori)
    assert findings_of(agency, ["2026-03"]) == [
        ("REPEAT_SUBJECT", "B"),
        ("REPEAT_SUBJECT", "C"),
    ]
    # The January query is in the same window: its month is recomputed too.
    assert findings_of(agency, ["2026-01"]) == [("REPEAT_SUBJECT", "A")]
    run("reaudit", "--agency", agency.ori)
    assert len(findings_of(agency, ["2026-01", "2026-03"])) == 3


def test_any_window_length_is_accepted(agency, tmp_path):
    AuditRules.objects.create(agency=agency, repeat_hours=2_000_000_000)
    rows = [
        {"timestamp": "2024-01-20T08:00:00", "operator_id": "A"},
        {"timestamp": "2025-06-01T08:00:00", "operator_id": "B"},
        {"timestamp": "2026-03-02T08:00:00", "operator_id": "C"},
    ]
    path = testing.make_querylog(tmp_path / "l.csv", rows)
    run("import", str(path), "--agency", agency.ori)
    out, _ = run("reaudit", "--agency", agency.ori)
    assert "Recomputed 3 month(s)" in out
    assert [r for r, _ in findings_of(agency, storage.months(agency))] == [
        "REPEAT_SUBJECT"
    ] * 3


def test_identical_rows_of_one_file_are_stored_and_counted_once(
    agency, as_vera, tmp_path
):
    row = {"timestamp": "2026-03-02T08:00:00", "purpose_code": "R"}
    path = testing.make_querylog(tmp_path / "twice.csv", [row, row, {}])
    out, _ = run("import", str(path), "--agency", agency.ori)
    assert "3 rows, 2 new in the archive, 1 already there" in out
    assert stored_rows(agency) == [("OP1", 1), ("OP1", 3)]
    assert findings_of(agency, ["2026-03"]) == [("PURPOSE_INVALID", "OP1")]
    assert trend(as_vera, agency) == {
        "2026-03": "2 inquiries, 1 non-compliant (50% compliant)"
    }


def test_rows_an_older_archive_holds_twice_are_counted_once(agency, as_vera, tmp_path):
    """Archives written before keys were unique within a file may hold a row twice:
    the results count it once."""
    path = testing.make_querylog(
        tmp_path / "l.csv", [{"timestamp": "2026-03-02T08:00:00", "purpose_code": "R"}]
    )
    run("import", str(path), "--agency", agency.ori)
    (stored,) = (storage.folder(agency, "archive") / "month=2026-03").glob("*.parquet")
    shutil.copy(stored, stored.with_name("import0_0.parquet"))
    assert len(stored_rows(agency)) == 2
    run("reaudit", "--agency", agency.ori)
    assert findings_of(agency, ["2026-03"]) == [("PURPOSE_INVALID", "OP1")]
    assert trend(as_vera, agency) == {
        "2026-03": "1 inquiries, 1 non-compliant (0% compliant)"
    }
    page = as_vera.get(url("overview", agency), FIRST_HALF)
    assert page.context["totals"]["rows"] == 1


def test_a_row_without_a_timestamp_is_not_archived(agency, tmp_path):
    rows = [{"timestamp": "2026-03-02T08:00:00"}, {"timestamp": ""}]
    path = testing.make_querylog(tmp_path / "blank.csv", rows)
    out, _ = run("import", str(path), "--agency", agency.ori, "--skip-bad-rows")
    assert "1 new in the archive" in out
    assert storage.months(agency) == ["2026-03"]
    assert stored_rows(agency) == [("OP1", 1)]
    assert not list(storage.folder(agency, "archive").glob("*HIVE_DEFAULT*"))


def test_an_import_whose_recompute_fails_part_way_changes_no_results(
    agency, as_vera, tmp_path, monkeypatch
):
    first = [
        {"timestamp": "2026-01-15T08:00:00"},
        {"timestamp": "2026-02-15T08:00:00"},
    ]
    run(
        "import",
        str(testing.make_querylog(tmp_path / "a.csv", first)),
        "--agency",
        agency.ori,
    )
    results = storage.folder(agency, "results")
    january = {
        kind: (results / "month=2026-01" / f"{kind}.parquet").read_bytes()
        for kind in ("findings", "stats")
    }
    rows, bars = stored_rows(agency), trend(as_vera, agency)

    written = []

    def fail_on_the_second_month(con, month, *args):
        written.append(month)
        if len(written) == 2:
            raise OSError("disk full")
        real(con, month, *args)

    real = duck.write_month_results
    monkeypatch.setattr(duck, "write_month_results", fail_on_the_second_month)
    later = [
        {"timestamp": "2026-01-20T08:00:00", "purpose_code": "R"},
        {"timestamp": "2026-02-20T08:00:00", "purpose_code": "R"},
    ]
    with pytest.raises(OSError, match="disk full"):
        run(
            "import",
            str(testing.make_querylog(tmp_path / "b.csv", later)),
            "--agency",
            agency.ori,
        )

    assert written == ["2026-01", "2026-02"]  # January's results were written...
    for kind, before in january.items():  # ...but never replaced the stored ones
        assert (results / "month=2026-01" / f"{kind}.parquet").read_bytes() == before
    assert findings_of(agency, ["2026-01", "2026-02"]) == []
    assert trend(as_vera, agency) == bars
    assert stored_rows(agency) == rows
    assert LogImport.objects.count() == 1
    assert not (results / storage.STAGING).exists()
