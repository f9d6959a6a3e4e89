"""How reasons combine into one item per person: every reason listed, the status
by precedence, the earliest due date, the default list, counts and ordering."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.personnel.eligibility import (
    REASONS,
    STATUSES,
    STILL_ACTIVE_NOTE,
    Completion,
    evaluate,
)
from accdesk.personnel.policy import add_months

from .rules import D, account, cleared, days, facts, item, person


def test_every_reason_that_applies_is_listed_in_rule_order():
    p = person(
        employment_status="active",
        access_revoked_on=days(-2),
        checks=[],
        awareness_training=[],
        forms={},
        administrator=True,
        accounts=[account("OP-E1", last_activity_date=days(-100))],
    )
    result = item(p, tests={})
    assert result.reason_codes == [
        "ACCESS_REVOKED",
        "NO_FINGERPRINT",
        "TESTING_DELINQUENT",
        "TRAINING_EXPIRED",
        "INACTIVE_90D",
        "MISSING_STATEMENT",
        "LIABILITY_UNSIGNED",
    ]
    assert result.status == "must_deactivate"
    # The earliest of: revoked D-2, testing (created 2025-01-31 + 6 months + 7
    # days, issue 12), D, D+(-100+97).
    assert result.due_date == dt.date(2025, 8, 7)


def test_the_due_date_is_the_earliest_among_the_reasons():
    p = person(
        forms={},  # MISSING_STATEMENT: due D
        accounts=[account("OP-E1", last_activity_date=days(-95))],  # due D+2
    )
    result = item(p)
    assert result.reason_codes == ["INACTIVE_90D", "MISSING_STATEMENT"]
    assert [r.due for r in result.reasons] == [days(2), D]
    assert result.due_date == D


@pytest.mark.parametrize(
    ("changes", "status", "action"),
    [
        ({"forms": {}, "access_revoked_on": days(-1)}, "must_deactivate", "deactivate"),
        ({"forms": {}}, "remediate", "remediate"),
        ({"tests": {}, "new": True}, "pending", "none"),
        ({"forms": {}, "tests": {}, "new": True}, "remediate", "remediate"),
        ({"expiring_training": True, "tests": {}, "new": True}, "pending", "none"),
        ({"expiring_training": True}, "expiring", "none"),
        ({}, "eligible", "none"),
    ],
)
def test_the_most_urgent_reason_sets_the_status(changes, status, action):
    changes = dict(changes)
    tests = changes.pop("tests", None)
    if changes.pop("new", False):
        changes["accounts"] = [account("OP-E1", created_date=days(-10))]
    if changes.pop("expiring_training", False):
        changes["awareness_training"] = [Completion("general", days(-10), days(9))]
    result = item(person(**changes), tests=tests)
    assert result.status == status and result.action == action


def test_leave_changes_nothing():
    on_leave = person(employment_status="leave", awareness_training=[])
    assert item(on_leave).reason_codes == ["TRAINING_EXPIRED"]
    assert item(person(employment_status="leave")).status == "eligible"


def test_an_eligible_person_has_no_due_date():
    result = item(person())
    assert result.status == "eligible" and result.due_date is None


def test_operator_id_is_the_first_active_account_and_operator_ids_all_of_them():
    p = person(
        accounts=[
            account(
                "OLD",
                status="disabled",
                disabled_date=days(-50),
                created_date=days(-900),
            ),
            account("MAIN", created_date=days(-600)),
            account("SPARE", created_date=days(-300)),
            account("FUTURE", created_date=days(3)),
        ]
    )
    result = item(p)
    assert result.operator_id == "MAIN"
    assert result.operator_ids == ["OLD", "MAIN", "SPARE"]
    assert [a.operator_id for a in result.accounts] == ["MAIN", "SPARE"]


def test_someone_with_no_active_account_has_no_operator_id():
    result = item(person(accounts=[]))
    assert result.operator_id is None and result.operator_ids == []


def test_an_account_marked_deactivated_but_still_active_carries_a_note():
    marked = account("OP-E1", marked_deactivated_on=days(-3))
    result = item(person(accounts=[marked], access_revoked_on=days(-5)))
    assert result.reason_codes == ["ACCESS_REVOKED"]
    assert result.note == STILL_ACTIVE_NOTE
    disabled = account(
        "OP-E1",
        status="disabled",
        disabled_date=days(-3),
        marked_deactivated_on=days(-3),
    )
    assert item(person(accounts=[disabled])).note == ""


def test_items_come_most_urgent_first_then_by_due_date():
    people = [
        person("E1", name="Ann Eligible"),
        person("E2", name="Bob Remediate", forms={}),
        person("E3", name="Cy Late", access_revoked_on=days(-9)),
        person("E4", name="Di Soon", access_revoked_on=days(-1)),
    ]
    orphan = account("GHOST", "E404")
    worklist = evaluate(facts(*people, orphans=[orphan]), D)
    assert [i.employee_id for i in worklist.items] == ["E3", "E4", None, "E2", "E1"]


def test_the_default_list_holds_only_people_to_deactivate_or_remediate():
    people = [
        person("E1"),
        person("E2", forms={}),
        person("E3", access_revoked_on=days(-1)),
        person("E4", accounts=[account("OP-E4", "E4", created_date=days(-5))]),
        person("E5", awareness_training=[Completion("general", days(-350))]),
    ]
    # E4, a new operator, has no NexTEST result yet: pending.
    tests = {f"OP-E{n}": [Completion("full", days(-30))] for n in (1, 2, 3, 5)}
    worklist = evaluate(facts(*people, tests=tests), D)
    assert {i.employee_id for i in worklist.listed()} == {"E2", "E3"}
    assert len(worklist.listed(everyone=True)) == 5
    assert worklist.counts_by_status() == {
        "must_deactivate": 1,
        "remediate": 1,
        "pending": 1,
        "expiring": 1,
        "eligible": 1,
    }


def test_counts_by_reason_name_every_reason_code():
    worklist = evaluate(facts(person("E1", forms={}), person("E2", forms={})), D)
    counts = worklist.counts_by_reason()
    assert list(counts) == list(REASONS)
    assert counts["MISSING_STATEMENT"] == 2
    assert sum(counts.values()) == 2
    assert list(worklist.counts_by_status()) == list(STATUSES)


def test_an_as_of_date_in_the_past_uses_only_what_was_known_then():
    # Hired and cleared two years before D; the training on file was taken after
    # the as-of date, so on that date the person had none.
    past = days(-200)
    p = person(
        checks=cleared(days(-700)),
        awareness_training=[Completion("general", days(-100))],
        forms={"employee_statement": days(-150)},
        accounts=[
            account("OP-E1", created_date=days(-600), last_activity_date=days(-1))
        ],
    )
    tests = {"OP-E1": [Completion("full", days(-300))]}
    assert item(p, tests=tests).reason_codes == []
    assert item(p, past, tests=tests).reason_codes == [
        "TRAINING_EXPIRED",
        "MISSING_STATEMENT",
    ]


def test_upcoming_holds_every_date_ahead_however_far():
    tests = {"OP-E1": [Completion("full", days(-10), days(200))]}
    result = item(person(), tests=tests)
    assert result.status == "eligible"
    assert [(u.code, u.due) for u in result.upcoming] == [
        ("CERTIFICATION_EXPIRING", days(200)),
        ("TRAINING_EXPIRING", add_months(days(-100), 12)),
        ("REINVESTIGATION_EXPIRING", add_months(days(-400), 60)),
    ]


def test_upcoming_holds_a_new_operators_first_test_but_nothing_lapsed():
    new = person(accounts=[account("OP-E1", created_date=days(-10))], checks=[])
    assert [(u.code, u.due) for u in item(new, tests={}).upcoming] == [
        ("TESTING_DUE", dt.date(2026, 12, 5)),  # created + 6 months (issue 12)
        ("TRAINING_EXPIRING", add_months(days(-100), 12)),
    ]


def test_the_worked_example_in_docs_eligibility():
    ben = person(
        "E2",
        employment_status="separated",
        separation_date=dt.date(2026, 6, 10),
        accounts=[account("LPD2", "E2", last_activity_date=dt.date(2026, 3, 1))],
    )
    tests = {"LPD2": [Completion("full", dt.date(2025, 6, 1), dt.date(2026, 6, 1))]}
    result = item(ben, tests=tests)
    assert [(r.code, r.due) for r in result.reasons] == [
        ("SEPARATED", dt.date(2026, 6, 10)),  # issue 12: due on the date itself
        ("TESTING_DELINQUENT", dt.date(2026, 6, 8)),
        ("INACTIVE_90D", dt.date(2026, 6, 6)),
    ]
    assert (result.status, result.action, result.due_date) == (
        "must_deactivate",
        "deactivate",
        dt.date(2026, 6, 6),
    )


# -- the expiring window's far edge (baseline: 30 days) --------------------------------


def _expiring_on(what: str, when: dt.date) -> dict:
    """The ``item`` arguments for a person whose ``what`` falls due ``when``."""
    if what == "certification":
        return {
            "p": person(),
            "tests": {"OP-E1": [Completion("full", days(-300), when)]},
        }
    if what == "training":
        return {"p": person(awareness_training=[Completion("general", D, when)])}
    # Reinvestigation: due 5 years (60 calendar months) after the clearance.
    return {"p": person(checks=cleared(add_months(when, -60)))}


@pytest.mark.parametrize(
    ("what", "code"),
    [
        ("certification", "CERTIFICATION_EXPIRING"),
        ("training", "TRAINING_EXPIRING"),
        ("reinvestigation", "REINVESTIGATION_EXPIRING"),
    ],
)
@pytest.mark.parametrize(("ahead", "expiring"), [(30, True), (31, False)])
def test_the_expiring_window_ends_thirty_days_after_d(what, code, ahead, expiring):
    args = _expiring_on(what, days(ahead))
    result = item(args.pop("p"), **args)
    if expiring:  # D + 30: within 30 days of D, both ends included
        assert result.reason_codes == [code]
        assert result.status == "expiring" and result.due_date == days(30)
        assert result.action == "none" and not result.on_default_list
    else:  # D + 31: outside the window, nothing yet
        assert result.reasons == [] and result.status == "eligible"
    assert [r.due for r in result.upcoming if r.code == code] == [days(ahead)]
