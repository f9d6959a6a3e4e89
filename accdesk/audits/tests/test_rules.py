"""Audits: next expected audit, samples, findings and the closing rules."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk import testing
from accdesk.audits import questionnaires, rules, samples
from accdesk.audits.models import Audit, CorrectiveAction, Finding
from accdesk.validations.models import ListedRecord

pytestmark = pytest.mark.django_db


def test_the_starting_questionnaire_is_installed_with_its_sources():
    starting = questionnaires.starting()
    sections = [title for title, _ in starting.sections()]
    assert sections == [
        "Site inspection",
        "Physical Security",
        "Forms",
        "Administrative",
        "Records",
        "Training",
    ]
    questions = list(starting.questions.all())
    assert len(questions) >= 25 and all(q.source for q in questions)
    assert {q.link for q in questions} >= {"validations", "release_log", "training"}
    questionnaires.install_standard_questionnaire()  # again: nothing new
    assert starting.questions.count() == len(questions)


def test_the_next_audit_is_expected_3_years_after_the_last_on_site_start(audit, agency):
    assert rules.next_expected(agency, "clets_security") == dt.date(2029, 3, 2)
    assert rules.next_expected(agency, "cori") is None
    Audit.objects.create(
        agency=agency,
        type="clets_security",
        title="older",
        onsite_start=dt.date(2023, 1, 1),
    )
    assert rules.next_expected(agency, "clets_security") == dt.date(2029, 3, 2)


def test_the_final_report_is_expected_30_to_60_days_after_the_audit(audit):
    assert rules.expected_final_report(audit) == (
        dt.date(2026, 4, 2),
        dt.date(2026, 5, 2),
    )


def test_the_same_seed_draws_the_same_sample(audit, wps_records):
    first = samples.draw(audit, "WPS", 50, "seed-1")
    again = samples.draw(audit, "WPS", 50, "seed-1")
    other = samples.draw(audit, "WPS", 50, "seed-2")

    def ids(sample):
        return [i.record.record_id for i in sample.items.order_by("position")]

    assert len(ids(first)) == 50 and len(set(ids(first))) == 50
    assert ids(first) == ids(again)
    assert ids(first) != ids(other)
    assert first.seed == "seed-1"


def test_a_sample_takes_each_record_once_its_latest_listing(audit, agency, wps_records):
    ListedRecord.objects.create(
        agency=agency,
        database="WPS",
        record_id="W0001",
        record_file="wanted_person",
        entered_date=dt.date(2026, 1, 5),
        list_date=dt.date(2027, 3, 1),
    )
    sample = samples.draw(audit, "WPS", 500, "s")
    assert sample.items.count() == 80
    item = sample.items.get(record__record_id="W0001")
    assert item.record.list_date == dt.date(2027, 3, 1)


def test_a_failed_sample_check_opens_one_finding(audit, wps_records):
    sample = samples.draw(audit, "WPS", 3, "s")
    item = sample.items.first()
    values = {
        "master_case": True,
        "second_party": True,
        "validation_current": True,
        "accurate": True,
        "note": "",
    }
    samples.record_check(item, values, "Alice")
    assert item.result == "pass" and not Finding.objects.exists()
    samples.record_check(item, {**values, "master_case": False}, "Alice")
    samples.record_check(item, {**values, "master_case": False}, "Alice")
    finding = Finding.objects.get()
    assert finding.source == "sample" and finding.severity == "high"
    assert "Cancel the record" in finding.description


def _action(finding, owner, **kwargs):
    return rules.add_action(
        finding,
        description="Fix it",
        owner=owner,
        due_date=kwargs.get("due", dt.date(2026, 6, 1)),
    )


def test_closing_needs_closure_evidence_and_the_last_action_closes_the_finding(
    audit, alice
):
    finding = Finding.objects.create(
        agency=audit.agency,
        audit=audit,
        description="Monitor faces the lobby",
        opened_on=dt.date(2026, 3, 3),
    )
    first, second = _action(finding, alice), _action(finding, alice)
    with pytest.raises(rules.ClosingRefused, match="closure evidence"):
        rules.close_action(first, dt.date(2026, 4, 1), "Moved")
    testing.make_evidence(first, audit.agency)
    assert rules.close_action(first, dt.date(2026, 4, 1), "Moved") is False
    finding.refresh_from_db()
    assert finding.is_open
    testing.make_evidence(second, audit.agency)
    assert rules.close_action(second, dt.date(2026, 4, 2), "Filter fitted") is True
    finding.refresh_from_db()
    assert finding.closed_on == dt.date(2026, 4, 2)


def test_the_audit_closes_only_when_every_finding_is_closed(audit, alice):
    finding = Finding.objects.create(
        agency=audit.agency, audit=audit, description="x", opened_on=dt.date(2026, 3, 3)
    )
    with pytest.raises(rules.ClosingRefused, match="1 finding"):
        rules.close_audit(audit, dt.date(2026, 5, 1))
    action = _action(finding, alice)
    testing.make_evidence(action, audit.agency)
    rules.close_action(action, dt.date(2026, 4, 1), "done")
    rules.close_audit(audit, dt.date(2026, 5, 1))
    audit.refresh_from_db()
    assert audit.status == "closed" and audit.closed_on == dt.date(2026, 5, 1)
    assert rules.counts(audit) == (0, 0)


def test_overdue_actions(audit, alice):
    finding = Finding.objects.create(
        agency=audit.agency, audit=audit, description="x", opened_on=dt.date(2026, 3, 3)
    )
    action = _action(finding, alice, due=dt.date(2026, 6, 1))
    assert rules.overdue_actions(audit.agency, dt.date(2026, 6, 1)) == []
    assert rules.overdue_actions(audit.agency, dt.date(2026, 6, 2)) == [action]
    assert action.status == CorrectiveAction.State.OPEN


def test_a_master_case_not_located_opens_a_finding(agency, alice):
    record = ListedRecord.objects.create(
        agency=agency,
        database="WPS",
        record_id="W1",
        record_file="wanted_person",
        entered_date=dt.date(2026, 1, 5),
        list_date=dt.date(2026, 3, 2),
    )
    record.master_case_located = False
    record.save()
    record.save()
    finding = Finding.objects.get(listed_record=record)
    assert finding.audit.type == "self" and "Cancel the record" in finding.description
    database = Audit.objects.create(agency=agency, type="database", title="DB audit")
    other = ListedRecord.objects.create(
        agency=agency,
        database="WPS",
        record_id="W2",
        record_file="wanted_person",
        entered_date=dt.date(2026, 1, 5),
        list_date=dt.date(2026, 3, 2),
        master_case_located=False,
    )
    assert Finding.objects.get(listed_record=other).audit == database


def test_a_questionnaire_import_is_a_new_version_and_all_or_nothing(agency, tmp_path):
    good = tmp_path / "q.csv"
    good.write_text(
        "section,number,question,source\n"
        "Physical Security,1,Are terminals out of public view?,PPP 1.6\n"
        "Training,2,Are operators certified?,PPP 1.9\n"
    )
    first = questionnaires.import_questionnaire(agency, "CORI pre-audit", good, "q.csv")
    assert first.applied, first.errors
    again = questionnaires.import_questionnaire(agency, "CORI pre-audit", good, "q.csv")
    assert again.applied
    versions = sorted(
        q.version for q in questionnaires.available(agency).filter(agency=agency)
    )
    assert versions == [1, 2]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "section,number,question,source,link\n"
        "Forms,1,Is the HDC 0001 on file?,PPP,agreements\n"
        "Training,1,Duplicate number,PPP,\n"
        ",4,Are terminals out of public view?,PPP,\n"
        "Training,3,Linked,PPP,nowhere\n"
    )
    result = questionnaires.import_questionnaire(
        agency, "CORI pre-audit", bad, "bad.csv"
    )
    assert not result.applied
    text = [str(e) for e in result.errors]
    assert any("row 2" in t and "already in row 1" in t for t in text)
    assert any("row 3" in t and "'section'" in t for t in text)
    assert any("row 4" in t and "'link'" in t for t in text)
    assert questionnaires.available(agency).filter(agency=agency).count() == 2
