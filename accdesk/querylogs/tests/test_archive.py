"""The encrypted archive: import, results per month, REPEAT across imports."""

from __future__ import annotations

from contextlib import closing

import pytest

from accdesk import testing
from accdesk.querylogs import archive, duck, storage
from accdesk.querylogs.logfile import LogFormatError
from accdesk.querylogs.models import LogImport
from accdesk.querylogs.tests.conftest import run_audit


def findings_of(agency, months):
    with closing(storage.connect(agency)) as con:
        return con.execute(
            "SELECT rule, operator_id FROM read_parquet($f) ORDER BY ts, rule",
            {"f": storage.result_files(agency, "findings", months)},
        ).fetchall()


def test_import_partitions_by_local_month_and_encrypts(agency, tmp_path, settings):
    rows = [
        {"timestamp": "2026-01-31T23:30:00", "subject_name": "SECRETNAME,ANN"},
        {"timestamp": "2026-02-01T07:30:00Z"},  # 2026-01-31 23:30 in Los Angeles
        {"timestamp": "2026-02-01T08:30:00Z", "purpose_code": "R"},
    ]
    log = testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "l.csv", rows)
    )
    assert log.months == ["2026-01", "2026-02"]
    assert storage.months(agency) == ["2026-01", "2026-02"]
    stored = list((settings.DATA_DIR / "querylogs").rglob("*.parquet"))
    assert len(stored) == 6  # 2 archive files + findings and stats per month
    for path in stored:
        assert b"SECRETNAME" not in path.read_bytes()
        assert path.read_bytes().startswith(b"ACCQLA1")
    assert findings_of(agency, ["2026-02"]) == [("PURPOSE_INVALID", "OP1")]


def test_overlapping_exports_are_stored_once(agency, tmp_path):
    a = testing.make_querylog(
        tmp_path / "a.csv", [{"operator_id": "A"}, {"operator_id": "B"}]
    )
    b = testing.make_querylog(
        tmp_path / "b.csv", [{"operator_id": "B"}, {"operator_id": "C"}]
    )
    testing.make_querylog_import(agency, a)
    second = testing.make_querylog_import(agency, b)
    assert (second.new_rows, second.duplicate_rows) == (1, 1)
    with closing(storage.connect(agency)) as con:
        ops = con.execute(
            "SELECT operator_id, source_row FROM read_parquet($f) ORDER BY 1",
            {"f": storage.archive_files(agency)},
        ).fetchall()
    assert ops == [("A", 1), ("B", 2), ("C", 2)]


def archived_rows(agency):
    with closing(storage.connect(agency)) as con:
        return con.execute(
            "SELECT * EXCLUDE (import_id) FROM read_parquet($f) ORDER BY source_row",
            {"f": storage.archive_files(agency)},
        ).fetchall()


def test_both_read_paths_archive_the_same_rows(agency, other_agency, tmp_path):
    """The fast path numbers the rows to archive with Polars, the exact path with
    DuckDB (reader.numbered_rows): the archive must not tell them apart."""
    rows = [
        {"operator_id": "A", "rte": 'DET SMITH "QUOTED", CASE 26-1'},
        {"operator_id": "B", "rte": "LINE\nBREAK 26-2"},
        {"operator_id": "A", "rte": 'DET SMITH "QUOTED", CASE 26-1'},  # repeated
        {"operator_id": "C", "attention": "", "case_number": ""},
        {"operator_id": "D", "timestamp": ""},  # no month: not archived
        {"operator_id": "E", "timestamp": "2026-03-02T10:00:00", "message_key": "RW"},
    ]
    path = testing.make_querylog(tmp_path / "log.csv", rows)
    fast = testing.make_querylog_import(agency, path, skip_bad_rows=True)
    exact = testing.make_querylog_import(
        other_agency, path, skip_bad_rows=True, exact=True
    )
    assert (fast.new_rows, exact.new_rows) == (4, 4)
    assert archived_rows(agency) == archived_rows(other_agency)
    with closing(storage.connect(agency)) as con:
        stored = con.execute(
            "SELECT operator_id, source_row, message_key, attention, rte "
            "FROM read_parquet($f) ORDER BY source_row",
            {"f": storage.archive_files(agency)},
        ).fetchall()
    assert [row[:2] for row in stored] == [("A", 1), ("B", 2), ("C", 4), ("E", 6)]
    assert stored[3][2] == "RW"  # every row is archived, not only the inquiries
    assert stored[2][3] is None  # an empty field is stored as NULL on both paths
    assert stored[1][4] == "LINE\nBREAK 26-2"


def test_repeat_subject_counts_queries_across_imports(agency, tmp_path):
    first = [
        {"timestamp": "2026-03-01T08:00:00", "operator_id": "OP1"},
        {"timestamp": "2026-03-02T08:00:00", "operator_id": "OP2"},
    ]
    later = [{"timestamp": "2026-03-03T08:00:00", "operator_id": "OP3"}]
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "a.csv", first)
    )
    # A file audited alone sees one operator; with the agency, three.
    path = testing.make_querylog(tmp_path / "b.csv", later)
    assert run_audit(path)[1] == []
    _, found = run_audit(path, agency=agency)
    assert [rule for _, rule, _ in found] == ["REPEAT_SUBJECT"]
    testing.make_querylog_import(agency, path)
    assert [r for r, _ in findings_of(agency, ["2026-03"])].count("REPEAT_SUBJECT") == 3


def test_a_repeat_across_a_month_boundary_updates_the_earlier_month(agency, tmp_path):
    early = [
        {"timestamp": "2026-02-27T08:00:00", "operator_id": "OP1"},
        {"timestamp": "2026-02-28T08:00:00", "operator_id": "OP2"},
    ]
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "a.csv", early)
    )
    assert findings_of(agency, ["2026-02"]) == []
    late = [{"timestamp": "2026-03-01T08:00:00", "operator_id": "OP3"}]
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "b.csv", late)
    )
    assert len(findings_of(agency, ["2026-02"])) == 2


def test_a_failed_import_leaves_nothing_behind(agency, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("not,a,log\n")
    with pytest.raises(LogFormatError):
        archive.import_log(agency, path, "bad.csv")
    assert not LogImport.objects.exists()
    assert storage.months(agency) == []


def test_archives_of_agencies_are_apart(agency, other_agency, tmp_path):
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "a.csv", [{}])
    )
    assert storage.months(other_agency) == []
    assert storage.archive_files(other_agency) == []


def test_the_archive_cannot_be_read_without_its_key(agency, tmp_path, settings):
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "a.csv", [{}])
    )
    settings.QUERYLOG_ARCHIVE_KEY = "another key of at least thirty-two chars"
    with (
        closing(storage.connect(agency)) as con,
        pytest.raises(Exception, match="decrypt"),
    ):
        duck.archive_rows(con, storage.archive_files(agency), ["x"])
