"""The rules of record validation and entry quality, on a given day.

Sources (docs/validations.md has the full list):

- **30-day clock** (California): DOJ sends the list monthly and the agency has 30
  days from the notice to complete the validations [LASD MPP 5-07/130.10]. A
  listed record is due ``list_date`` + 30 days (day 30 included) and overdue from
  day 31.
- **Schedule** [NCIC validation job aid; NCIC OM]: 60-90 days after entry (from the
  Date Entered), then every year. Lists are built from entry dates, so a record
  is expected on the list of the month its window opens. The property files need
  only the first validation: the source text is cut off ("are only require[d]..."),
  so this is an inference, kept as a setting (``VALIDATION_FIRST_ONLY_FILES``).
- **Second-party check**: every validation and entry is checked by another person
  [NCIC OM quality control].
- **Hit confirmation**: a substantive answer within 10 minutes for URGENT and 1
  hour for ROUTINE requests [NCIC OM; Wisconsin TIME manual], the limit included.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q

from accdesk.agency.models import Agency
from accdesk.lib.deadlines import DUE_TODAY, OVERDUE, UPCOMING, status_on
from accdesk.validations.models import (
    EntryCheck,
    HitConfirmation,
    ListedRecord,
    Result,
)

RESPONSE_DAYS = 30  # LASD MPP 5-07/130.10: 30 days from DOJ's notice
FIRST_WINDOW = (60, 90)  # days after entry (NCIC validation job aid)
KEEP_YEARS = 3  # validation files kept at least 3 years (LASD MPP; AT-4 cycle)
HIT_LIMITS = {
    HitConfirmation.Priority.URGENT: dt.timedelta(minutes=10),
    HitConfirmation.Priority.ROUTINE: dt.timedelta(hours=1),
}
# A record cancelled or cleared is no longer in the database: not expected again.
GONE = (Result.CANCELLED, Result.CLEARED)

NOT_DUE, DUE, LATE, DONE = "not_due", "due", "overdue", "done"


# -- the 30-day clock of a listed record ----------------------------------------------


def due_date(record: ListedRecord) -> dt.date:
    return record.list_date + dt.timedelta(days=RESPONSE_DAYS)


def clock_status(record: ListedRecord, today: dt.date) -> str:
    """``done`` once validated and second-party checked; else the deadline status
    of ``list_date`` + 30 (upcoming, due_today on day 30, overdue from day 31)."""
    if record.completed:
        return DONE
    return status_on(due_date(record), today)


def open_records(agency: Agency) -> list[ListedRecord]:
    """Listed records not yet completed, oldest list first."""
    return list(
        ListedRecord.objects.filter(agency=agency)
        .filter(Q(validated_on__isnull=True) | Q(second_party_on__isnull=True))
        .order_by("list_date", "database", "record_id")
    )


def overdue(agency: Agency, today: dt.date) -> list[ListedRecord]:
    return [r for r in open_records(agency) if clock_status(r, today) == OVERDUE]


@dataclass(frozen=True)
class ListGroup:
    list_date: dt.date
    database: str
    due: dt.date
    records: list[ListedRecord]
    status: str  # the worst of its records: overdue, due_today, upcoming


def worklist(agency: Agency, today: dt.date) -> list[ListGroup]:
    """Open validations by list and by database, with the 30-day deadline."""
    groups: dict[tuple[dt.date, str], list[ListedRecord]] = defaultdict(list)
    for record in open_records(agency):
        groups[(record.list_date, record.database)].append(record)
    out = []
    for (list_date, database), records in sorted(groups.items()):
        due = list_date + dt.timedelta(days=RESPONSE_DAYS)
        out.append(ListGroup(list_date, database, due, records, status_on(due, today)))
    return out


def purge_date(record: ListedRecord) -> dt.date:
    """When NCIC would purge the record if it stays unvalidated: an estimate
    (``VALIDATION_PURGE_DAYS`` after the list; NCIC purges unvalidated records
    [NCIC validation slides; Nebraska CLEIN], the exact day is not published)."""
    return record.list_date + dt.timedelta(days=settings.VALIDATION_PURGE_DAYS)


def purge_warnings(
    agency: Agency, today: dt.date
) -> list[tuple[ListedRecord, dt.date]]:
    """Overdue records with the date NCIC would purge them, soonest first."""
    found = [(r, purge_date(r)) for r in overdue(agency, today)]
    return sorted(found, key=lambda pair: (pair[1], pair[0].record_id))


def completed(agency: Agency) -> list[ListedRecord]:
    """Completed validations, for the auditor's export."""
    return list(
        ListedRecord.objects.filter(
            agency=agency, validated_on__isnull=False, second_party_on__isnull=False
        )
        .select_related("validated_by", "second_party_by")
        .order_by("list_date", "database", "record_id")
    )


