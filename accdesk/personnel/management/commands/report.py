"""Reports an auditor asks for, written to a file.

``accdesk report operators --agency ORI --format pdf|xlsx --output FILE`` writes
the operator training and testing record of everyone with a CLETS account active
today (CLETS PPP: level, CLETS training date and hours, workbook date, each
recertification with its score; security awareness, background checks and their
approval, signed forms) -- the same file as the roster page's button.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from accdesk.agency.cli import add_agency_argument, get_agency
from accdesk.core.audit import record_event
from accdesk.core.command import OperatorCommand
from accdesk.personnel import records


class Command(OperatorCommand):
    help = (
        "Write a report to a file: 'report operators' is the operator training "
        "and testing record (PDF or XLSX)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True, metavar="{operators}")
        operators = sub.add_parser(
            "operators", help="the operator training and testing record"
        )
        add_agency_argument(operators)
        operators.add_argument(
            "--format", required=True, choices=records.OPERATOR_FORMATS
        )
        operators.add_argument("--output", required=True, type=Path, metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = get_agency(options["agency"])
        output: Path = options["output"]
        if not output.parent.is_dir():
            raise CommandError(f"No such directory: {output.parent}")
        found = records.operator_records(agency)
        output.write_bytes(
            records.operator_record_file(agency, found, options["format"])
        )
        record_event(
            "export",
            agency_id=agency.pk,
            message=f"operator training and testing record ({options['format']}), "
            f"{len(found)} operator(s)",
        )
        self.stdout.write(f"Wrote the record of {len(found)} operator(s) to {output}.")
