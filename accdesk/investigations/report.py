"""The annual misuse report to DOJ for one calendar year, built from the cases.

Definitions (issue 5; domain brief §2.1 and "Data model implications" 9), for year Y:

- ``opened``: cases opened in Y; ``closed``: cases closed in Y;
- ``open_at_year_end``: opened on or before 31 December Y and not closed by then;
- ``by_finding`` / ``by_action``: among the cases closed in Y, every key present,
  zero when none;
- ``cases``: every case opened or closed in Y or open at its end, as it stood on
  31 December Y -- a case still open then is reported open (no closing date,
  finding pending, no action) even if it has closed since, so the table agrees
  with the counts and the report for Y does not change when Y+1's events happen.
  No subject names: the report goes outside the agency.

DOJ's own form and its field list were not found (domain brief §2.1), so the report
keeps both the count format and the per-case format the public reports show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from accdesk.agency.models import Agency
from accdesk.investigations.models import Finding, MisuseCase, Outcome, Source

REPORTED_FINDINGS = [f for f in Finding.values if f != Finding.PENDING]
CSV_HEADER = ["item", "value"]
CASE_COLUMNS = [
    "case_number",
    "opened_date",
    "closed_date",
    "source",
    "systems",
    "finding",
    "action",
    "referred_for_prosecution",
]


def due_date(year: int) -> dt.date:
    """The report for ``year`` is due on February 1 of the next year (training
    deck, "IB 18-07-CJIS"; domain brief §2.1)."""
    return dt.date(year + 1, 2, 1)


def build_report(agency: Agency, year: int) -> dict[str, Any]:
    """The report as JSON-ready data (the CLI's ``--format json``); one query."""
    end = dt.date(year, 12, 31)
    cases = list(
        MisuseCase.objects.filter(agency=agency)
        .in_report(year)
        .order_by("opened_on", "case_number")
    )
    closed = [c for c in cases if c.closed_on and c.closed_on.year == year]
    return {
        "agency": agency.ori,
        "year": year,
        "due_date": due_date(year).isoformat(),
        "opened": sum(1 for c in cases if c.opened_on.year == year),
        "closed": len(closed),
        "open_at_year_end": sum(1 for c in cases if _open_on(c, end)),
        "by_finding": _count(closed, "finding", REPORTED_FINDINGS),
        "by_action": _count(closed, "action", Outcome.values),
        "cases": [_row(case, end) for case in cases],
    }


def _open_on(case: MisuseCase, day: dt.date) -> bool:
    return case.opened_on <= day and (case.closed_on is None or case.closed_on > day)


def _count(cases: list[MisuseCase], field: str, keys: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(keys, 0)
    for case in cases:
        counts[getattr(case, field)] += 1
    return counts


def _row(case: MisuseCase, end: dt.date) -> dict[str, Any]:
    closed = case.closed_on is not None and case.closed_on <= end
    return {
        "case_number": case.case_number,
        "opened_date": case.opened_on.isoformat(),
        "closed_date": case.closed_on.isoformat() if closed else None,
        "source": case.source,
        "systems": list(case.systems),
        "finding": case.finding if closed else Finding.PENDING.value,
        "action": case.action if closed else None,
        "referred_for_prosecution": case.referred_for_prosecution,
    }


def is_empty(report: dict[str, Any]) -> bool:
    """A year with no case at all: the report still goes to DOJ, saying so."""
    return not report["cases"]


def empty_statement(report: dict[str, Any]) -> str:
    return (
        f"No misuse investigations were opened, closed or open during {report['year']}."
    )


def display(report: dict[str, Any]) -> dict[str, Any]:
    """Labels for the printed report (page and PDF): the same figures, in words."""
    return {
        "findings": [(Finding(k).label, n) for k, n in report["by_finding"].items()],
        "actions": [(Outcome(k).label, n) for k, n in report["by_action"].items()],
        "rows": [
            {
                **case,
                "source": Source(case["source"]).label,
                "systems": ", ".join(case["systems"]),
                "finding": Finding(case["finding"]).label,
                "action": Outcome(case["action"]).label if case["action"] else "",
            }
            for case in report["cases"]
        ],
        "empty_statement": empty_statement(report) if is_empty(report) else "",
    }


def csv_rows(report: dict[str, Any]) -> Iterator[list[Any]]:
    """The report as one CSV: ``item,value`` lines for the counts (keys as in the
    JSON, ``by_finding.sustained`` etc.), a blank line, then the case table."""
    for key in ("agency", "year", "due_date", "opened", "closed", "open_at_year_end"):
        yield [key, report[key]]
    for group in ("by_finding", "by_action"):
        for key, count in report[group].items():
            yield [f"{group}.{key}", count]
    if is_empty(report):
        yield ["note", empty_statement(report)]
    yield []
    yield CASE_COLUMNS
    for case in report["cases"]:
        yield [_csv_value(case[column]) for column in CASE_COLUMNS]


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ";".join(value)  # as in the import's ``systems`` column
    return value


def filename(report: dict[str, Any], suffix: str) -> str:
    return f"misuse-report-{report['agency']}-{report['year']}.{suffix}"
