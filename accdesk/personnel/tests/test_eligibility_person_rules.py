"""The person rules: NO_FINGERPRINT, REINVESTIGATION_DUE, TRAINING_EXPIRED,
MISSING_STATEMENT, LIABILITY_UNSIGNED -- at their boundaries, with and without an
active account. See docs/eligibility.md."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.personnel.eligibility import Check, Completion
from accdesk.personnel.policy import TRAINING_MONTHS, Policy

from .rules import D, account, cleared, days, item, person

# -- NO_FINGERPRINT --------------------------------------------------------------------


def test_cleared_state_and_fbi_checks_are_enough():
    assert item(person(checks=cleared(days(-10)))).reason_codes == []


@pytest.mark.parametrize("missing", ["state", "fbi"])
def test_one_missing_check_blocks_access(missing):
    checks = [c for c in cleared(days(-10)) if c.check != missing]
    result = item(person(checks=checks))
    assert result.reason_codes == ["NO_FINGERPRINT"]
    assert result.action == "deactivate" and result.due_date == D
    assert missing in result.reasons[0].detail


def test_without_an_account_a_missing_check_is_remediated():
    result = item(person(checks=[], accounts=[]))
    assert result.reason_codes == ["NO_FINGERPRINT"]
    assert result.action == "remediate"


def test_someone_with_no_role_and_no_account_needs_no_checks():
    assert item(person(role_level="", checks=[], accounts=[], forms={})).reasons == []


def test_an_account_holder_without_a_role_level_is_held_to_general():
    # Issue 12 §1.1 (changed rule): the training and statement rules no longer
    # skip them, and ROLE_LEVEL_MISSING asks for the level.
    p = person(role_level="", checks=[], forms={}, awareness_training=[])
    assert item(p).reason_codes == [
        "NO_FINGERPRINT",
        "TRAINING_EXPIRED",
        "MISSING_STATEMENT",
        "ROLE_LEVEL_MISSING",
    ]


def test_a_decision_counts_from_its_date():
    p = person(checks=cleared(days(1)))
    assert item(p).reason_codes == ["NO_FINGERPRINT"]  # the day before
    assert item(p, days(1)).reason_codes == []  # the day of
    assert item(p, days(2)).reason_codes == []  # the day after


def test_a_pending_check_is_not_a_clearance():
    checks = [
        Check("state", days(-30), "cleared", days(-10)),
        Check("fbi", days(-30)),
    ]
    assert item(person(checks=checks)).reason_codes == ["NO_FINGERPRINT"]


def test_the_latest_decision_wins():
    denied_later = cleared(days(-100)) + [Check("fbi", days(-20), "denied", days(-5))]
    assert item(person(checks=denied_later)).reason_codes == ["NO_FINGERPRINT"]
    cleared_later = [Check("fbi", days(-200), "denied", days(-150))] + cleared(
        days(-100)
    )
    assert item(person(checks=cleared_later)).reason_codes == []


def test_a_denial_on_the_same_day_as_a_clearance_wins():
    checks = cleared(days(-10)) + [Check("fbi", days(-11), "denied", days(-10))]
    assert item(person(checks=checks)).reason_codes == ["NO_FINGERPRINT"]


# -- REINVESTIGATION_DUE ---------------------------------------------------------------

CLEARED = dt.date(2021, 6, 15)  # + 5 years = D


def test_reinvestigation_falls_due_five_years_after_clearance():
    p = person(checks=cleared(CLEARED))
    on_the_day = item(p)
    assert on_the_day.reason_codes == ["REINVESTIGATION_EXPIRING"]
    assert on_the_day.status == "expiring" and on_the_day.due_date == D
    assert item(p, days(-1)).reason_codes == ["REINVESTIGATION_EXPIRING"]
    after = item(p, days(1))
    assert after.reason_codes == ["REINVESTIGATION_DUE"]
    assert after.action == "remediate" and after.due_date == D
    assert after.overdue(days(1))


def test_rap_back_enrolment_removes_the_reinvestigation():
    later = days(400)
    p = person(at=later, checks=cleared(CLEARED, rap_back=True))
    assert item(p, later).reasons == []


def test_the_older_of_the_two_clearances_governs():
    checks = [
        Check(
            "state",
            days(-2000),
            "cleared",
            dt.date(2021, 6, 14),
            approved_date=dt.date(2021, 6, 14),
        ),
        Check("fbi", days(-20), "cleared", days(-10), approved_date=days(-10)),
    ]
    assert item(person(checks=checks)).reason_codes == ["REINVESTIGATION_DUE"]


def test_a_leap_day_clearance_is_due_on_28_february():
    p = person(at=dt.date(2025, 2, 28), checks=cleared(dt.date(2020, 2, 29)))
    assert item(p, dt.date(2025, 2, 28)).reason_codes == ["REINVESTIGATION_EXPIRING"]
    late = item(p, dt.date(2025, 3, 1))
    assert late.reason_codes == ["REINVESTIGATION_DUE"]
    assert late.due_date == dt.date(2025, 2, 28)


# -- TRAINING_EXPIRED ------------------------------------------------------------------


def _trained(completed: dt.date, level: str = "general", **kw):
    kw.setdefault("awareness_training", [Completion(level, completed)])
    return person(**kw)


def test_training_is_good_through_its_anniversary():
    p = _trained(dt.date(2025, 6, 15))  # expires 2026-06-15 = D
    assert item(p).reason_codes == ["TRAINING_EXPIRING"]
    assert item(p, days(-1)).reason_codes == ["TRAINING_EXPIRING"]
    after = item(p, days(1))
    assert after.reason_codes == ["TRAINING_EXPIRED"]
    assert after.action == "deactivate" and after.due_date == days(1)


def test_expired_training_without_an_account_is_remediated():
    result = item(_trained(days(-400), accounts=[]))
    assert result.reason_codes == ["TRAINING_EXPIRED"]
    assert result.action == "remediate"


def test_a_leap_day_training_expires_on_28_february():
    p = _trained(dt.date(2024, 2, 29), at=dt.date(2025, 2, 28))
    assert item(p, dt.date(2025, 2, 28)).reason_codes == ["TRAINING_EXPIRING"]
    assert item(p, dt.date(2025, 3, 1)).reason_codes == ["TRAINING_EXPIRED"]


def test_an_expiration_date_on_file_is_used_as_is():
    p = person(awareness_training=[Completion("general", days(-10), days(-1))])
    assert item(p).reason_codes == ["TRAINING_EXPIRED"]


@pytest.mark.parametrize(
    ("role", "trained_at", "counts"),
    [
        ("general", "general", True),
        ("general", "privileged", True),
        ("general", "security", True),
        ("general", "unescorted", False),
        ("privileged", "general", False),
        ("security", "privileged", False),
        ("unescorted", "unescorted", True),
    ],
)
def test_training_counts_at_its_level_and_below(role, trained_at, counts):
    p = _trained(days(-100), trained_at, role_level=role)
    assert (item(p).reason_codes == []) is counts


@pytest.mark.parametrize(
    ("role", "counts"), [("unescorted", True), ("general", True), ("privileged", False)]
)
def test_a_nextest_security_awareness_test_counts_as_general(role, counts):
    p = person(
        role_level=role,
        awareness_training=[],
        awareness_tests=[Completion("security_awareness", days(-100))],
    )
    assert (item(p).reason_codes == []) is counts


def test_training_completed_after_the_as_of_date_does_not_exist_yet():
    p = _trained(days(5))
    assert item(p).reason_codes == ["TRAINING_EXPIRED"]
    assert item(p, days(5)).reason_codes == []


def test_the_training_interval_in_force_when_trained_applies():
    # Trained under a 24-month rule: still valid 20 months later.
    old_rule = Policy([(TRAINING_MONTHS, dt.date(2000, 1, 1), 24)])
    p = _trained(days(-600))
    assert item(p, policy=old_rule).reason_codes == []
    assert item(p).reason_codes == ["TRAINING_EXPIRED"]


def test_someone_without_a_role_level_or_account_needs_no_training():
    nobody = person(role_level="", awareness_training=[], forms={}, accounts=[])
    assert item(nobody).reasons == []


# -- MISSING_STATEMENT and LIABILITY_UNSIGNED ----------------------------------------


def test_a_person_with_a_role_needs_a_signed_statement():
    result = item(person(forms={}))
    assert result.reason_codes == ["MISSING_STATEMENT"]
    assert result.action == "remediate" and result.due_date == D


def test_a_statement_counts_from_the_day_it_is_signed():
    p = person(forms={"employee_statement": days(1)})
    assert item(p).reason_codes == ["MISSING_STATEMENT"]
    assert item(p, days(1)).reason_codes == []


def test_an_administrator_must_acknowledge_the_areas_of_liability():
    admin = person(administrator=True)
    assert item(admin).reason_codes == ["LIABILITY_UNSIGNED"]
    signed = person(
        administrator=True,
        forms={"employee_statement": days(-5), "areas_of_liability": D},
    )
    assert item(signed).reason_codes == []


def test_an_administrator_without_cji_access_still_needs_the_acknowledgement():
    admin = person(administrator=True, role_level="", accounts=[], forms={})
    result = item(admin)
    assert result.reason_codes == ["LIABILITY_UNSIGNED"]


# -- hired after D ---------------------------------------------------------------------

NOTHING_ON_FILE = {"checks": [], "awareness_training": [], "forms": {}}
EVERY_PERSON_RULE = [
    "NO_FINGERPRINT",
    "TRAINING_EXPIRED",
    "MISSING_STATEMENT",
    "LIABILITY_UNSIGNED",
]


def test_someone_hired_after_d_gets_no_person_rules_until_hired():
    recruit = person(
        hire_date=days(1), accounts=[], administrator=True, **NOTHING_ON_FILE
    )
    before = item(recruit)
    assert before.reasons == [] and before.status == "eligible"
    assert item(recruit, days(1)).reason_codes == EVERY_PERSON_RULE  # hire day


def test_someone_hired_on_d_or_with_no_hire_date_is_employed():
    for hired in (D, days(-1), None):
        p = person(hire_date=hired, accounts=[], administrator=True, **NOTHING_ON_FILE)
        assert item(p).reason_codes == EVERY_PERSON_RULE


def test_someone_hired_after_d_has_no_expiring_dates_yet():
    expiring = person(
        hire_date=days(1),
        accounts=[],
        awareness_training=[Completion("general", days(-350))],  # expires D + 15
    )
    assert item(expiring).reasons == []
    assert item(expiring, days(1)).reason_codes == ["TRAINING_EXPIRING"]


def test_someone_hired_after_d_with_an_account_active_at_d_is_evaluated():
    # An account before hire is itself suspicious: every rule runs.
    early = person(hire_date=days(30), administrator=True, **NOTHING_ON_FILE)
    result = item(early)
    assert result.reason_codes == EVERY_PERSON_RULE
    assert result.status == "must_deactivate"


def test_an_account_created_after_d_does_not_count_for_someone_hired_after_d():
    later = account("OP-E1", created_date=days(20))
    recruit = person(hire_date=days(30), accounts=[later], **NOTHING_ON_FILE)
    assert item(recruit).reasons == []
