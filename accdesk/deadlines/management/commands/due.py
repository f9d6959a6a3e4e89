"""Print what is due, and what was missed, across every app (issue 16).

``accdesk due --agency ORI [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format
table|csv|json]``: from today (in the agency's time zone) to 90 days ahead by
default; overdue duties dated before ``--from`` are always listed; done duties are
not. Sorted by date. Exits 0 whatever it lists.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from accdesk.agency.cli import add_agency_argument, get_agency
from accdesk.core.command import OperatorCommand
from accdesk.deadlines import output
from accdesk.deadlines.registry import counts, gather
from accdesk.lib.dates import parse_iso_date
from accdesk.lib.exports import write_csv

DEFAULT_DAYS = 90


class Command(OperatorCommand):
    help = (
        "List the deadlines of every duty: from today to 90 days ahead by default, "
        "plus everything overdue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_agency_argument(parser)
        parser.add_argument("--from", dest="first", metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", metavar="YYYY-MM-DD")
        parser.add_argument(
            "--format", choices=("table", "csv", "json"), default="table"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = get_agency(options["agency"])
        today = agency.today()
        start = _date(options["first"], "--from") or today
        end = _date(options["last"], "--to") or start + dt.timedelta(days=DEFAULT_DAYS)
        if end < start:
            raise CommandError("--to is before --from.")
        items = gather(agency, start, end)
        if options["format"] == "json":
            data = output.as_json(agency, start, end, items)
            self.stdout.write(json.dumps(data, indent=2))
        elif options["format"] == "csv":
            write_csv(self.stdout, output.FIELDS, (output.row(i) for i in items))
        else:
            for line in output.table_lines(items):
                self.stdout.write(line.rstrip())
            summary = ", ".join(f"{n} {s}" for s, n in counts(items).items())
            self.stdout.write(f"{agency.ori}, {start} to {end}: {summary}")


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return parse_iso_date(text)
    except ValueError:
        raise CommandError(
            f"{option} expects a date YYYY-MM-DD, not {text!r}"
        ) from None
