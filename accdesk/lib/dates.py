"""Calendar dates, as an agency counts them.

Deadlines and date filters are calendar dates in the agency's time zone; records
are stored in UTC. These helpers turn one into the other.
"""

from __future__ import annotations

import datetime as dt
import re

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso_date(text: str) -> dt.date:
    """A date written exactly ``YYYY-MM-DD``; ``ValueError`` with a plain message
    otherwise (``date.fromisoformat`` would also take ``20260310`` or week dates)."""
    if not _ISO_DATE.match(text or ""):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None


def start_of_day(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def day_range(
    first: dt.date | None, last: dt.date | None, tz: dt.tzinfo
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """``[start, end)`` instants covering the days ``first`` to ``last`` inclusive
    in ``tz``; ``None`` for an open end (also for ``last`` = the last date there is)."""
    start = start_of_day(first, tz) if first is not None else None
    end = None
    if last is not None and last < dt.date.max:
        end = start_of_day(last + dt.timedelta(days=1), tz)
    return start, end


def monday_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week (weeks run Monday to Sunday)."""
    return day - dt.timedelta(days=day.weekday())
