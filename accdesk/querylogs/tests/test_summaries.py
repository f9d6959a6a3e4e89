"""The summaries the query-log pages read (issue 18) equal a fresh count of the
result files after an import, a reaudit and a purge; the shared DuckDB database
and the chunk cache."""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import closing

import pytest
import time_machine

from accdesk import testing
from accdesk.lib.vault import ChunkCache
from accdesk.querylogs import duck, readers, ruleset, storage, summaries, vault
from accdesk.querylogs.models import AuditRules, CoverageGap, FindingHead
from accdesk.querylogs.tests.conftest import url
from accdesk.querylogs.tests.test_querylog_command import run

OPS = ["A", "B", "C", "D"]


def rows_for(month: str, n: int) -> list[dict[str, str]]:
    """``n`` inquiries of ``month``: every fourth with a bad purpose, a repeated
    subject (REPEAT_SUBJECT) and a blank RTE now and then."""
    rows = []
    for i in range(n):
        row = {
            "timestamp": f"{month}-{1 + i % 27:02}T{8 + i % 9:02}:{i % 60:02}:00",
            "operator_id": OPS[i % 4],
            "subject_name": f"PERSON{i % 5},ANN",
        }
        if i % 4 == 0:
            row["purpose_code"] = "R"
        if i % 7 == 0:
            row["rte"] = ""
        rows.append(row)
    return rows


def fresh(agency, months):
    """The pages' answers computed from the result files (``duck.py``)."""
    first = dt.date.fromisoformat(f"{months[0]}-01")
    last = dt.date.fromisoformat(f"{months[-1]}-01") + dt.timedelta(days=31)
    last = last.replace(day=1) - dt.timedelta(days=1)
    with closing(storage.connect(agency)) as con:
        findings = storage.result_files(agency, "findings", months)
        overview = duck.overview(
            con, storage.result_files(agency, "stats", months), findings, first, last
        )
        total, page = duck.findings_page(
            con, findings, date_from=first, date_to=last, limit=1000
        )
        leads = duck.leads(con, findings, first, last)
    return overview, total, page, leads


def comparable_leads(leads):
    keep = ("key", "rule", "inquiries", "operators", "first_ts", "last_ts")
    return sorted(tuple(lead[k] for k in keep) for lead in leads)


def assert_summaries_are_fresh(agency):
    months = storage.months(agency)
    current = ruleset.current_set(agency)
    overview, total, page, leads = fresh(agency, months)
    stored = summaries.overview(current, months)
    assert stored["totals"] == overview["totals"]
    assert stored["trend"] == overview["trend"]
    assert stored["by_rule"] == overview["by_rule"]
    assert stored["operators"] == overview["operators"]
    assert comparable_leads(summaries.leads(current, months)) == comparable_leads(leads)
    for offset, limit in [(0, 50), (3, 5), (0, total)]:
        got = summaries.findings_page(current, months, limit, offset)
        assert got is not None
        got_total, got_rows = got
        assert got_total == total
        want = page[offset : offset + limit]
        keys = ("key", "rule", "severity", "detail", "ts", "month")
        assert [tuple(r[k] for k in keys) for r in got_rows] == [
            tuple(r[k] for k in keys) for r in want
        ]
    return overview


@pytest.fixture
def loaded(agency, tmp_path):
    path = testing.make_querylog(
        tmp_path / "l.csv", rows_for("2026-02", 30) + rows_for("2026-03", 40)
    )
    testing.make_querylog_import(agency, path)
    return agency


def test_summaries_equal_a_fresh_count_after_an_import(loaded, tmp_path):
    overview = assert_summaries_are_fresh(loaded)
    assert overview["totals"]["chri_rows"] == 70
    assert overview["by_rule"]["PURPOSE_INVALID"] == 18
    # A second import adds rows to March and a new month.
    path = testing.make_querylog(
        tmp_path / "m.csv", rows_for("2026-03", 10)[1:] + rows_for("2026-04", 5)
    )
    testing.make_querylog_import(loaded, path)
    assert_summaries_are_fresh(loaded)


def test_summaries_equal_a_fresh_count_after_a_reaudit(loaded):
    AuditRules.objects.create(agency=loaded, repeat_operators=2)
    run("reaudit", "--agency", loaded.ori)
    candidate = ruleset.ResultSet.objects.get(agency=loaded, status="candidate")
    assert FindingHead.objects.filter(result_set=candidate).exists()
    before = assert_summaries_are_fresh(loaded)
    run("reaudit", "--agency", loaded.ori, "--adopt", "2")
    after = assert_summaries_are_fresh(loaded)
    assert after["by_rule"]["REPEAT_SUBJECT"] >= before["by_rule"]["REPEAT_SUBJECT"]
    # The retired set's summaries are gone with it.
    assert (
        not FindingHead.objects.filter(result_set=candidate)
        .exclude(result_set__status="current")
        .exists()
    )


