"""The worklist as data: computed for an agency, and written as JSON, CSV or a text
table. The ``accdesk worklist`` command and the worklist pages share these, so the
file an ACC downloads says exactly what the command prints."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from django.db.models import Q

from accdesk.agency.models import Agency
from accdesk.lib.listing import Column
from accdesk.personnel.eligibility import (
    REASONS,
    STATUSES,
    Item,
    Reason,
    Worklist,
    evaluate,
)
from accdesk.personnel.facts import load_facts
from accdesk.personnel.sources import contributed_reasons

CSV_HEADER = (
    "employee_id",
    "operator_id",
    "operator_ids",
    "name",
    "status",
    "action",
    "reasons",
    "due_date",
    "overdue",
    "note",
)


def compute(
    agency: Agency,
    as_of: dt.date | None = None,
    *,
    people: Q | None = None,
    upcoming: bool = False,
) -> Worklist:
    """The worklist on ``as_of`` (default: today where the agency is); only of
    ``people`` (a filter on ``Person``) when given; with ``upcoming``, each item's
    dates ahead (``Item.upcoming``: the expiring and person pages read them)."""
    as_of = as_of or agency.today()
    with _cyclic_gc_paused():
        facts = load_facts(agency, people=people)
        facts.contributed = contributed_reasons(agency, as_of, people)
        return evaluate(facts, as_of, upcoming=upcoming)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """A large roster creates hundreds of thousands of small objects with no
    reference cycles; Python's cycle collector would rescan them all many times
    while they are built (about 40 % of the time at 50,000 people, measured with
    bench/roster_bench.py). Reference counting still frees everything.

    Re-enabling the collector is not enough on its own: every object made while it
    was paused is still in its youngest generation, so the next allocation
    triggers a collection that walks all of them (about 800,000 objects, a fifth
    of the worklist's time). ``gc.freeze()`` then ``gc.unfreeze()`` moves them,
    unexamined, to the oldest generation instead (the documented behaviour of the
    two calls), which only the rare full collections examine -- by then a
    request's worklist has long been freed by reference counting. The price: any
    other young cyclic garbage of the process waits for that full collection too.
    Skipped when the process froze objects itself (e.g. a pre-forking server),
    since ``unfreeze`` would release those.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def item_dict(item: Item, as_of: dt.date) -> dict[str, Any]:
    return {
        "employee_id": item.employee_id,
        "operator_id": item.operator_id,
        "operator_ids": item.operator_ids,
        "name": item.name,
        "status": item.status,
        "action": item.action,
        "reasons": item.reason_codes,
        "due_date": _iso(item.due_date),
        "overdue": item.overdue(as_of),
        "note": item.note,
        "details": {r.code: _reason_dict(r) for r in item.reasons},
    }


def _reason_dict(reason: Reason) -> dict[str, Any]:
    found = {"due": _iso(reason.due), "detail": reason.detail}
    if reason.notify_by is not None:  # SEPARATED: AC-2(h)'s notice (issue 12)
        found["notify_by"] = _iso(reason.notify_by)
    return found


def as_json(agency: Agency, worklist: Worklist, *, everyone: bool) -> dict[str, Any]:
    """``{"agency", "as_of", "items", "counts"}``; counts cover every person, listed
    or not, so the totals do not depend on ``--all``."""
    return {
        "agency": agency.ori,
        "as_of": worklist.as_of.isoformat(),
        "items": [
            item_dict(i, worklist.as_of) for i in worklist.listed(everyone=everyone)
        ],
        "counts": {
            "by_status": worklist.counts_by_status(),
            "by_reason": worklist.counts_by_reason(),
        },
    }


_STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
_REASON_RANK = {code: rank for rank, code in enumerate(REASONS)}


def status_rank(item: Item) -> int:
    """Sorting by status (or action) means most urgent first, not alphabetical."""
    return _STATUS_RANK[item.status]


def reasons_rank(item: Item) -> tuple[int, ...]:
    """Sorting by reasons: in the order the rules list them (separated first)."""
    return tuple(_REASON_RANK.get(code, len(REASONS)) for code in item.reason_codes)


@lru_cache(maxsize=8)
def file_columns(as_of: dt.date) -> tuple[Column, ...]:
    """The columns of the worklist file (``CSV_HEADER``), as the command writes it
    and the pages download it; their labels and sort orders serve the roster and
    worklist pages too (``lib.listing``)."""
    return (
        Column("employee_id", "Employee ID"),
        Column("operator_id", "Operator ID"),
        Column("operator_ids", "CLETS accounts"),
        Column("name", "Name"),
        Column("status", "Status", order=status_rank),
        Column("action", "Action", order=status_rank),
        Column("reasons", "Reasons", value=_reason_codes, order=reasons_rank),
        Column("due_date", "Due"),
        Column(
            "overdue",
            "Overdue",
            value=lambda item: "yes" if item.overdue(as_of) else "no",
        ),
        Column("note", "Note"),
    )


def _reason_codes(item: Item) -> list[str]:
    return item.reason_codes


def csv_row(item: Item, as_of: dt.date) -> list[str]:
    return [_text(column.cell(item)) for column in file_columns(as_of)]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def table_lines(worklist: Worklist, *, everyone: bool) -> list[str]:
    """A fixed-width table for a terminal; overdue due dates are starred."""
    rows = [("STATUS", "DUE", "EMPLOYEE", "OPERATOR", "NAME", "REASONS")]
    for item in worklist.listed(everyone=everyone):
        due = _iso(item.due_date) or "-"
        if item.overdue(worklist.as_of):
            due += "*"
        rows.append(
            (
                item.status,
                due,
                item.employee_id or "-",
                item.operator_id or "-",
                item.name or "(not on roster)",
                ", ".join(item.reason_codes) + (f" [{item.note}]" if item.note else ""),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[5]
        for row in rows
    ]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
