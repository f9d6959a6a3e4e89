"""ACCESS_REVIEW_DUE and TRANSFERRED (issue 12 §2), with every boundary: the day
before, on and after each date."""

from __future__ import annotations

import pytest

from accdesk.personnel.eligibility import (
    ACCESS_REVIEW_DUE,
    DEACTIVATE,
    REASONS,
    REMEDIATE,
    TRANSFERRED,
    AccessChange,
)
from accdesk.personnel.policy import SEPARATION_NOTICE_DAYS, Policy
from accdesk.personnel.tests.rules import D, days, due, item, person


def _reason(result, code):
    return next((r for r in result.reasons if r.code == code), None)


def test_the_codes_come_last_in_this_order():
    assert REASONS.index(TRANSFERRED) == REASONS.index(ACCESS_REVIEW_DUE) + 1
    assert REASONS.index(ACCESS_REVIEW_DUE) > REASONS.index("KEY_NOT_RETURNED")


@pytest.mark.parametrize("change", ["unit", "role_level"])
def test_a_transfer_or_role_change_opens_a_review_due_the_next_day(change):
    p = person(access_changes=[AccessChange(change, days(-3))])
    reason = _reason(item(p), ACCESS_REVIEW_DUE)
    assert (reason.kind, reason.due, reason.on) == (REMEDIATE, days(-2), days(-3))


@pytest.mark.parametrize("change", ["access_level", "supervisor"])
def test_other_changes_are_history_only(change):
    p = person(access_changes=[AccessChange(change, days(-3))])
    assert ACCESS_REVIEW_DUE not in item(p).reason_codes


@pytest.mark.parametrize(
    ("changed", "open_"),
    [(days(1), False), (D, True), (days(-1), True)],
)
def test_a_change_counts_from_its_own_date(changed, open_):
    p = person(access_changes=[AccessChange("unit", changed)])
    assert (ACCESS_REVIEW_DUE in item(p).reason_codes) is open_


def test_due_the_change_date_plus_one_day_before_on_and_after():
    p = person(access_changes=[AccessChange("unit", days(-1))])
    # Changed yesterday: due today (not overdue yet); changed two days ago: overdue.
    assert due(item(p), ACCESS_REVIEW_DUE) == D
    assert not item(p).overdue(D)
    p2 = person(access_changes=[AccessChange("unit", days(-2))])
    assert due(item(p2), ACCESS_REVIEW_DUE) == days(-1)
    assert item(p2).overdue(D)
    p3 = person(access_changes=[AccessChange("unit", D)])
    assert due(item(p3), ACCESS_REVIEW_DUE) == days(1)


@pytest.mark.parametrize(
    ("reviewed", "open_"),
    [(days(1), True), (D, False), (days(-1), False), (None, True)],
)
def test_open_until_the_review_is_recorded(reviewed, open_):
    p = person(
        access_changes=[AccessChange("role_level", days(-5), reviewed_on=reviewed)]
    )
    assert (ACCESS_REVIEW_DUE in item(p).reason_codes) is open_


def test_several_open_changes_are_one_reason_due_the_earliest():
    p = person(
        access_changes=[
            AccessChange("unit", days(-2)),
            AccessChange("role_level", days(-10)),
            AccessChange("unit", days(-20), reviewed_on=days(-19)),
        ]
    )
    result = item(p)
    assert result.reason_codes.count(ACCESS_REVIEW_DUE) == 1
    reason = _reason(result, ACCESS_REVIEW_DUE)
    assert (reason.due, reason.on) == (days(-9), days(-10))
    assert "2 changes" in reason.detail


def test_the_notice_days_come_from_the_policy_in_force_on_d():
    # A stricter agency value (0 days: same day) moves the due date.
    pol = Policy([(SEPARATION_NOTICE_DAYS, days(-100), 0)])
    p = person(access_changes=[AccessChange("unit", days(-3))])
    assert due(item(p, policy=pol), ACCESS_REVIEW_DUE) == days(-3)


def test_a_separated_person_gets_no_review():
    p = person(
        employment_status="separated",
        separation_date=days(-1),
        access_changes=[AccessChange("unit", days(-3))],
    )
    assert ACCESS_REVIEW_DUE not in item(p).reason_codes


def test_a_review_is_due_without_an_account_too():
    p = person(accounts=[], access_changes=[AccessChange("unit", days(-3))])
    result = item(p)
    assert ACCESS_REVIEW_DUE in result.reason_codes
    assert result.status == "remediate"


# -- TRANSFERRED ----------------------------------------------------------------


def test_a_transfer_to_a_post_without_clets_access_deactivates():
    p = person(access_changes=[AccessChange("unit", days(-3), access_ends=True)])
    result = item(p)
    reason = _reason(result, TRANSFERRED)
    assert (reason.kind, reason.due, reason.on) == (DEACTIVATE, days(-2), days(-3))
    assert result.status == "must_deactivate"


@pytest.mark.parametrize(
    ("moved", "due_on"),
    [(days(1), None), (D, days(1)), (days(-1), D)],
)
def test_transferred_before_on_and_after_the_transfer_date(moved, due_on):
    p = person(access_changes=[AccessChange("unit", moved, access_ends=True)])
    reason = _reason(item(p), TRANSFERRED)
    assert (reason.due if reason else None) == due_on


def test_transferred_needs_an_active_account():
    p = person(
        accounts=[], access_changes=[AccessChange("unit", days(-3), access_ends=True)]
    )
    assert TRANSFERRED not in item(p).reason_codes


def test_the_latest_transfer_decides():
    back = [
        AccessChange("unit", days(-30), access_ends=True, reviewed_on=days(-29)),
        AccessChange("unit", days(-10), reviewed_on=days(-9)),
    ]
    assert TRANSFERRED not in item(person(access_changes=back)).reason_codes
    away = [
        AccessChange("unit", days(-30), reviewed_on=days(-29)),
        AccessChange("unit", days(-10), access_ends=True, reviewed_on=days(-9)),
    ]
    assert TRANSFERRED in item(person(access_changes=away)).reason_codes


def test_transferred_applies_to_a_separated_person_too():
    # Account rules apply to everyone; the separation is listed first.
    p = person(
        employment_status="separated",
        separation_date=days(-1),
        access_changes=[AccessChange("unit", days(-3), access_ends=True)],
    )
    codes = item(p).reason_codes
    assert codes.index("SEPARATED") < codes.index(TRANSFERRED)