def test_summaries_equal_a_fresh_count_after_a_purge(agency, tmp_path):
    rows = rows_for("2022-05", 8) + rows_for("2022-06", 12) + rows_for("2022-08", 4)
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "l.csv", rows)
    )
    current = ruleset.current_set(agency)
    # July 2022 has no rows at all: a month-wide coverage gap.
    assert CoverageGap.objects.filter(
        result_set=current, kind="month", month="2022-07"
    ).exists()
    with time_machine.travel("2026-04-01 12:00:00Z"):
        run("purge", "--agency", agency.ori, "--before", "2022-06-10")
    assert storage.months(agency) == ["2022-06", "2022-08"]
    assert_summaries_are_fresh(agency)
    assert not FindingHead.objects.filter(result_set=current, month="2022-05").exists()


def test_a_page_beyond_the_stored_heads_reads_the_result_files(
    loaded, as_vera, settings
):
    settings.QUERYLOG_SUMMARY_FINDINGS = 3
    run("reaudit", "--agency", loaded.ori, "--adopt", "1")
    current = ruleset.current_set(loaded)
    months = storage.months(loaded)
    assert summaries.findings_page(current, months, 3, 0) is not None
    assert summaries.findings_page(current, months, 3, 1) is None
    period = {"date_from": "2026-02-01", "date_to": "2026-03-31"}
    first = testing.listed(as_vera.get(url("findings", loaded), period))
    second = testing.listed(as_vera.get(url("findings", loaded), {**period, "page": 2}))
    _, _, page, _ = fresh(loaded, months)
    assert [r["key"] for r in first + second] == [r["key"] for r in page[:100]]


def test_the_overview_of_whole_months_needs_no_duckdb(loaded, as_vera, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the overview read the archive")

    monkeypatch.setattr(duck, "overview", refuse)
    page = as_vera.get(
        url("overview", loaded), {"date_from": "2026-02-01", "date_to": "2026-03-31"}
    )
    assert page.status_code == 200
    assert page.context["totals"]["chri_rows"] == 70


def test_coverage_gaps_are_days_months_and_silent_terminals(agency, tmp_path):
    from accdesk.terminals.models import Terminal

    Terminal.objects.create(agency=agency, terminal="T1")
    Terminal.objects.create(agency=agency, terminal="T9")  # never in the log
    Terminal.objects.create(agency=agency, terminal="P1", terminal_type="printer")
    Terminal.objects.create(
        agency=agency,
        terminal="OLD",
        status="retired",
        retired_date=dt.date(2026, 2, 28),
    )
    rows = [
        {"timestamp": f"2026-03-{d:02}T08:00:00", "ori": agency.ori}
        for d in range(1, 32)
        if d != 15
    ]
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "l.csv", rows)
    )
    gaps = summaries.gaps(
        ruleset.current_set(agency), dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    )
    # No row on the 15th; T1 queried, T9 never; printers and OLD (retired before
    # March) are not expected to.
    assert [(g.kind, g.day, g.terminal) for g in gaps] == [
        ("day", dt.date(2026, 3, 15), ""),
        ("terminal", None, "T9"),
    ]


def test_the_process_shares_one_database_across_threads(agency):
    errors = []

    def work():
        try:
            with closing(readers.connect(agency)) as con:
                zone = con.execute("SELECT current_setting('TimeZone')").fetchone()
                assert zone == (agency.time_zone,)
                con.execute("CREATE TEMP TABLE t AS SELECT 1 AS x")
                assert con.execute("SELECT ql_letters('é')").fetchone() == ("E",)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert readers._database() is readers._database()


def test_the_chunk_cache_is_bounded_and_in_memory(loaded, settings):
    cache = ChunkCache(limit=100)
    cache.put((b"s", 0), b"x" * 60)
    cache.put((b"s", 1), b"y" * 60)
    assert cache.get((b"s", 0)) is None and cache.get((b"s", 1)) == b"y" * 60
    assert cache.size == 60
    cache.put((b"s", 2), b"z" * 101)  # larger than the whole cache: not kept
    assert cache.get((b"s", 2)) is None
    settings.QUERYLOG_CHUNK_CACHE_MB = 1
    shared = vault.chunk_cache()
    assert storage.vault().chunk_cache is shared
    with closing(readers.connect(loaded)) as con:
        files = storage.result_files(loaded, "findings", storage.months(loaded))
        count = "SELECT count(*) FROM read_parquet($f)"
        first = con.execute(count, {"f": files}).fetchone()
        assert shared.size > 0
        assert con.execute(count, {"f": files}).fetchone() == first
    assert shared.size <= 1 << 20
    settings.QUERYLOG_CHUNK_CACHE_MB = 0
    assert vault.chunk_cache() is None
