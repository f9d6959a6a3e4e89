"""Demo misuse cases over the two previous years: fictional people and events.

The report for the year before last is recorded as sent; the report for last year
is the open task the dashboard shows (due in January, overdue after February 1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from accdesk.agency.models import Agency
from accdesk.investigations.models import MisuseCase
from accdesk.investigations.reporting import record_sent

# ``years_back``: the year the case opened, counted back from this year. Dates are
# (years after opening, month, day).
CASES: list[dict[str, Any]] = [
    {
        "number": "001",
        "years_back": 2,
        "opened": (0, 2, 10),
        "closed": (0, 5, 20),
        "source": "audit",
        "subject": "Records clerk (fictional)",
        "systems": ["CLETS", "DMV"],
        "allegation": "DMV look-ups of a neighbour's vehicle with no case number, "
        "found in the quarterly query-log review.",
        "outcome": ("sustained", "reprimand", False),
    },
    {
        "number": "002",
        "years_back": 2,
        "opened": (0, 9, 3),
        "closed": (1, 1, 15),  # open across the year end
        "source": "complaint",
        "subject": "Patrol officer (fictional)",
        "systems": ["CORI"],
        "allegation": "A resident complained that an officer knew of her record.",
        "outcome": ("not_sustained", "none", False),
    },
    {
        "number": "001",
        "years_back": 1,
        "opened": (0, 3, 12),
        "closed": (0, 6, 30),
        "source": "query_log_lead",
        "subject": "Dispatcher (fictional)",
        "systems": ["NCIC", "III"],
        "allegation": "III inquiries with purpose code C on a family member.",
        "outcome": ("sustained", "suspension", True),
    },
    {
        "number": "002",
        "years_back": 1,
        "opened": (0, 10, 1),
        "closed": None,
        "source": "referral",
        "subject": "Reserve officer (fictional)",
        "systems": ["DMV"],
        "allegation": "Referred by a neighbouring agency: plate look-ups for a "
        "private dispute.",
        "outcome": None,
    },
]


def load(agency: Agency, today: dt.date) -> None:
    if agency.misuse_cases.exists():
        return
    for spec in CASES:
        _add_case(agency, today.year - spec["years_back"], spec)
    year = today.year - 2
    record_sent(
        agency,
        year,
        sent_on=dt.date(year + 1, 1, 20),
        how="DOJ misuse report form, by email to CAS",
    )


def _add_case(agency: Agency, year: int, spec: dict[str, Any]) -> None:
    def day(offset: int, month: int, day: int) -> dt.date:
        return dt.date(year + offset, month, day)

    case = MisuseCase.objects.create(
        agency=agency,
        case_number=f"IA-{year}-{spec['number']}",
        opened_on=day(*spec["opened"]),
        source=spec["source"],
        subject_description=spec["subject"],
        systems=spec["systems"],
        allegation=spec["allegation"],
    )
    case.add_note(case.opened_on, "Case opened; query logs requested from DOJ.")
    if spec["closed"]:
        finding, action, referred = spec["outcome"]
        case.close(
            on=day(*spec["closed"]), finding=finding, action=action, referred=referred
        )
