"""Print the reconciliation's lists (issue 12 §1.8).

``accdesk reconcile --agency ORI [--as-of YYYY-MM-DD] --format json``: the
Reconciliation page's lists under their names, plus ``access_before_clearance``,
``access_before_training`` and ``identifier_reused``. Exits 0 whatever it lists.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from accdesk.agency.cli import add_agency_argument, get_agency
from accdesk.core.command import OperatorCommand
from accdesk.personnel.cli import iso_date
from accdesk.personnel.reconcile import as_json, reconcile


class Command(OperatorCommand):
    help = (
        "Print where the HR roster, the CLETS accounts and NexTEST disagree, and "
        "accounts created before clearance or training, as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_agency_argument(parser)
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="evaluate on this date (default: today in the agency's time zone)",
        )
        parser.add_argument("--format", choices=("json",), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = get_agency(options["agency"])
        day = iso_date(options["as_of"]) if options["as_of"] else agency.today()
        data = as_json(agency, reconcile(agency, day), day)
        self.stdout.write(json.dumps(data, indent=2))
