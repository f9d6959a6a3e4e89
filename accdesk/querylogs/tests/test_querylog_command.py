"""``accdesk querylog audit|import|sample|purge`` (issue 4 contracts)."""

from __future__ import annotations

import csv
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from accdesk import testing
from accdesk.core.models import ChangeRecord
from accdesk.querylogs.models import AuditSet, LogImport
from accdesk.querylogs.rules import RULES
from accdesk.querylogs.tests.conftest import DATA


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("querylog", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def sample_args():
    return [
        str(DATA / "sample_log.csv"),
        "--roster",
        str(DATA / "sample_roster.csv"),
        "--accounts",
        str(DATA / "sample_accounts.csv"),
    ]


def test_audit_json_lists_every_rule_and_the_skipped_rows():
    out, err = run("audit", *sample_args(), "--json")
    data = json.loads(out)
    assert list(data["by_rule"]) == list(RULES)
    assert data["by_rule"]["OFF_SHIFT"] == 0
    assert {k: data[k] for k in ("rows", "chri_rows", "skipped_rows")} == {
        "rows": 27,
        "chri_rows": 24,
        "skipped_rows": 2,
    }
    assert data["rows_with_findings"] == 15
    assert data["by_rule"]["REPEAT_SUBJECT"] == 3
    assert [s["row"] for s in data["skipped"]] == [23, 24]
    assert isinstance(data["seconds"], float)
    assert "row 23: skipped: timestamp 'March 12'" in err


def test_audit_writes_the_findings_csv_without_subject_data(tmp_path):
    target = tmp_path / "findings.csv"
    run("audit", *sample_args(), "--findings-out", str(target))
    with target.open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "row",
        "rule",
        "severity",
        "timestamp",
        "operator_id",
        "terminal",
        "detail",
    ]
    keys = [(int(r["row"]), r["rule"]) for r in rows]
    assert keys == sorted(keys)
    text = target.read_text()
    for secret in ("ALVAREZ", "ROE", "1970-07-07", "DOE,JOHN"):
        assert secret not in text


def test_audit_with_an_agency_uses_its_roster(agency, roster, tmp_path):
    path = testing.make_querylog(tmp_path / "log.csv", [{"operator_id": "OP9"}])
    data = json.loads(run("audit", str(path), "--agency", agency.ori, "--json")[0])
    assert data["by_rule"]["OPERATOR_NOT_AUTHORIZED"] == 1
    assert "OPERATOR_NOT_AUTHORIZED" not in data["not_checked"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "missing.csv"], "No such file"),
        (["audit", str(DATA / "sample_roster.csv")], "Missing columns: timestamp"),
        (
            [
                "audit",
                str(DATA / "sample_log.csv"),
                "--roster",
                str(DATA / "sample_roster.csv"),
            ],
            "go together",
        ),
        (
            [
                "audit",
                str(DATA / "sample_log.csv"),
                "--roster",
                str(DATA / "sample_accounts.csv"),
                "--accounts",
                str(DATA / "sample_accounts.csv"),
            ],
            "Missing columns: last_name, first_name, separation_date",
        ),
        (["audit", str(DATA / "sample_log.csv"), "--agency", "CA0000000"], "No agency"),
    ],
)
def test_audit_stops_on_bad_input(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_map_renames_columns(tmp_path):
    path = tmp_path / "log.csv"
    text = (DATA / "sample_log.csv").read_text().replace("Timestamp,", "When,", 1)
    path.write_text(text)
    out, _ = run("audit", str(path), "--map", "When=timestamp", "--json")
    assert json.loads(out)["rows"] == 27


def test_import_stores_the_rows_once(agency, tmp_path):
    path = testing.make_querylog(
        tmp_path / "log.csv", [{}, {"purpose_code": "R"}, {"timestamp": "bad"}]
    )
    out, err = run("import", str(path), "--agency", agency.ori, "--skip-bad-rows")
    assert "3 rows, 2 new in the archive, 0 already there, 1 skipped" in out
    assert "skipped: row 3, timestamp: 'bad' is not" in err
    out, _ = run("import", str(path), "--agency", agency.ori, "--skip-bad-rows")
    assert "0 new in the archive, 2 already there" in out
    first, second = LogImport.objects.order_by("pk")
    assert first.sha256 == second.sha256 and len(first.sha256) == 64
    assert first.by_rule["PURPOSE_INVALID"] == 1


@time_machine.travel("2026-04-01 12:00:00Z")
def test_sample_is_reproducible_and_records_its_seed(agency, tmp_path):
    rows = [
        {"timestamp": f"2026-03-{d:02}T08:00:00", "operator_id": f"OP{d}"}
        for d in range(1, 29)
    ]
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "l.csv", rows)
    )
    args = [
        "sample",
        "--agency",
        agency.ori,
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
    ]
    first, _ = run(*args, "--n", "5", "--seed", "s1")
    again, _ = run(*args, "--n", "5", "--seed", "s1")
    other, _ = run(*args, "--n", "5", "--seed", "s2")
    body = lambda text: text.splitlines()[1:]  # noqa: E731
    assert body(first) == body(again) != body(other)
    assert len(body(first)) == 5
    random_seed, _ = run(*args, "--n", "3")
    latest = AuditSet.objects.order_by("-pk").first()
    assert f"seed {latest.seed}" in random_seed and latest.items.count() == 3


