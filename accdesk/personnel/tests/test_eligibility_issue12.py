"""Issue 12 §1: the corrected rules, each at the day before, of and after its limit.
See docs/eligibility.md."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accdesk.personnel.eligibility import REASONS, Check, Completion
from accdesk.personnel.policy import NEW_OPERATOR_MONTHS, PASS_MARK, Policy

from .rules import D, account, cleared, days, due, item, person

SIX_MONTHS_BEFORE_D = dt.date(2025, 12, 15)  # D = 2026-06-15


def test_the_new_codes_come_after_the_existing_ones_in_the_issue_order():
    assert REASONS[REASONS.index("KEY_NOT_RETURNED") + 1 :][:5] == (
        "ROLE_LEVEL_MISSING",
        "INITIAL_TRAINING_DUE",
        "INITIAL_TRAINING_MISSING",
        "CLEARANCE_NOT_APPROVED",
        "CSO_DECISION_PENDING",
    )


# -- 1. Blank role level ---------------------------------------------------------------


def test_an_account_holder_with_no_role_level_gets_role_level_missing_due_d():
    result = item(person(role_level=""))
    assert result.reason_codes == ["ROLE_LEVEL_MISSING"]
    assert result.status == "remediate" and result.due_date == D


def test_a_blank_role_level_is_held_to_general_training():
    # Unescorted-level training does not satisfy a general user.
    p = person(role_level="", awareness_training=[Completion("unescorted", days(-10))])
    assert "TRAINING_EXPIRED" in item(p).reason_codes
    p = person(role_level="", awareness_training=[Completion("general", days(-10))])
    assert "TRAINING_EXPIRED" not in item(p).reason_codes


def test_a_blank_role_level_without_an_account_is_not_flagged():
    assert item(person(role_level="", accounts=[], forms={})).reason_codes == []


# -- 2. Administrators are not exempt --------------------------------------------------


def test_an_administrator_keeps_every_requirement_of_the_role_and_account():
    p = person(
        administrator=True,
        awareness_training=[],
        forms={"areas_of_liability": days(-10)},
        checks=[],
        initial_training=[],
    )
    assert item(p, tests={}).reason_codes == [
        "NO_FINGERPRINT",
        "TESTING_DELINQUENT",
        "TRAINING_EXPIRED",
        "MISSING_STATEMENT",
        "INITIAL_TRAINING_MISSING",
    ]


def test_an_administrator_also_needs_the_areas_of_liability():
    assert item(person(administrator=True)).reason_codes == ["LIABILITY_UNSIGNED"]


# -- 3. Separation is immediate --------------------------------------------------------


@pytest.mark.parametrize(
    ("separated", "codes", "overdue"),
    [(days(1), [], False), (D, ["SEPARATED"], False), (days(-1), ["SEPARATED"], True)],
)
def test_separation_is_due_on_its_date(separated, codes, overdue):
    result = item(person(employment_status="active", separation_date=separated))
    assert result.reason_codes == codes
    if codes:
        assert result.due_date == separated and result.overdue(D) is overdue
        assert result.reasons[0].notify_by == separated + dt.timedelta(days=1)


# -- 4. A failed test is not a certification -------------------------------------------


def _tested(score, policy=None):
    tests = {"OP-E1": [Completion("full", days(-30), days(300), score)]}
    return item(person(), tests=tests, policy=policy)


@pytest.mark.parametrize(
    ("score", "counts"),
    [
        (None, True),  # a pass notation
        (Decimal("69.99"), False),
        (Decimal("70"), True),
        (Decimal("70.01"), True),
    ],
)
def test_a_nextest_result_counts_at_the_pass_mark_or_with_no_score(score, counts):
    assert (_tested(score).reason_codes == []) is counts


def test_a_tighter_pass_mark_in_force_on_the_test_day_applies():
    eighty = Policy([(PASS_MARK, days(-400), 80)])
    assert _tested(Decimal("79"), eighty).reason_codes == ["TESTING_DELINQUENT"]
    assert _tested(Decimal("80"), eighty).reason_codes == []


def test_a_failed_security_awareness_test_is_no_training():
    failed = [Completion("security_awareness", days(-30), None, Decimal(50))]
    p = person(awareness_training=[], awareness_tests=failed)
    assert item(p).reason_codes == ["TRAINING_EXPIRED"]
    passed = [Completion("security_awareness", days(-30), None, Decimal(70))]
    assert item(person(awareness_training=[], awareness_tests=passed)).reasons == []


# -- 5. The new-operator window: 6 calendar months from appointment ---------------------


def _appointed(assigned, created=None, **kw):
    created = created or days(-20)
    return person(
        clets_assigned_date=assigned,
        accounts=[account("OP-E1", created_date=created, last_activity_date=D)],
        **kw,
    )


@pytest.mark.parametrize(
    ("assigned", "code", "due_on"),
    [
        (SIX_MONTHS_BEFORE_D + dt.timedelta(days=1), "TESTING_DUE", days(1)),
        (SIX_MONTHS_BEFORE_D, "TESTING_DUE", D),
        (SIX_MONTHS_BEFORE_D - dt.timedelta(days=1), "TESTING_DELINQUENT", days(6)),
    ],
)
def test_the_appointment_date_starts_the_window(assigned, code, due_on):
    # The account is 20 days old, but the roster's assignment date governs.
    result = item(_appointed(assigned), tests={})
    assert result.reason_codes == [code] and due(result, code) == due_on


def test_without_an_assignment_date_the_account_created_date_is_the_appointment():
    result = item(_appointed(None, created=SIX_MONTHS_BEFORE_D), tests={})
    assert result.reason_codes == ["TESTING_DUE"] and result.due_date == D


def test_the_window_is_calendar_months_on_a_month_end():
    # 2025-08-31 + 6 months = 2026-02-28.
    day = dt.date(2026, 2, 28)
    p = _appointed(dt.date(2025, 8, 31), created=dt.date(2025, 8, 31), at=day)
    assert due(item(p, day, tests={}), "TESTING_DUE") == day
    after = day + dt.timedelta(days=1)
    assert "TESTING_DELINQUENT" in item(p, after, tests={}).reason_codes


# -- 6. Initial CLETS training ---------------------------------------------------------


def _untrained(created, access="full", training=(), **kw):
    return person(
        accounts=[account("OP-E1", created_date=created, access_level=access)],
        initial_training=list(training),
        **kw,
    )


@pytest.mark.parametrize(
    ("created", "code", "kind"),
    [
        (SIX_MONTHS_BEFORE_D + dt.timedelta(days=1), "INITIAL_TRAINING_DUE", "pending"),
        (SIX_MONTHS_BEFORE_D, "INITIAL_TRAINING_DUE", "pending"),
        (SIX_MONTHS_BEFORE_D - dt.timedelta(days=1), "INITIAL_TRAINING_MISSING", None),
    ],
)
def test_initial_training_is_pending_then_missing(created, code, kind):
    tests = {"OP-E1": [Completion("full", days(-1), days(300))]}
    result = item(_untrained(created), tests=tests)
    assert result.reason_codes == [code]
    expected_due = created.replace(year=2026, month=created.month - 6)
    assert result.due_date == expected_due  # appointment + 6 months, either way
    if kind:
        assert result.status == "pending"
    else:
        assert result.status == "must_deactivate"


@pytest.mark.parametrize(
    ("access", "course", "hours", "counts"),
    [
        ("full", "clets_full_initial", None, True),  # blank hours count
        ("full", "clets_full_initial", Decimal("5.9"), False),
        ("full", "clets_full_initial", Decimal(6), True),
        ("full", "clets_ltf_initial", Decimal(8), False),  # ltf does not cover full
        ("ltf", "clets_ltf_initial", Decimal("3.5"), False),
        ("ltf", "clets_ltf_initial", Decimal(4), True),
        ("ltf", "clets_full_initial", None, True),  # full covers ltf (inference)
        ("none", "clets_ltf_initial", Decimal(1), True),  # no CLETS access: no rule
    ],
)
def test_the_matching_course_with_enough_hours_counts(access, course, hours, counts):
    training = [Completion(course, days(-400), None, None, hours)]
    p = _untrained(days(-500), access, training)
    tests = {"OP-E1": [Completion("full", days(-1), days(300))]}
    codes = item(p, tests=tests).reason_codes
    assert ("INITIAL_TRAINING_MISSING" not in codes) is counts


def test_initial_training_completed_after_d_does_not_count_yet():
    training = [Completion("clets_full_initial", days(1))]
    result = item(_untrained(days(-500), training=training))
    assert result.reason_codes == ["INITIAL_TRAINING_MISSING"]
    assert item(_untrained(days(-500), training=training), days(1)).reasons == []


def test_initial_training_applies_to_a_separated_persons_active_account():
    p = _untrained(days(-500), employment_status="separated", separation_date=D)
    assert item(p).reason_codes == ["SEPARATED", "INITIAL_TRAINING_MISSING"]


def test_a_new_operators_initial_training_is_among_the_dates_ahead():
    result = item(_untrained(days(-10)), tests={})
    assert ("INITIAL_TRAINING_DUE", dt.date(2026, 12, 5)) in [
        (u.code, u.due) for u in result.upcoming
    ]


# -- 7. A clearance needs the agency head ----------------------------------------------


def _checks(state: dict, fbi: dict) -> list[Check]:
    base = {"decision": "cleared", "decision_date": days(-400)}
    return [
        Check("state", days(-420), **{**base, "approved_date": days(-399), **state}),
        Check("fbi", days(-420), **{**base, "approved_date": days(-399), **fbi}),
    ]


def test_both_checks_cleared_and_approved_is_a_clearance():
    assert item(person(checks=_checks({}, {}))).reasons == []


@pytest.mark.parametrize(
    ("state", "fbi", "code"),
    [
        ({"approved_date": None}, {}, "CLEARANCE_NOT_APPROVED"),
        ({}, {"approved_date": days(1)}, "CLEARANCE_NOT_APPROVED"),  # after D
        ({"result": "record"}, {}, "CLEARANCE_NOT_APPROVED"),  # no CSO decision
        ({"result": "record", "cso_decision": "denied"}, {}, "CLEARANCE_NOT_APPROVED"),
        ({"decision": "denied"}, {"approved_date": None}, "NO_FINGERPRINT"),
        ({"decision": "", "decision_date": None}, {}, "NO_FINGERPRINT"),
    ],
)
def test_a_clearance_without_approval_or_cso_grant(state, fbi, code):
    result = item(person(checks=_checks(state, fbi)))
    assert result.reason_codes == [code]
    assert result.status == "must_deactivate" and result.due_date == D


def test_a_record_with_the_cso_grant_and_approval_counts():
    checks = _checks({"result": "record", "cso_decision": "granted"}, {})
    assert item(person(checks=checks)).reasons == []


def test_approval_on_d_counts_and_without_an_account_it_is_remediate():
    assert item(person(checks=_checks({"approved_date": D}, {}))).reasons == []
    no_account = person(accounts=[], checks=_checks({"approved_date": None}, {}))
    result = item(no_account)
    assert result.reason_codes == ["CLEARANCE_NOT_APPROVED"]
    assert result.status == "remediate"


# -- 9. Rap Back ends; an arrest after access needs the CSO -------------------------------


def _rap_back(expires, cleared_on=dt.date(2020, 1, 10)):
    checks = cleared(cleared_on, rap_back=True, rap_back_expires=expires)
    return person(checks=checks)


@pytest.mark.parametrize(
    ("expires", "codes"),
    [
        (None, []),  # no expiry: exempt
        (days(40), []),
        # In force on its expiry date: not due yet, but coming due then.
        (days(1), ["REINVESTIGATION_EXPIRING"]),
        (D, ["REINVESTIGATION_EXPIRING"]),
        (days(-1), ["REINVESTIGATION_DUE"]),
    ],
)
def test_rap_back_exempts_until_it_expires(expires, codes):
    assert item(_rap_back(expires)).reason_codes == codes


def test_after_rap_back_the_reinvestigation_is_due_at_the_later_of_the_two():
    # Cleared 2020-01-10: + 5 years = 2025-01-10, before the expiry.
    assert due(item(_rap_back(days(-1))), "REINVESTIGATION_DUE") == days(-1)
    # Cleared 2021-06-20: + 5 years = 2026-06-20, after the expiry (2026-06-14).
    result = item(_rap_back(days(-1), dt.date(2021, 6, 20)))
    assert result.reason_codes == ["REINVESTIGATION_EXPIRING"]
    assert result.reasons[0].due == dt.date(2026, 6, 20)


def test_a_rap_back_ending_within_the_window_of_an_old_clearance_is_expiring():
    result = item(_rap_back(days(10)))
    assert result.reason_codes == ["REINVESTIGATION_EXPIRING"]
    assert result.reasons[0].due == days(10)


@pytest.mark.parametrize(
    ("reported", "decision", "decided", "codes"),
    [
        (days(1), "", None, []),  # reported after D: not yet
        (D, "", None, ["CSO_DECISION_PENDING"]),
        (days(-5), "granted", days(1), ["CSO_DECISION_PENDING"]),  # decided after D
        (days(-5), "granted", D, []),
        (days(-5), "denied", D, ["NO_FINGERPRINT"]),  # ACC Desk: access ends
    ],
)
def test_an_arrest_reported_after_access_needs_the_cso(
    reported, decision, decided, codes
):
    checks = _checks(
        {
            "reported_date": reported,
            "reported_decision": decision,
            "reported_decision_date": decided,
        },
        {},
    )
    result = item(person(checks=checks))
    assert result.reason_codes == codes
    if codes == ["CSO_DECISION_PENDING"]:
        assert result.status == "remediate" and result.due_date == D


def test_the_new_operator_window_setting_is_read_on_d():
    five = Policy([(NEW_OPERATOR_MONTHS, days(-1), 5)])
    p = _untrained(dt.date(2026, 1, 15))
    assert item(p, policy=five, tests={}).reason_codes == [
        "TESTING_DUE",
        "INITIAL_TRAINING_DUE",
    ]
    p = _untrained(dt.date(2026, 1, 14))
    assert item(p, policy=five, tests={}).reason_codes == [
        "TESTING_DELINQUENT",
        "INITIAL_TRAINING_MISSING",
    ]


def test_docs_eligibility_lists_every_code_and_policy_value():
    from pathlib import Path

    from accdesk.personnel.policy import BASELINE

    text = (Path(__file__).resolve().parents[3] / "docs" / "eligibility.md").read_text()
    missing = [code for code in REASONS if f"`{code}`" not in text]
    missing += [name for name in BASELINE if f"`{name}`" not in text]
    assert missing == []
