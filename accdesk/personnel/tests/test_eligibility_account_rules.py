"""The account rules: SEPARATED, ACCESS_REVOKED, ORPHAN_ACCOUNT, TESTING_DELINQUENT
(and TESTING_DUE), INACTIVE_90D -- each at the day before, of and after its
deadline. See docs/eligibility.md."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.personnel.eligibility import Completion, evaluate, is_separated
from accdesk.personnel.policy import (
    EXPIRING_DAYS,
    GRACE_DAYS,
    INACTIVITY_DAYS,
    NEW_OPERATOR_MONTHS,
    NEXTEST_MONTHS,
    Policy,
)

from .rules import D, account, days, due, facts, item, person

# -- who has an active account ---------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "disabled", "created", "active"),
    [
        ("active", None, days(-1), True),
        ("active", None, D, True),
        ("active", None, days(1), False),  # created after D: does not exist yet
        ("disabled", None, days(-9), False),
        ("disabled", D, days(-9), False),
        ("disabled", days(1), days(-9), True),  # disabled after D: still active at D
    ],
)
def test_it_decides_which_accounts_are_active_on_the_day(
    status, disabled, created, active
):
    acct = account(status=status, disabled_date=disabled, created_date=created)
    assert acct.active_on(D) is active


# -- SEPARATED -------------------------------------------------------------------------


def _separated(on: dt.date, **kw):
    return person(employment_status="separated", separation_date=on, **kw)


def test_separation_is_not_yet_a_reason_the_day_before_it():
    # Status active, separation date after D: not separated yet on D.
    leaving = person(employment_status="active", separation_date=days(1))
    assert item(leaving).reason_codes == []
    # The date passes: separated from that day, whatever the status says.
    assert item(leaving, days(1)).reason_codes == ["SEPARATED"]


def test_status_separated_is_separated_even_before_its_separation_date():
    # Issue 3: status ``separated`` OR a separation date on or before D.
    result = item(_separated(days(1)))
    assert result.reason_codes == ["SEPARATED"]
    assert result.action == "deactivate"
    # Issue 12: due on the separation date itself; notify by the day after.
    assert result.due_date == days(1) and not result.overdue(D)
    assert result.reasons[0].notify_by == days(2)


def test_a_passed_separation_date_separates_someone_still_marked_active():
    for status in ("active", "leave"):
        result = item(person(employment_status=status, separation_date=days(-2)))
        assert result.reason_codes == ["SEPARATED"]
        assert result.due_date == days(-2) and result.overdue(D)


@pytest.mark.parametrize(
    ("status", "separation", "separated"),
    [
        ("active", None, False),
        ("leave", None, False),
        ("active", days(1), False),
        ("active", D, True),
        ("active", days(-1), True),
        ("leave", days(-1), True),
        ("separated", None, True),
        ("separated", days(1), True),
        ("separated", days(-1), True),
    ],
)
def test_is_separated_is_the_status_or_a_date_on_or_before_d(
    status, separation, separated
):
    p = person(employment_status=status, separation_date=separation)
    assert is_separated(p, D) is separated


def test_separation_on_the_day_is_due_that_day_with_notice_the_next():
    # Issue 12 (§5.12.2, ACC Desk's reading): access ends on the separation date;
    # AC-2(h)'s 1 day is the notice to account managers.
    result = item(_separated(D))
    assert result.reason_codes == ["SEPARATED"]
    assert result.status == "must_deactivate" and result.action == "deactivate"
    assert result.due_date == D and not result.overdue(D)
    assert result.reasons[0].notify_by == days(1)


def test_separation_is_overdue_the_day_after():
    assert item(_separated(days(-1))).due_date == days(-1)
    assert item(_separated(days(-1))).overdue(D)
    assert item(_separated(days(-1))).reasons[0].notify_by == D


def test_a_separated_status_without_a_date_is_due_on_the_day():
    result = item(person(employment_status="separated"))
    assert result.reason_codes == ["SEPARATED"] and result.due_date == D


def test_a_separated_person_without_an_active_account_needs_nothing():
    gone = _separated(
        days(-30),
        accounts=[account("OP-E1", status="disabled", disabled_date=days(-29))],
    )
    result = item(gone)
    assert result.reason_codes == [] and result.status == "eligible"


@pytest.mark.parametrize(
    ("status", "separation"),
    [
        ("separated", days(-3)),
        ("separated", days(3)),  # status separated, date after D
        ("separated", None),
        ("active", days(-3)),  # date passed, status not updated
    ],
)
def test_person_rules_do_not_apply_to_a_separated_person(status, separation):
    # No training, no statement, no checks: only the account rule is listed.
    gone = person(
        employment_status=status,
        separation_date=separation,
        administrator=True,
        awareness_training=[],
        forms={},
        checks=[],
    )
    assert item(gone).reason_codes == ["SEPARATED"]


def test_account_rules_still_apply_to_a_separated_person():
    stale = account("OP-E1", last_activity_date=days(-200))
    assert item(_separated(days(-3), accounts=[stale])).reason_codes == [
        "SEPARATED",
        "INACTIVE_90D",
    ]


def test_a_past_as_of_date_sees_an_account_disabled_later_as_active():
    later = account("OP-E1", status="disabled", disabled_date=days(10))
    assert item(_separated(days(-3), accounts=[later])).reason_codes == ["SEPARATED"]
    assert item(_separated(days(-3), accounts=[later]), days(10)).reason_codes == []


# -- ACCESS_REVOKED --------------------------------------------------------------------


def test_revocation_counts_from_its_date():
    assert item(person(access_revoked_on=days(1))).reason_codes == []
    on_the_day = item(person(access_revoked_on=D))
    assert on_the_day.reason_codes == ["ACCESS_REVOKED"]
    assert on_the_day.due_date == D and not on_the_day.overdue(D)
    assert item(person(access_revoked_on=days(-1))).overdue(D)


def test_a_revoked_person_without_an_account_is_not_listed_for_it():
    assert item(person(access_revoked_on=days(-5), accounts=[])).reason_codes == []


# -- ORPHAN_ACCOUNT --------------------------------------------------------------------


def test_an_account_matching_no_one_is_an_orphan_due_today_with_no_other_rule():
    # Never used and never tested: still only the orphan rule applies to it.
    ghost = account("GHOST", "E404", last_activity_date=None, created_date=days(-400))
    (result,) = evaluate(facts(orphans=[ghost], tests={}), D).items
    assert result.employee_id is None and result.operator_id == "GHOST"
    assert result.operator_ids == ["GHOST"]
    assert result.reason_codes == ["ORPHAN_ACCOUNT"]
    assert result.status == "must_deactivate" and result.due_date == D


def test_a_disabled_or_future_orphan_account_is_not_listed():
    orphans = [
        account("OLD", "E404", status="disabled", disabled_date=days(-1)),
        account("NEW", "E405", created_date=days(1)),
    ]
    assert evaluate(facts(orphans=orphans), D).items == []


# -- TESTING_DELINQUENT / TESTING_DUE --------------------------------------------------


def _tested(expires: dt.date, test: str = "full") -> dict[str, list[Completion]]:
    return {"OP-E1": [Completion(test, days(-300, expires), expires)]}


def test_a_certification_expiring_on_the_day_still_counts():
    result = item(person(), tests=_tested(D))
    assert result.reason_codes == ["CERTIFICATION_EXPIRING"]
    assert result.status == "expiring" and result.due_date == D


def test_the_day_after_expiry_the_account_is_delinquent_due_a_week_later():
    result = item(person(), tests=_tested(days(-1)))
    assert result.reason_codes == ["TESTING_DELINQUENT"]
    assert result.due_date == days(6) and not result.overdue(D)


def test_delinquency_is_due_seven_days_after_expiry_and_overdue_after():
    assert item(person(), tests=_tested(days(-7))).due_date == D
    assert not item(person(), tests=_tested(days(-7))).overdue(D)
    assert item(person(), tests=_tested(days(-8))).overdue(D)


def test_the_latest_sufficient_certification_decides():
    tests = {
        "OP-E1": [
            Completion("full", days(-800), days(-400)),
            Completion("full", days(-300), days(-2)),
        ]
    }
    assert due(item(person(), tests=tests), "TESTING_DELINQUENT") == days(5)


@pytest.mark.parametrize(
    ("access", "test", "sufficient"),
    [
        ("full", "full", True),
        ("full", "ltf", False),
        ("ltf", "ltf", True),
        ("ltf", "full", True),
        ("full", "security_awareness", False),
    ],
)
def test_full_covers_full_and_ltf_and_ltf_covers_ltf(access, test, sufficient):
    p = person(accounts=[account("OP-E1", access_level=access)])
    codes = item(p, tests={"OP-E1": [Completion(test, days(-100))]}).reason_codes
    assert (codes == []) is sufficient
    assert (codes == ["TESTING_DELINQUENT"]) is not sufficient


def test_an_account_without_clets_access_needs_no_test():
    p = person(accounts=[account("OP-E1", access_level="none")])
    assert item(p, tests={}).reason_codes == []


def test_a_certification_of_another_operator_id_does_not_count():
    tests = {"OP-OTHER": [Completion("full", days(-100))]}
    assert item(person(), tests=tests).reason_codes == ["TESTING_DELINQUENT"]


def test_a_certification_completed_after_the_as_of_date_does_not_count():
    tests = {"OP-E1": [Completion("full", days(1), days(366))]}
    assert item(person(), tests=tests).reason_codes == ["TESTING_DELINQUENT"]


def test_a_blank_expiration_is_completed_plus_twelve_calendar_months():
    # Completed 2025-06-15 expires 2026-06-15: still good on D, gone a day later.
    tests = {"OP-E1": [Completion("full", dt.date(2025, 6, 15))]}
    assert item(person(), tests=tests).reason_codes == ["CERTIFICATION_EXPIRING"]
    assert item(person(), days(1), tests=tests).reason_codes == ["TESTING_DELINQUENT"]


def test_a_biennial_policy_version_applies_to_certifications_taken_under_it():
    # Taken while recertification was biennial: valid 24 months.
    biennial = Policy(
        [
            (NEXTEST_MONTHS, dt.date(2010, 1, 1), 24),
            (NEXTEST_MONTHS, dt.date(2025, 1, 1), 12),
        ]
    )
    old = {"OP-E1": [Completion("full", dt.date(2024, 12, 1))]}
    assert item(person(), tests=old, policy=biennial).reason_codes == []
    new = {"OP-E1": [Completion("full", dt.date(2025, 1, 1))]}
    assert item(person(), tests=new, policy=biennial).reason_codes == [
        "TESTING_DELINQUENT"
    ]


def _new_operator(created: dt.date):
    return person(
        accounts=[account("OP-E1", created_date=created, last_activity_date=D)]
    )


# Issue 12: 6 calendar months from appointment. D - 6 months = 2025-12-15.
SIX_MONTHS_BEFORE_D = dt.date(2025, 12, 15)


def test_a_new_operator_is_pending_through_six_calendar_months():
    result = item(_new_operator(SIX_MONTHS_BEFORE_D), tests={})
    assert result.reason_codes == ["TESTING_DUE"]
    assert result.status == "pending" and result.action == "none"
    assert result.due_date == D
    later = _new_operator(SIX_MONTHS_BEFORE_D + dt.timedelta(days=1))
    assert item(later, tests={}).due_date == days(1)


def test_the_day_after_six_months_an_untested_new_operator_is_delinquent():
    result = item(_new_operator(SIX_MONTHS_BEFORE_D - dt.timedelta(days=1)), tests={})
    assert result.reason_codes == ["TESTING_DELINQUENT"]
    assert result.due_date == days(6)  # created + 6 months + 7 days


def test_each_delinquent_account_of_a_person_is_named_once_with_the_earliest_due():
    p = person(
        accounts=[
            account("OP-A", created_date=days(-300)),
            account("OP-B", created_date=days(-200)),
        ]
    )
    result = item(p, tests={})
    assert result.reason_codes == ["TESTING_DELINQUENT"]
    # OP-A: created 2025-08-19 + 6 months (2026-02-19) + 7 days.
    assert result.due_date == dt.date(2026, 2, 26)
    assert "OP-A" in result.reasons[0].detail and "OP-B" in result.reasons[0].detail


# -- INACTIVE_90D ----------------------------------------------------------------------


LONG_AGO = days(-400)


def _last_used(on: dt.date | None, created: dt.date = LONG_AGO):
    return person(
        accounts=[account("OP-E1", last_activity_date=on, created_date=created)]
    )


def test_ninety_days_without_use_is_not_yet_inactive():
    assert item(_last_used(days(-90))).reason_codes == []


def test_ninety_one_days_without_use_is_inactive_due_at_day_97():
    result = item(_last_used(days(-91)))
    assert result.reason_codes == ["INACTIVE_90D"]
    assert result.due_date == days(6) and not result.overdue(D)


def test_inactivity_is_overdue_from_day_98():
    assert not item(_last_used(days(-97))).overdue(D)
    assert item(_last_used(days(-98))).overdue(D)


def test_a_never_used_account_counts_from_its_creation():
    assert item(_last_used(None, created=days(-90))).reason_codes == []
    assert item(_last_used(None, created=days(-91))).reason_codes == ["INACTIVE_90D"]


def test_use_after_a_past_as_of_date_raises_no_inactivity_on_that_date():
    # Only the latest use is known: on D-10 the account was about to be used, and
    # its use before then is unknown -- it is not reported inactive.
    p = _last_used(days(-1), created=days(-400))
    assert item(p, days(-10)).reason_codes == []


# -- deadlines use the policy version in force on D ------------------------------------
# (the rules compare against thresholds worked out once per as-of date: these pin
# them at their boundaries under a changed policy value)


def _on_d(name: str, value: int) -> Policy:
    """``name`` is ``value`` from a day before D; a later version is not yet in
    force on D."""
    return Policy([(name, days(-1), value), (name, days(1), 1000)])


def test_a_shorter_inactivity_version_in_force_on_d_applies():
    sixty = _on_d(INACTIVITY_DAYS, 60)
    assert item(_last_used(days(-60)), policy=sixty).reason_codes == []
    result = item(_last_used(days(-61)), policy=sixty)
    assert result.reason_codes == ["INACTIVE_90D"]
    assert result.due_date == days(6)  # last use + 60 + 7


def test_a_shorter_new_operator_window_in_force_on_d_applies():
    three = _on_d(NEW_OPERATOR_MONTHS, 3)
    result = item(_new_operator(dt.date(2026, 3, 15)), tests={}, policy=three)
    assert result.reason_codes == ["TESTING_DUE"] and result.due_date == D
    result = item(_new_operator(dt.date(2026, 3, 14)), tests={}, policy=three)
    assert result.reason_codes == ["TESTING_DELINQUENT"]
    assert result.due_date == days(6)  # created + 3 months + 7


def test_the_superseded_grace_in_days_no_longer_counts():
    # Issue 12: new_operator_window_months supersedes new_operator_grace.
    year = _on_d(GRACE_DAYS, 365)
    result = item(_new_operator(days(-300)), tests={}, policy=year)
    assert result.reason_codes == ["TESTING_DELINQUENT"]


def test_a_wider_expiring_window_version_in_force_on_d_applies():
    tests = {"OP-E1": [Completion("full", days(-300), days(60))]}
    sixty = _on_d(EXPIRING_DAYS, 60)
    assert item(person(), tests=tests, policy=sixty).reason_codes == [
        "CERTIFICATION_EXPIRING"
    ]
    later = {"OP-E1": [Completion("full", days(-300), days(61))]}
    assert item(person(), tests=later, policy=sixty).reason_codes == []
    assert item(person(), tests=tests).reason_codes == []  # baseline: 30 days
