"""Which weeks of the change record have been reviewed (AU-6), and which are due.

Weeks run Monday to Sunday in the agency's time zone. The first week is the one in
which the agency was added to ACC Desk (its change record starts then); each
week's review is due the Monday after it ends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accdesk.agency.models import Agency
from accdesk.changes.models import AuditLogReview
from accdesk.lib.dates import monday_of

WEEK = dt.timedelta(days=7)


def first_week(agency: Agency) -> dt.date:
    return monday_of(agency.created_at.astimezone(agency.tz).date())


@dataclass(frozen=True)
class Week:
    monday: dt.date
    review: AuditLogReview | None

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def due_on(self) -> dt.date:
        """The Monday after the week."""
        return self.monday + WEEK


def weeks(agency: Agency, until: dt.date) -> list[Week]:
    """Every week from the first one to the week holding ``until``, oldest first,
    each with the review that covers it (if any)."""
    reviews = list(AuditLogReview.objects.filter(agency=agency).order_by("id"))
    found = []
    monday = first_week(agency)
    while monday <= until:
        sunday = monday + dt.timedelta(days=6)
        covering = [
            r for r in reviews if r.period_start <= monday and r.period_end >= sunday
        ]
        found.append(Week(monday, covering[-1] if covering else None))
        monday += WEEK
    return found


def unreviewed_ended_weeks(agency: Agency) -> list[Week]:
    today = agency.today()
    return [w for w in weeks(agency, today) if w.review is None and w.sunday <= today]
