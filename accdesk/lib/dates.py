"""Calendar dates, as an agency counts them.

Deadlines and date filters are calendar dates in the agency's time zone; records
are stored in UTC. These helpers turn one into the other.
"""

from __future__ import annotations

import datetime as dt
import re

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_iso_date(text: str) -> dt.date:
    """A date written exactly ``YYYY-MM-DD``; ``ValueError`` with a plain message
    otherwise (``date.fromisoformat`` would also take ``20260310`` or week dates)."""
    if not _ISO_DATE.match(text or ""):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None


def parse_file_date(text: str) -> dt.date:
    """A date as imported files write it: ISO ``YYYY-MM-DD``, or the US
    ``MM/DD/YYYY`` / ``M/D/YYYY`` that agencies' HR systems and Excel export.
    With slashes the month always comes first: ``13/02/2026`` is an error, never
    guessed to be 13 February (a day-first guess would silently swap 02/03)."""
    match = _US_DATE.match(text or "")
    if match is None:
        if not _ISO_DATE.match(text or ""):
            raise ValueError(
                f"{text!r} is not a date in the form YYYY-MM-DD or MM/DD/YYYY"
            )
        return parse_iso_date(text)
    month, day, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a real date (with slashes the month comes first: "
            "MM/DD/YYYY)"
        ) from None


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