@time_machine.travel("2026-04-01 12:00:00Z")
def test_sample_only_draws_criminal_history_inquiries_in_the_period(agency, tmp_path):
    rows = [
        {"timestamp": "2026-03-05T08:00:00", "message_key": "QW"},
        {"timestamp": "2026-02-05T08:00:00"},
        {"timestamp": "2026-03-06T08:00:00", "message_key": "IQ"},
    ]
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "l.csv", rows)
    )
    run(
        "sample",
        "--agency",
        agency.ori,
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--n",
        "10",
    )
    assert [i.message_key for i in AuditSet.objects.get().items.all()] == ["IQ"]


@time_machine.travel("2026-04-01 12:00:00Z")
def test_purge_refuses_to_go_below_the_retention_period(agency):
    with pytest.raises(CommandError, match="--before may be 2023-04-01 at the latest"):
        run("purge", "--agency", agency.ori, "--before", "2024-01-01")


def test_purge_removes_old_rows_and_is_recorded(agency, tmp_path, settings):
    rows = [
        {"timestamp": "2022-05-01T08:00:00"},
        {"timestamp": "2022-06-20T08:00:00"},
        {"timestamp": "2022-06-02T08:00:00"},
    ]
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "l.csv", rows)
    )
    with time_machine.travel("2026-04-01 12:00:00Z"):
        out, _ = run("purge", "--agency", agency.ori, "--before", "2022-06-10")
    assert "2 month(s) changed" in out
    from accdesk.querylogs import storage

    assert storage.months(agency) == ["2022-06"]
    rows_left = archive_rows(agency)
    assert [r.month for r in rows_left] == ["2022-06"]
    assert ChangeRecord.objects.filter(event="purge", agency_id=agency.pk).exists()


def archive_rows(agency):
    from contextlib import closing

    from accdesk.querylogs import storage

    with closing(storage.connect(agency)) as con:
        return [
            type("Row", (), {"month": m})
            for (m,) in con.execute(
                "SELECT strftime(ts, '%Y-%m') FROM read_parquet($f)",
                {"f": storage.archive_files(agency)},
            ).fetchall()
        ]


def test_reaudit_applies_changed_rules_to_the_archive_once_adopted(agency, tmp_path):
    from accdesk.querylogs.models import AuditRules
    from accdesk.querylogs.tests.test_archive import findings_of

    path = testing.make_querylog(
        tmp_path / "l.csv", [{"rte": "DET A TRESPASS 26-001234"}]
    )
    testing.make_querylog_import(agency, path)
    assert findings_of(agency, ["2026-03"]) == [("RTE_NO_REASON", "OP1")]
    AuditRules.objects.create(agency=agency, reason_terms="TRESPASS")
    out, _ = run("reaudit", "--agency", agency.ori)
    assert "Recomputed 1 month(s) under rule-set version 2 (current: 1)" in out
    assert "RTE_NO_REASON            +0 -1" in out
    # Computed beside the current results, which do not change until adopted.
    assert findings_of(agency, ["2026-03"]) == [("RTE_NO_REASON", "OP1")]
    out, _ = run("reaudit", "--agency", agency.ori, "--adopt", "2")
    assert "Version 2 is now current." in out
    assert findings_of(agency, ["2026-03"]) == []
