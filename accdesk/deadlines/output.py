"""What's due as data: the columns of the CSV (the command's and the page's
download), the JSON of ``accdesk due``, and its text table (issue 16 contracts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accdesk.agency.models import Agency
from accdesk.deadlines.registry import counts
from accdesk.lib.deadlines import Deadline
from accdesk.lib.listing import Column

FIELDS = ("date", "kind", "title", "subject", "owner", "status", "source", "url")
COLUMNS = [Column(name, name.capitalize()) for name in FIELDS]


def item_dict(item: Deadline) -> dict[str, Any]:
    return {
        name: item.date.isoformat() if name == "date" else getattr(item, name)
        for name in FIELDS
    }


def row(item: Deadline) -> list[str]:
    return list(item_dict(item).values())


def as_json(
    agency: Agency, start: dt.date, end: dt.date, items: list[Deadline]
) -> dict[str, Any]:
    return {
        "agency": agency.ori,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "items": [item_dict(i) for i in items],
        "counts": counts(items),
    }


def table_lines(items: list[Deadline]) -> list[str]:
    rows = [("DATE", "STATUS", "KIND", "SUBJECT", "OWNER", "TITLE")]
    rows += [
        (i.date.isoformat(), i.status, i.kind, i.subject, i.owner or "-", i.title)
        for i in items
    ]
    widths = [max(len(r[c]) for r in rows) for c in range(5)]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=False))
        + "  "
        + r[5]
        for r in rows
    ]
