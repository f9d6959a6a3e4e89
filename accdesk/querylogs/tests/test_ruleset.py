"""Versioned rule sets (issue 17 §2): every rule change is a dated version with who
and why; reaudit computes the newest version beside the current results and says
what changes; only adopting it changes what the pages show; audit sets and cases
keep the findings they had."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from accdesk import testing
from accdesk.core.actor import acting_as
from accdesk.querylogs import archive, ruleset, storage
from accdesk.querylogs.models import (
    AuditRules,
    AuditSet,
    Lead,
    ResultSet,
    RuleSetVersion,
)
from accdesk.querylogs.rules import LEVEL, RULES
from accdesk.querylogs.tests.conftest import url
from accdesk.querylogs.tests.test_archive import findings_of
from accdesk.querylogs.tests.test_querylog_command import run

TRESPASS = {"rte": "DET A TRESPASS 26-001234"}
BOTH = "TRESPASS\nROBBERY"  # the reason terms, replacing the default list
MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


@pytest.fixture
def imported(agency, tmp_path):
    """An archive with one RTE_NO_REASON finding (TRESPASS is no reason term) and
    one compliant inquiry, under version 1."""
    path = testing.make_querylog(
        tmp_path / "l.csv", [TRESPASS, {"timestamp": "2026-03-03T08:00:00"}]
    )
    testing.make_querylog_import(agency, path)
    assert findings_of(agency, ["2026-03"]) == [("RTE_NO_REASON", "OP1")]
    return agency


def reaudit_json(agency, *extra):
    return json.loads(run("reaudit", "--agency", agency.ori, "--json", *extra)[0])


def test_a_new_agency_starts_at_version_1_with_the_newest_rules(imported):
    version = ruleset.current_version(imported)
    assert version.number == 1 and version.adopted_at is not None
    assert ruleset.current_rules(imported).level == LEVEL


def test_reaudit_shows_the_difference_before_adoption(imported):
    AuditRules.objects.create(agency=imported, reason_terms=BOTH)
    changes = reaudit_json(imported)
    assert list(changes) == ["version", "previous_version", "by_rule"]
    assert changes["version"] == 2 and changes["previous_version"] == 1
    assert set(changes["by_rule"]) == set(RULES)
    assert changes["by_rule"]["RTE_NO_REASON"] == {"gained": 0, "lost": 1}
    assert all(
        c == {"gained": 0, "lost": 0}
        for rule, c in changes["by_rule"].items()
        if rule != "RTE_NO_REASON"
    )
    # Nothing the pages show has changed: the candidate sits beside the results.
    assert findings_of(imported, ["2026-03"]) == [("RTE_NO_REASON", "OP1")]
    assert ruleset.current_version(imported).number == 1
    version = RuleSetVersion.objects.get(agency=imported, number=2)
    # A change made outside the Rules page is versioned by the reaudit that finds it.
    assert version.created_by.startswith("cli:") and version.adopted_at is None
    assert "outside the Rules page" in version.reason
    assert ResultSet.objects.get(agency=imported, status="candidate").version == version
    # Adopting computes it again and makes it current.
    assert reaudit_json(imported, "--adopt", "2")["by_rule"]["RTE_NO_REASON"] == {
        "gained": 0,
        "lost": 1,
    }
    assert findings_of(imported, ["2026-03"]) == []
    assert ruleset.current_version(imported).number == 2
    assert not storage.folder(imported, ruleset.CANDIDATE).exists()
    assert list(
        ResultSet.objects.filter(agency=imported).values_list("status", flat=True)
    ) == ["current", "discarded", "retired"]


def test_only_the_newest_version_can_be_adopted(imported):
    from django.core.management.base import CommandError

    AuditRules.objects.create(agency=imported, reason_terms=BOTH)
    with pytest.raises(CommandError, match="computes version 2"):
        run("reaudit", "--agency", imported.ori, "--adopt", "1")
    assert findings_of(imported, ["2026-03"]) == [("RTE_NO_REASON", "OP1")]


def test_an_unchanged_rule_set_makes_no_version(imported):
    changes = reaudit_json(imported)
    assert changes["version"] == changes["previous_version"] == 1
    assert RuleSetVersion.objects.filter(agency=imported).count() == 1


def test_imports_keep_the_adopted_version_until_the_newest_is_adopted(
    imported, tmp_path
):
    AuditRules.objects.create(agency=imported, reason_terms=BOTH)
    run("reaudit", "--agency", imported.ori)
    path = testing.make_querylog(
        tmp_path / "m.csv", [{**TRESPASS, "timestamp": "2026-03-09T08:00:00"}]
    )
    testing.make_querylog_import(imported, path)
    # Computed with version 1: TRESPASS is still no reason.
    assert findings_of(imported, ["2026-03"]) == [("RTE_NO_REASON", "OP1")] * 2
    # The import changed the archive under the candidate: it is gone.
    assert not ResultSet.objects.filter(agency=imported, status="candidate").exists()
    assert not storage.folder(imported, ruleset.CANDIDATE).exists()


def test_results_computed_before_versions_are_level_1_and_the_new_level_is_offered(
    imported,
):
    # As an agency that imported logs before rule-set versions existed.
    ResultSet.objects.filter(agency=imported).delete()
    RuleSetVersion.objects.filter(agency=imported).delete()
    assert ruleset.current_rules(imported).level == 1
    newest = ruleset.ensure_version(imported)
    assert newest.number == 2 and newest.created_by == "ACC Desk"
    assert newest.reason.startswith("New rules shipped with ACC Desk: ")
    assert "PURPOSE_REASON_MISMATCH" in newest.reason
    assert ruleset.changed_settings(ruleset.current_version(imported), newest) == [
        "level"
    ]


def test_a_rule_change_never_alters_an_audit_sets_findings(imported, as_alice):
    with acting_as("test"):
        audit_set = archive.create_audit_set(
            imported, dt.date(2026, 3, 1), dt.date(2026, 3, 31), 5, "s"
        )
    recorded = sorted(item.findings for item in audit_set.items.all())
    assert recorded == [
        [],
        [["RTE_NO_REASON", "violation", "the RTE holds no reason term"]],
    ]
    assert audit_set.rule_version == 1
    AuditRules.objects.create(agency=imported, reason_terms=BOTH)
    run("reaudit", "--agency", imported.ori, "--adopt", "2")
    assert findings_of(imported, ["2026-03"]) == []
    again = AuditSet.objects.get(pk=audit_set.pk)
    assert sorted(item.findings for item in again.items.all()) == recorded
    assert again.rule_version == 1
    page = as_alice.get(url("audit_set", imported, pk=audit_set.pk))
    assert b"Findings (version 1)" in page.content
    assert b"RTE_NO_REASON" in page.content


def test_a_case_keeps_the_findings_of_its_lead(imported, as_alice, tmp_path):
    # A REPEAT_SUBJECT lead: three operators, one subject.
    rows = [
        {"operator_id": op, "timestamp": f"2026-03-1{i}T08:00:00"}
        for i, op in enumerate(["A", "B", "C"])
    ]
    testing.make_querylog_import(
        imported, testing.make_querylog(tmp_path / "r.csv", rows)
    )
    page = as_alice.get(url("leads", imported), MARCH)
    (lead,) = [row for row in testing.listed(page) if row["rule"] == "REPEAT_SUBJECT"]
    as_alice.post(url("act_on_lead", imported, key=lead["key"]), {"action": "dismiss"})
    record = Lead.objects.get(agency=imported, key=lead["key"])
    assert record.rule_version == 1 and len(record.findings) == 3
    AuditRules.objects.create(agency=imported, repeat_operators=4)
    run("reaudit", "--agency", imported.ori, "--adopt", "2")
    page = as_alice.get(url("lead", imported, key=lead["key"]))
    assert page.status_code == 200
    assert len(page.context["findings"]) == 3
    assert page.context["changed"] is True
    assert b"under rule-set version 1" in page.content
    assert b"Rule-set version 2 finds 0 findings" in page.content


def test_the_rules_page_records_who_and_why_and_adopts(imported, as_alice, alice):
    response = as_alice.post(
        url("rules", imported),
        {"reason_terms": BOTH, "why": "DOJ audit 2026: trespass is a reason"},
    )
    assert response.status_code == 302
    version = RuleSetVersion.objects.get(agency=imported, number=2)
    assert version.reason == "DOJ audit 2026: trespass is a reason"
    assert version.created_by == alice.email
    assert ruleset.current_version(imported).number == 1
    page = as_alice.get(url("rules", imported))
    assert b"Version 2 is newer" in page.content
    assert page.context["candidate"] is None
    run("reaudit", "--agency", imported.ori)
    page = as_alice.get(url("rules", imported))
    assert page.context["candidate"].changes["RTE_NO_REASON"] == {
        "gained": 0,
        "lost": 1,
    }
    assert b"Adopt version 2" in page.content
    response = as_alice.post(url("adopt_rules", imported), {"version": "2"})
    assert response.status_code == 302
    assert ruleset.current_version(imported).number == 2
    assert findings_of(imported, ["2026-03"]) == []


def test_a_stale_candidate_cannot_be_adopted_from_the_page(imported, as_alice):
    response = as_alice.post(url("adopt_rules", imported), {"version": "2"})
    assert response.status_code == 302
    assert ruleset.current_version(imported).number == 1
