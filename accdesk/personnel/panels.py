"""The roster's dashboard panel: counts by status and the most overdue items, read
from the stored worklist (two indexed queries, whatever the roster's size)."""

from __future__ import annotations

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.lib.panels import Panel
from accdesk.personnel import reviews
from accdesk.personnel.scoping import scope
from accdesk.personnel.worklistcache import store

MOST_OVERDUE = 5


def eligibility(request: AgencyRequest) -> Panel | None:
    if not may(request, "roster.view"):
        return None
    rows = store.current_rows(request.agency, scope(request))
    today = request.agency.today()
    return Panel(
        "personnel/_panel_worklist.html",
        {
            "counts": store.counts_by_status(rows),
            "most_overdue": store.most_overdue(rows, today, MOST_OVERDUE),
        },
    )


def account_review(request: AgencyRequest) -> Panel | None:
    """The annual account review (AC-2(j), AC-6(7)): an agency-level duty, overdue
    12 months after the last completed review (``reviews.review_status``)."""
    if not may(request, "reviews.view"):
        return None
    return Panel(
        "personnel/_panel_account_review.html",
        {"status": reviews.review_status(request.agency)},
    )
