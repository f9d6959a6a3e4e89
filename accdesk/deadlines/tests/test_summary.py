"""The dashboard's What's-due panel counts what the What's-due page lists
(``registry.summarize`` against ``gather``): the same overdue count, the same
number ahead and the same first items, for each role, with a day's deadlines
ordered as the page orders them (issue 18)."""

from __future__ import annotations

import pytest

from accdesk.deadlines.panels import DAYS, SHOWN
from accdesk.deadlines.registry import gather, summarize
from accdesk.deadlines.tests.conftest import DAY, TODAY
from accdesk.lib.deadlines import DUE_TODAY, OVERDUE

pytestmark = pytest.mark.django_db
END = TODAY + DAYS * DAY


def listed(agency, role, first):
    """The panel's figures as the What's-due page's list gives them."""
    items = gather(agency, TODAY, END, role=role)
    ahead = [i for i in items if i.status != OVERDUE]
    return len(items) - len(ahead), len(ahead), ahead[:first]


@pytest.mark.parametrize("role", [None, "acc", "spoc", "viewer", "auditor"])
@pytest.mark.parametrize("first", [1, 4, SHOWN, 50])
def test_the_summary_is_the_lists(agency, crowded, role, first):
    summary = summarize(agency, END, first=first, role=role)

    assert (summary.overdue, summary.ahead, summary.first) == listed(
        agency, role, first
    )


def test_it_counts_overdue_and_due_today_and_what_the_role_may_see(agency, crowded):
    acc = summarize(agency, END, first=50, role="acc")
    viewer = summarize(agency, END, first=50, role="viewer")
    kinds = {(i.kind, i.status) for i in acc.first}

    # Jordan Smith's NexTEST, Riley Green's deactivation, the 2025 misuse report.
    assert acc.overdue == 3
    assert viewer.overdue == 2  # the misuse report is for the ACC and the SPOC
    assert ("training_expiry", DUE_TODAY) in kinds  # Avery Jones, today
    assert ("doj_notice", DUE_TODAY) in kinds  # dated before today, never overdue
    assert "audit_log_review" in {i.kind for i in acc.first}
    assert "audit_log_review" not in {i.kind for i in viewer.first}  # ACC, SPOC
    assert [i.subject for i in acc.first if i.date == TODAY + 5 * DAY] == [
        f"S. {letter}ster" for letter in "ABCDEFGHIJK"
    ]
    assert acc.ahead - viewer.ahead == 1  # this week's change-record review
