"""The roster's dashboard panel: counts by status and the most overdue items."""

from __future__ import annotations

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.lib.panels import Panel
from accdesk.personnel import reviews, worklist
from accdesk.personnel.scoping import scope

MOST_OVERDUE = 5


def eligibility(request: AgencyRequest) -> Panel | None:
    if not may(request, "roster.view"):
        return None
    result = worklist.compute(request.agency, people=scope(request))
    overdue = [item for item in result.listed() if item.overdue(result.as_of)]
    overdue.sort(key=lambda item: item.due_date)  # type: ignore[arg-type,return-value]
    return Panel(
        "personnel/_panel_worklist.html",
        {"counts": result.counts_by_status(), "most_overdue": overdue[:MOST_OVERDUE]},
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
