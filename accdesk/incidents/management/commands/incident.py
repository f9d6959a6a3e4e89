"""Security incidents from the command line.

``accdesk incident list --agency ORI --format json`` prints every incident of the
agency with its two clocks (docs/incidents.md), so that a monitoring job or the
SPOC's own tooling can watch the internal and DOJ deadlines without a browser.
The listing is recorded in the change record as a view of restricted records.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from accdesk.agency.cli import add_agency_argument, get_agency
from accdesk.core.audit import record_event
from accdesk.core.command import OperatorCommand
from accdesk.incidents.listing import as_json


class Command(OperatorCommand):
    help = "Security incidents: 'incident list' prints them with their clocks."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="{list}")
        listing = sub.add_parser("list", help="every incident with its clocks")
        add_agency_argument(listing)
        listing.add_argument("--format", dest="fmt", choices=("json",), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = get_agency(options["agency"])
        rows = as_json(agency, timezone.now())
        self.stdout.write(json.dumps(rows, indent=2))
        record_event(
            "view",
            agency_id=agency.pk,
            message=f"incident list ({len(rows)} incident(s), command line)",
        )
