"""The level-2 rules at their edges (issue 17 §2, issue 12 §1 item 11):
PURPOSE_REASON_MISMATCH, RELEASE_NOT_LOGGED, OPERATOR_NOT_AUTHORIZED from the
eligibility rules, and California's criminal-history keys."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import zoneinfo

import pytest

from accdesk import testing
from accdesk.personnel import eligibility
from accdesk.personnel.authorization import Interval, unauthorized_intervals
from accdesk.personnel.models import SystemAccount
from accdesk.querylogs import ruleset, storage
from accdesk.querylogs.models import AuditRules, rules_for
from accdesk.querylogs.rules import default_rules

LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def rule_rows(found, rule):
    return {row: detail for (row, name), detail in found.items() if name == rule}


# -- PURPOSE_REASON_MISMATCH ------------------------------------------------------


@pytest.mark.parametrize(
    ("purpose", "rte", "detail"),
    [
        (
            "C",
            "DET SMITH BACKGROUND 26-001234",
            "purpose code C with the reason BACKGROUND",
        ),
        (
            "c",
            "DET SMITH PRE  EMPLOYMENT 26-001234",
            "purpose code C with the reason PRE  EMPLOYMENT",
        ),
        ("J", "DET SMITH ROBBERY 26-001234", "purpose code J with the reason ROBBERY"),
        ("E", "SGT A WARRANT 26-001234", "purpose code E with the reason WARRANT"),
    ],
)
def test_a_reason_that_does_not_fit_the_purpose(audit, purpose, rte, detail):
    found = audit([{"purpose_code": purpose, "rte": rte}])
    assert rule_rows(found, "PURPOSE_REASON_MISMATCH") == {1: detail}


@pytest.mark.parametrize(
    ("purpose", "rte"),
    [
        ("C", "DET SMITH ROBBERY 26-001234"),  # criminal justice: fits C
        ("J", "DET SMITH BACKGROUND 26-001234"),  # an applicant: fits J
        ("C", "DET SMITH BACKGROUNDS 26-001234"),  # whole words only
        ("C", "DET SMITH XBACKGROUND 26-001234"),
        ("R", "DET SMITH BACKGROUND 26-001234"),  # invalid anyway: PURPOSE_INVALID
        ("", "DET SMITH BACKGROUND 26-001234"),
    ],
)
def test_a_reason_that_fits_is_no_mismatch(audit, purpose, rte):
    found = audit([{"purpose_code": purpose, "rte": rte}])
    assert rule_rows(found, "PURPOSE_REASON_MISMATCH") == {}


def test_a_purpose_not_allowed_with_its_message_key(audit):
    found = audit(
        [
            {"message_key": "IQ", "purpose_code": "A"},
            {"message_key": "iq", "purpose_code": "C"},
            {"message_key": "QH", "purpose_code": "A"},
        ]
    )
    assert rule_rows(found, "PURPOSE_REASON_MISMATCH") == {
        1: "purpose code A is not allowed with IQ (allowed: C E J)"
    }


def test_rule_sets_of_level_1_do_not_have_the_new_rules(audit):
    level1 = dataclasses.replace(default_rules(), level=1)
    found = audit(
        [{"purpose_code": "C", "rte": "DET SMITH BACKGROUND 26-001234 CA0390000"}],
        rules=level1,
    )
    assert {rule for _, rule in found} == set()


# -- RELEASE_NOT_LOGGED -----------------------------------------------------------------


def audit_agency(agency, tmp_path, rows):
    from accdesk.querylogs.tests.test_querylog_command import run

    testing.allow_querylog_ori(agency)
    path = testing.make_querylog(tmp_path / "log.csv", rows)
    out = tmp_path / "findings.csv"
    run("audit", str(path), "--agency", agency.ori, "--findings-out", str(out))
    with out.open() as handle:
        return {(int(r["row"]), r["rule"]): r["detail"] for r in csv.DictReader(handle)}


QUERY = {
    "timestamp": "2026-03-10T08:00:00",
    "rte": "DET SMITH ROBBERY 26-001234 FOR CA0390000",
}


def released(agency, day, ori="CA0390000"):
    at = dt.datetime.combine(day, dt.time(12), tzinfo=LA)
    testing.make_release_entry(agency, released_at=at, requesting_ori=ori)


def test_an_ori_with_no_release_is_a_lead(agency, tmp_path):
    found = audit_agency(
        agency,
        tmp_path,
        [
            QUERY,
            {"attention": "DA CA0390000 DDA ROE"},  # in the attention field
            {"rte": "DET SMITH ROBBERY CR1234567"},  # a case number, not an ORI
            {"rte": f"DET SMITH ROBBERY 26-001234 {agency.ori}"},  # its own ORI
            {"rte": "DET SMITH ROBBERY 26-001234 CA0990000"},  # an additional ORI
        ],
    )
    assert rule_rows(found, "RELEASE_NOT_LOGGED") == {
        1: "ORI CA0390000 named in the RTE or attention; the release log has no "
        "release to it from 2026-03-03 to 2026-03-17",
        2: "ORI CA0390000 named in the RTE or attention; the release log has no "
        "release to it from 2026-02-23 to 2026-03-09",
    }


@pytest.mark.parametrize(
    ("day", "lead"),
    [
        (dt.date(2026, 3, 2), True),  # 8 days before
        (dt.date(2026, 3, 3), False),  # 7 days before: within the window
        (dt.date(2026, 3, 17), False),  # 7 days after
        (dt.date(2026, 3, 18), True),
    ],
)
def test_the_release_window_is_7_days_either_side(agency, tmp_path, day, lead):
    released(agency, day)
    released(agency, dt.date(2026, 3, 10), ori="CA0100000")  # another ORI
    found = audit_agency(agency, tmp_path, [QUERY])
    assert bool(rule_rows(found, "RELEASE_NOT_LOGGED")) is lead


def test_the_window_is_a_setting(agency, tmp_path, settings):
    settings.QUERYLOG_RELEASE_WINDOW_DAYS = 0
    released(agency, dt.date(2026, 3, 11))
    assert rule_rows(audit_agency(agency, tmp_path, [QUERY]), "RELEASE_NOT_LOGGED")
    released(agency, dt.date(2026, 3, 10))
    assert not rule_rows(audit_agency(agency, tmp_path, [QUERY]), "RELEASE_NOT_LOGGED")


def test_without_an_agency_the_release_rule_is_not_checked(tmp_path):
    from accdesk.querylogs.tests.conftest import run_audit

    result, found = run_audit(testing.make_querylog(tmp_path / "l.csv", [QUERY]))
    assert "RELEASE_NOT_LOGGED" in result.not_checked
    assert not [f for f in found if f[1] == "RELEASE_NOT_LOGGED"]


# -- OPERATOR_NOT_AUTHORIZED from the eligibility rules ----------------------------------


def test_unauthorized_days_come_from_the_eligibility_rules(roster, tmp_path):
    # Pat has an account and nothing else: no fingerprint clearance, no training.
    pat = testing.make_person(roster, employee_id="E3", last_name="Pat")
    testing.make_account(
        roster, pat, operator_id="OP3", created_date=dt.date(2020, 1, 1)
    )
    found = audit_agency(
        roster,
        tmp_path,
        [
            {"timestamp": "2026-03-09T08:00:00"},  # OP1, Maria: eligible
            {"timestamp": "2026-03-09T08:00:00", "operator_id": "op3"},
            {"timestamp": "2026-03-09T08:00:00", "operator_id": "NOBODY"},
            {"timestamp": "2026-03-09T08:00:00", "operator_id": "OP2"},
        ],
    )
    unauthorized = rule_rows(found, "OPERATOR_NOT_AUTHORIZED")
    assert set(unauthorized) == {2, 3, 4}
    assert unauthorized[2].startswith(
        "on 2026-03-09 the operator had to be deactivated ("
    )
    assert "NO_FINGERPRINT" in unauthorized[2]
    assert unauthorized[3] == "operator ID NOBODY matches no account"
    assert "had an account disabled on 2026-02-20" in unauthorized[4] or (
        "had to be deactivated" in unauthorized[4]
    )


def test_a_disabled_account_is_unauthorized_from_its_disabled_date(roster, tmp_path):
    SystemAccount.objects.filter(operator_id="OP1").update(
        status="disabled", disabled_date=dt.date(2026, 3, 10)
    )
    days = [dt.date(2026, 3, d) for d in (9, 10, 11)]
    intervals = unauthorized_intervals(roster, days)
    mine = [i for i in intervals if i.operator_id == "OP1"]
    assert mine == [
        Interval(
            "OP1",
            dt.date(2026, 3, 10),
            dt.date(2026, 3, 11),
            "had an account disabled on 2026-03-10",
        )
    ]


def test_only_the_operators_that_queried_are_evaluated(roster, monkeypatch):
    """The lead asks about the operator IDs of the log: their intervals are the
    same as when every person is evaluated, and no one else is evaluated."""
    SystemAccount.objects.filter(operator_id="OP1").update(
        status="disabled", disabled_date=dt.date(2026, 3, 10)
    )
    days = [dt.date(2026, 3, d) for d in (9, 10, 11)]
    everyone = unauthorized_intervals(roster, days)
    real = eligibility.evaluate
    evaluated = set()

    def evaluate(facts, day, **kwargs):
        evaluated.update(p.employee_id for p in facts.people)
        return real(facts, day, **kwargs)

    monkeypatch.setattr(eligibility, "evaluate", evaluate)
    asked = unauthorized_intervals(roster, days, operators=["OP1"])
    assert asked == [i for i in everyone if i.operator_id == "OP1"] != []
    assert evaluated == {"E1"}


def test_intervals_are_the_rule_functions_answers(roster, monkeypatch):
    """Any reason whose action is to deactivate, whatever its due date, makes the
    day unauthorized: the intervals follow ``eligibility.evaluate`` itself."""
    real = eligibility.evaluate
    flagged_day = dt.date(2026, 3, 11)

    def evaluate(facts, day, **kwargs):
        worklist = real(facts, day, **kwargs)
        if day == flagged_day:
            for item in worklist.items:
                if item.employee_id == "E1":
                    item.reasons.append(
                        eligibility.Reason(
                            "ANY_CODE", "deactivate", dt.date(2030, 1, 1)
                        )
                    )
        return worklist

    monkeypatch.setattr(eligibility, "evaluate", evaluate)
    days = [dt.date(2026, 3, d) for d in (9, 10, 11, 12)]
    mine = [i for i in unauthorized_intervals(roster, days) if i.operator_id == "OP1"]
    assert mine == [
        Interval("OP1", flagged_day, flagged_day, "had to be deactivated (ANY_CODE)")
    ]


def test_the_new_rules_are_a_new_version_for_an_agency_that_had_results(
    roster, tmp_path
):
    """An agency with results from before: OPERATOR_NOT_AUTHORIZED changes only
    once the ACC adopts the version that brings the eligibility rules."""
    from accdesk.querylogs.models import ResultSet, RuleSetVersion
    from accdesk.querylogs.tests.test_archive import findings_of

    pat = testing.make_person(roster, employee_id="E3", last_name="Pat")
    testing.make_account(
        roster, pat, operator_id="OP3", created_date=dt.date(2020, 1, 1)
    )
    path = testing.make_querylog(
        tmp_path / "l.csv", [{"timestamp": "2026-03-09T08:00:00", "operator_id": "OP3"}]
    )
    testing.make_querylog_import(roster, path)
    assert findings_of(roster, ["2026-03"]) == [("OPERATOR_NOT_AUTHORIZED", "OP3")]
    # As results computed before rule levels: version 1 is level 1.
    ResultSet.objects.filter(agency=roster).delete()
    RuleSetVersion.objects.filter(agency=roster).delete()
    assert ruleset.current_rules(roster).level == 1
    changes = ruleset.reaudit(roster)[0]
    assert changes["version"] == 2 and changes["previous_version"] == 1
    assert findings_of(roster, ["2026-03"]) == [("OPERATOR_NOT_AUTHORIZED", "OP3")]


# -- California's criminal-history keys ------------------------------------------------------


def test_cii_and_achs_are_offered_off_and_audited_once_enabled(agency, audit):
    rows = [
        {"message_key": "CII", "purpose_code": "R"},
        {"message_key": "ACHS", "purpose_code": "R"},
    ]
    assert default_rules().california_keys == ("CII", "ACHS")
    assert "CII" not in rules_for(agency).keys_upper
    assert audit(rows, rules=rules_for(agency)) == {}
    assert ruleset.current_version(agency).number == 1
    AuditRules.objects.create(agency=agency, california_enabled=True)
    rules = rules_for(agency)
    assert {"CII", "ACHS"} <= set(rules.keys_upper)
    assert set(rule_rows(audit(rows, rules=rules), "PURPOSE_INVALID")) == {1, 2}
    # Turning them on is a rule change: a new version.
    assert ruleset.ensure_version(agency).number == 2
    assert storage.months(agency) == []
