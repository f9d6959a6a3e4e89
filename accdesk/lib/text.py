"""How pages write counts, numbers, dates and times: the one place for it.

Pages are for people in a California agency: dates US style ("Nov 21, 2026"),
times to the minute or the second (never microseconds), numbers with thousands
separators, and plurals that agree ("1 day", "2 days"). Files (CSV, JSON, XLSX)
keep ISO dates and plain numbers: they are read by programs.
"""

from __future__ import annotations

import datetime as dt

DATE_FORMAT = "%b {day}, %Y"  # Nov 21, 2026
TIME_FORMAT = "%H:%M"
TIME_FORMAT_SECONDS = "%H:%M:%S"


def number(value: int | float | None) -> str:
    """1234567 -> "1,234,567"; a float keeps one decimal."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def counted(value: int | None, noun: str) -> str:
    """``counted(1, "day")`` -> "1 day"; ``counted(3, "entry,entries")`` ->
    "3 entries"; thousands separated."""
    singular, _, plural = noun.partition(",")
    n = value or 0
    return f"{number(n)} {singular if n == 1 else plural or singular + 's'}"


def us_date(value: dt.date | str | None) -> str:
    """A calendar date as US readers write it; ISO text is accepted."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime(DATE_FORMAT).format(day=value.day)


def us_datetime(value: dt.datetime | None, *, seconds: bool = False) -> str:
    """A moment as "Nov 21, 2026 14:05" (or with seconds), in the time zone it
    carries (pages show the agency's)."""
    if value is None:
        return ""
    clock = value.strftime(TIME_FORMAT_SECONDS if seconds else TIME_FORMAT)
    return f"{us_date(value.date())} {clock}"
