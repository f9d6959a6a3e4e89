"""The two clocks of an incident: reported inside the agency, and reported to DOJ.

Plain functions over moments (aware datetimes); elapsed time is counted in UTC, so
a daylight-saving change in the agency's time zone neither adds nor removes an
hour ("24 elapsed hours").

- **Internal** (CJISSECPOL v5.9.5 IR-6): staff report a suspected incident to the
  agency's incident-response function "immediately and within 1 hour of
  discovery": due ``discovered_at`` + 60 minutes; met when reported at or before
  it (59 and 60 minutes: met; 61: missed).
- **DOJ** (CA DOJ MOU, Exhibit E "Breach Response"): a suspected incident,
  intrusion or unauthorized use within 24 hours of discovery; a breach -- data
  acquired, or believed to have been acquired, by an unauthorized person --
  "immediately" (``settings.INCIDENT_DOJ_BREACH_MINUTES``, default 60) from the
  moment it was confirmed or believed, and never later than the 24 hours. An
  incident found not to be one (``not_incident``) before DOJ was due has no DOJ
  clock (``None``).

A clock is ``running`` until it is done or its due moment passes, then ``met`` or
``missed``; ``minutes`` says by how much (whole minutes, rounded down).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from accdesk.incidents.models import Incident, Status

RUNNING, MET, MISSED = "running", "met", "missed"
CLOCK_STATUSES = (RUNNING, MET, MISSED)
INTERNAL_LIMIT = dt.timedelta(hours=1)  # IR-6
SUSPECTED_LIMIT = dt.timedelta(hours=24)  # CA DOJ MOU, Exhibit E


def breach_limit() -> dt.timedelta:
    """ "Immediately", as the agency reads it (CA DOJ MOU, Exhibit E)."""
    return dt.timedelta(minutes=settings.INCIDENT_DOJ_BREACH_MINUTES)


@dataclass(frozen=True)
class Clock:
    name: str  # internal / doj
    due_at: dt.datetime
    done_at: dt.datetime | None
    status: str
    minutes: int  # left (running), to spare (met) or late (missed)
    rule: str

    @property
    def label(self) -> str:
        return {"internal": "Reported internally", "doj": "DOJ notified"}[self.name]

    @property
    def task(self) -> str:
        """What must be done, as a deadline's title says it."""
        return {"internal": "report it inside the agency", "doj": "notify DOJ"}[
            self.name
        ]

    @property
    def summary(self) -> str:
        """ "met, 12 min to spare" -- how the page and panel word it."""
        span = _span(self.minutes)
        if self.status == RUNNING:
            return f"running, {span} left"
        if self.status == MET:
            return f"met, {span} to spare"
        return f"missed by {span}"


def _span(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC. Python adds and subtracts aware datetimes that share a
    ``tzinfo`` on the wall clock (12:00 + 24 h = 12:00 the next day, even when a
    daylight-saving change makes that 23 hours): all arithmetic here is in UTC."""
    return moment.astimezone(dt.UTC)


def _minutes(delta: dt.timedelta) -> int:
    return int(abs(delta.total_seconds()) // 60)


def clock(
    name: str,
    due_at: dt.datetime,
    done_at: dt.datetime | None,
    now: dt.datetime,
    rule: str,
) -> Clock:
    """The state at ``now`` of a clock due at ``due_at`` and done at ``done_at``."""
    due_at, now = utc(due_at), utc(now)
    done_at = utc(done_at) if done_at is not None else None
    if done_at is not None:
        status = MET if done_at <= due_at else MISSED
        return Clock(name, due_at, done_at, status, _minutes(due_at - done_at), rule)
    if now > due_at:
        return Clock(name, due_at, None, MISSED, _minutes(now - due_at), rule)
    return Clock(name, due_at, None, RUNNING, _minutes(due_at - now), rule)


def internal_clock(incident: Incident, now: dt.datetime) -> Clock:
    return clock(
        "internal",
        utc(incident.discovered_at) + INTERNAL_LIMIT,
        incident.reported_internally_at,
        now,
        "within 1 hour of discovery (CJISSECPOL v5.9.5 IR-6)",
    )


def doj_due(incident: Incident) -> tuple[dt.datetime, str]:
    """When DOJ must be told, and the rule that says so."""
    suspected = utc(incident.discovered_at) + SUSPECTED_LIMIT
    if incident.breach and incident.breach_known_at is not None:
        immediate = utc(incident.breach_known_at) + breach_limit()
        if immediate < suspected:
            minutes = settings.INCIDENT_DOJ_BREACH_MINUTES
            return immediate, (
                f"breach: immediately (within {minutes} min) of being confirmed or "
                "believed, by phone plus e-mail or fax (CA DOJ MOU, Exhibit E)"
            )
    return suspected, (
        "suspected incident: within 24 hours of discovery, by e-mail or fax "
        "(CA DOJ MOU, Exhibit E)"
    )


def doj_clock(incident: Incident, now: dt.datetime) -> Clock | None:
    due_at, rule = doj_due(incident)
    if incident.status == Status.NOT_INCIDENT and incident.doj_notified_at is None:
        # Dismissed before DOJ was due: nothing to report. Dismissed after: the
        # deadline had already passed, and stays missed.
        closed = utc(incident.closed_at or now)
        if closed <= due_at:
            return None
    return clock("doj", due_at, incident.doj_notified_at, now, rule)


def clocks(incident: Incident, now: dt.datetime) -> list[Clock]:
    found = [internal_clock(incident, now), doj_clock(incident, now)]
    return [c for c in found if c is not None]