def master_case_missing(agency: Agency) -> list[ListedRecord]:
    """Records whose master case record was not located: to be cancelled (CJIS
    Manual §2.3.1(G)) unless already cancelled."""
    return list(
        ListedRecord.objects.filter(agency=agency, master_case_located=False).exclude(
            result=Result.CANCELLED
        )
    )


# -- the second-party rule -------------------------------------------------------------


def check_second_party(validated_by: object, second_party_by: object) -> None:
    """One person may not be both the validator and the second-party checker."""
    if validated_by is not None and second_party_by is not None:
        if validated_by == second_party_by:
            raise ValidationError(
                {
                    "second_party_by": "The second-party check must be made by "
                    "another person than the one who validated the record."
                }
            )


# -- the schedule: 60-90 days after entry, then yearly ---------------------------------


def first_only(record_file: str) -> bool:
    """Whether a file needs only the first (60-90-day) validation: the property
    files, by default (an inference, see the module docstring)."""
    return record_file in settings.VALIDATION_FIRST_ONLY_FILES


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29
        return day.replace(year=day.year + years, day=28)


def window(entered: dt.date, cycle: int) -> tuple[dt.date, dt.date]:
    """The validation window of ``cycle`` (0: the first, 60-90 days after entry;
    then the same window a year later each year)."""
    first, last = FIRST_WINDOW
    start = entered + dt.timedelta(days=first)
    end = entered + dt.timedelta(days=last)
    return _shift_years(start, cycle), _shift_years(end, cycle)


@dataclass(frozen=True)
class ScheduleState:
    cycle: int
    start: dt.date | None
    end: dt.date | None
    status: str  # not_due, due, overdue, done (no validation needed any more)


def schedule_state(
    entered: dt.date,
    record_file: str,
    validated: list[dt.date],
    day: dt.date,
) -> ScheduleState:
    """Where a record stands on ``day``: before its window (not due), in it (due,
    the 90th day included), past it unvalidated (overdue), or done for good (a
    property file validated once). A validation on or after a window's start
    counts for that window."""
    cycle = 0
    while True:
        start, end = window(entered, cycle)
        if cycle > 0 and first_only(record_file):
            return ScheduleState(cycle, None, None, DONE)
        next_start = window(entered, cycle + 1)[0]
        if any(start <= v < next_start for v in validated):
            cycle += 1
            continue
        if day < start:
            status = NOT_DUE
        elif day <= end:
            status = DUE
        else:
            status = LATE
        return ScheduleState(cycle, start, end, status)


