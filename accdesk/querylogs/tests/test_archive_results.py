"""The stored results of the archive: every month recomputed in full, REPEAT_SUBJECT
across the agency's window whatever its length."""

from __future__ import annotations

import json

from accdesk import testing
from accdesk.querylogs import archive
from accdesk.querylogs.models import AuditRules
from accdesk.querylogs.tests.conftest import url
from accdesk.querylogs.tests.test_archive import findings_of
from accdesk.querylogs.tests.test_querylog_command import run

FIRST_HALF = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
HALF_YEAR = [f"2026-{m:02}" for m in range(1, 7)]


def trend(client, agency):
    """The monthly bars of the overview page: ``{month: "n inquiries, k non-..."}``."""
    page = client.get(url("overview", agency), FIRST_HALF)
    return dict(bar.label.split(": ", 1) for bar in page.context["chart"]["bars"])


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
    assert [r for r, _ in findings_of(agency, archive.months(agency))] == [
        "REPEAT_SUBJECT"
    ] * 3
