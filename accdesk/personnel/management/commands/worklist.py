"""Print who must be deactivated or remediated, by when and why (issue 3).

``accdesk worklist --agency ORI [--as-of YYYY-MM-DD] [--format table|csv|json]
[--all]``. Exits 0 whatever it lists, so scripts can tell "it ran" from "it
failed"; pipe the JSON to a mailer or ticketing system.

Today's worklist is read from the stored worklist (``worklistcache``), another
``--as-of`` date is computed on the fly. ``accdesk worklist --rebuild [--agency
ORI]`` rebuilds the stored worklist of the agency (of every agency without
``--agency``) from the rules, whether or not it was current.
"""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from accdesk.agency.cli import get_agency
from accdesk.agency.models import Agency
from accdesk.core.command import OperatorCommand
from accdesk.personnel import worklist
from accdesk.personnel.cli import iso_date
from accdesk.personnel.eligibility import Worklist
from accdesk.personnel.worklistcache import store


class Command(OperatorCommand):
    help = (
        "Print the deactivation worklist: people to deactivate or remediate, with "
        "reasons and due dates (--all: everyone, with their status)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--agency",
            metavar="ORI",
            help="the agency's 9-character ORI (required, except with --rebuild)",
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="rebuild the stored worklist (of every agency without --agency)",
        )
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
        if options["rebuild"]:
            self._rebuild(options["agency"])
            return
        if not options["agency"]:
            raise CommandError("the following arguments are required: --agency")
        agency = get_agency(options["agency"])
        as_of = iso_date(options["as_of"]) if options["as_of"] else None
        result = _worklist(agency, as_of)
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

    def _rebuild(self, ori: str | None) -> None:
        agencies = [get_agency(ori)] if ori else list(Agency.objects.order_by("ori"))
        for agency in agencies:
            store.rebuild(agency, force=True)
            rows = store.current_rows(agency)
            self.stdout.write(
                f"{agency.ori}: stored worklist rebuilt as of {agency.today()}, "
                f"{rows.count()} items"
            )


def _worklist(agency: Agency, as_of: object) -> Worklist:
    """Today's from the stored worklist; another date computed on the fly."""
    today = agency.today()
    if as_of is None or as_of == today:
        return Worklist(today, store.items(store.current_rows(agency)))
    return worklist.compute(agency, as_of)
