"""The calendar feed (RFC 5545, through the ``icalendar`` library): one all-day
event per deadline of every agency the user may see deadlines of, each with a
link back. Titles carry no personal identifiers beyond initials: the feed is read
by calendar programs and servers outside ACC Desk."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from accdesk.agency.permissions import can
from accdesk.agency.tenancy import in_force_memberships
from accdesk.deadlines.registry import gather

DAYS_AHEAD = 365


def summary(item_title: str, subject: str, ori: str) -> str:
    return f"[{ori}] {item_title}" + (f" ({subject})" if subject else "")


def calendar_for(user: object) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//ACC Desk//What's due//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "ACC Desk: what's due")
    stamp = timezone.now()
    for membership in in_force_memberships(user):
        if not can(membership.role, "deadlines.view"):
            continue
        agency = membership.agency
        today = agency.today()
        end = today + dt.timedelta(days=DAYS_AHEAD)
        for item in gather(agency, today, end, role=membership.role):
            event = Event()
            event.add("uid", f"{item.identity}-{item.date:%Y%m%d}@{agency.ori}.accdesk")
            event.add("dtstamp", stamp)
            event.add("dtstart", item.date)
            event.add("dtend", item.date + dt.timedelta(days=1))
            subject = item.feed_subject if item.personal else ""
            event.add("summary", summary(item.title, subject, agency.ori))
            link = settings.BASE_URL + item.url
            event.add("url", link)
            event.add(
                "description",
                f"{item.status_label}. {item.label}. {item.source}.\n{link}",
            )
            event.add("categories", [item.label])
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    return cal.to_ical()
