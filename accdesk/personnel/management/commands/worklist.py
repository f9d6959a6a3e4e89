"""Print who must be deactivated or remediated, by when and why (issue 3).

``accdesk worklist --agency ORI [--as-of YYYY-MM-DD] [--format table|csv|json]
[--all]``. Exits 0 whatever it lists, so scripts can tell "it ran" from "it
failed"; pipe the JSON to a mailer or ticketing system.
"""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import CommandParser

from accdesk.agency.cli import add_agency_argument, get_agency
from accdesk.core.command import OperatorCommand
from accdesk.personnel import worklist
from accdesk.personnel.cli import iso_date


class Command(OperatorCommand):
    help = (
        "Print the deactivation worklist: people to deactivate or remediate, with "
        "reasons and due dates (--all: everyone, with their status)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_agency_argument(parser)
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="evaluate on this date (default: today in the agency's time zone)",
        )
        parser.add_argument(
            "--format", choices=("table", "csv", "json"), default="table"
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everyone",
            help="also list people who are eligible, expiring or pending",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = get_agency(options["agency"])
        as_of = iso_date(options["as_of"]) if options["as_of"] else None
        result = worklist.compute(agency, as_of)
        everyone = options["everyone"]
        if options["format"] == "json":
            data = worklist.as_json(agency, result, everyone=everyone)
            self.stdout.write(json.dumps(data, indent=2))
        elif options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(worklist.CSV_HEADER)
            for item in result.listed(everyone=everyone):
                writer.writerow(worklist.csv_row(item, result.as_of))
        else:
            for line in worklist.table_lines(result, everyone=everyone):
                self.stdout.write(line.rstrip())
            counts = result.counts_by_status()
            self.stdout.write(
                f"As of {result.as_of}: "
                + ", ".join(f"{n} {status}" for status, n in counts.items())
                + " (* overdue)"
            )
