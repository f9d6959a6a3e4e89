"""The incidents as the ``accdesk incident list --format json`` contract gives them
(issue 15): ``[{"id", "type", "status", "confirmed", "discovered_at",
"internal_clock", "doj_clock"}]``, each clock ``{"due_at", "done_at", "status"}``
or ``null`` where it does not apply; times ISO 8601 with the agency's UTC offset
on that date (``-08:00`` in winter, ``-07:00`` in summer for California)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accdesk.agency.models import Agency
from accdesk.incidents import clocks
from accdesk.incidents.models import Incident


def _iso(value: dt.datetime | None, agency: Agency) -> str | None:
    if value is None:
        return None
    return value.astimezone(agency.tz).isoformat(timespec="seconds")


def _clock(clock: clocks.Clock | None, agency: Agency) -> dict[str, Any] | None:
    if clock is None:
        return None
    return {
        "due_at": _iso(clock.due_at, agency),
        "done_at": _iso(clock.done_at, agency),
        "status": clock.status,
    }


def as_json(agency: Agency, now: dt.datetime) -> list[dict[str, Any]]:
    incidents = Incident.objects.filter(agency=agency).order_by("discovered_at", "id")
    return [
        {
            "id": incident.pk,
            "type": incident.incident_type,
            "status": incident.status,
            "confirmed": incident.confirmed,
            "discovered_at": _iso(incident.discovered_at, agency),
            "internal_clock": _clock(clocks.internal_clock(incident, now), agency),
            "doj_clock": _clock(clocks.doj_clock(incident, now), agency),
        }
        for incident in incidents
    ]