def expected_month(entered: dt.date, cycle: int) -> dt.date:
    """The first day of the month whose list should hold the record for ``cycle``."""
    return window(entered, cycle)[0].replace(day=1)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def missing_from_lists(agency: Agency) -> list[tuple[ListedRecord, dt.date]]:
    """Records missing from the list they were expected on: for each record's
    latest appearance, the next yearly list month; when a list of that database
    for that month was imported and the record is not on it, it is flagged (with
    the month). Records cancelled or cleared, and first-only files, are not
    expected again."""
    rows = ListedRecord.objects.filter(agency=agency).order_by("list_date")
    latest: dict[tuple[str, str], ListedRecord] = {}
    seen: set[tuple[str, str, dt.date]] = set()
    lists: set[tuple[str, dt.date]] = set()
    for row in rows:
        latest[(row.database, row.record_id)] = row
        seen.add((row.database, row.record_id, _month(row.list_date)))
        lists.add((row.database, _month(row.list_date)))
    flagged = []
    for row in latest.values():
        if row.result in GONE or first_only(row.record_file):
            continue
        cycle = 0
        while expected_month(row.entered_date, cycle) <= _month(row.list_date):
            cycle += 1
        month = expected_month(row.entered_date, cycle)
        if (row.database, month) in lists and (
            row.database,
            row.record_id,
            month,
        ) not in seen:
            flagged.append((row, month))
    return sorted(flagged, key=lambda pair: (pair[1], pair[0].record_id))


# -- entry quality --------------------------------------------------------------------


def second_party_ok(check: EntryCheck) -> bool:
    """Checked, by someone other than the person who made the entry or update."""
    return bool(check.second_party_by.strip()) and (
        check.second_party_by.strip().casefold() != check.done_by.strip().casefold()
    )


def timely(check: EntryCheck) -> bool | None:
    """An update made "without delay" [NCIC OM; 14B NCAC 18B .0202]: no later than
    the day it became necessary (California deadlines: not found; an inference).
    ``None`` for an entry, or an update whose trigger date was not recorded."""
    if check.kind == EntryCheck.Kind.ENTRY or check.needed_on is None:
        return None
    return check.done_on <= check.needed_on


def hit_met(hit: HitConfirmation) -> bool | None:
    """Answered within the limit of its priority, the limit itself included;
    ``None`` while unanswered."""
    if hit.responded_at is None:
        return None
    return hit.responded_at - hit.requested_at <= HIT_LIMITS[hit.priority]


@dataclass
class MonthSummary:
    month: dt.date
    entries: int = 0
    second_party: int = 0  # entries and updates checked by another person
    updates: int = 0
    timely: int = 0  # updates with a trigger date made on time
    timed: int = 0  # updates with a trigger date
    hits: int = 0
    hits_met: int = 0
    urgent: int = 0
    urgent_met: int = 0
    routine: int = 0
    routine_met: int = 0

    @property
    def checks(self) -> int:
        return self.entries + self.updates


def monthly_summary(agency: Agency) -> list[MonthSummary]:
    """Entry quality per calendar month (the agency's time zone), newest first."""
    months: dict[dt.date, MonthSummary] = {}

    def of(day: dt.date) -> MonthSummary:
        key = _month(day)
        return months.setdefault(key, MonthSummary(key))

    for check in EntryCheck.objects.filter(agency=agency):
        row = of(check.done_on)
        if check.kind == EntryCheck.Kind.ENTRY:
            row.entries += 1
        else:
            row.updates += 1
        row.second_party += second_party_ok(check)
        on_time = timely(check)
        if on_time is not None:
            row.timed += 1
            row.timely += on_time
    for hit in HitConfirmation.objects.filter(agency=agency):
        row = of(hit.requested_at.astimezone(agency.tz).date())
        met = bool(hit_met(hit))
        row.hits += 1
        row.hits_met += met
        if hit.priority == HitConfirmation.Priority.URGENT:
            row.urgent += 1
            row.urgent_met += met
        else:
            row.routine += 1
            row.routine_met += met
    return sorted(months.values(), key=lambda m: m.month, reverse=True)


STATUS_TEXT = {
    DONE: "Completed",
    UPCOMING: "Due",
    DUE_TODAY: "Due today",
    OVERDUE: "Overdue",
}
