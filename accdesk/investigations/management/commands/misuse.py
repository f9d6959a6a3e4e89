"""Misuse investigations from the command line: the annual report and imports.

``accdesk misuse report --agency ORI --year Y --format json|csv|pdf`` prints (or
writes) the report DOJ expects every February 1 for the previous year, so that it
can be produced by a scheduled job or on a server without a browser.
``accdesk misuse import FILE --agency ORI`` loads existing cases (all or nothing).
Exports are recorded in the change record like those made on the web.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from accdesk.agency.cli import add_agency_argument, get_agency
from accdesk.agency.models import Agency
from accdesk.core.audit import record_event
from accdesk.core.command import OperatorCommand
from accdesk.core.imports import print_result, run_import
from accdesk.investigations import report as annual
from accdesk.investigations.imports import MISUSE_CASES
from accdesk.investigations.report_views import FIRST_YEAR
from accdesk.investigations.reporting import report_context
from accdesk.lib.exports import render_pdf, write_csv


class Command(OperatorCommand):
    help = (
        "Misuse investigations: 'misuse report' produces the annual report to DOJ, "
        "'misuse import' loads cases from a CSV or .xlsx file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="verb", required=True, metavar="{report,import}"
        )
        report = sub.add_parser("report", help="the annual report for one year")
        add_agency_argument(report)
        report.add_argument("--year", type=int, required=True, help="calendar year")
        report.add_argument(
            "--format", dest="fmt", choices=("json", "csv", "pdf"), default="json"
        )
        report.add_argument(
            "--output",
            metavar="FILE",
            help="write to FILE (default: standard output; for pdf, "
            "misuse-report-ORI-YEAR.pdf in the current directory)",
        )
        load = sub.add_parser("import", help="import cases (all or nothing)")
        load.add_argument("file", type=Path)
        add_agency_argument(load)
        load.add_argument(
            "--dry-run", action="store_true", help="check the file, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = get_agency(options["agency"])
        if options["verb"] == "import":
            self._import(agency, options)
        else:
            self._report(agency, options)

    def _import(self, agency: Agency, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        result = run_import(
            MISUSE_CASES, path, path.name, agency, dry_run=options["dry_run"]
        )
        print_result(result, self.stdout, verbose=options["verbosity"] > 1)

    def _report(self, agency: Agency, options: dict[str, Any]) -> None:
        year, fmt = options["year"], options["fmt"]
        today = agency.today()
        if year > today.year:
            raise CommandError(f"{year} has not begun yet (today is {today}).")
        if year < FIRST_YEAR:
            raise CommandError(f"--year {year}: give a year from {FIRST_YEAR} on.")
        context = report_context(agency, year, today)
        report = context["report"]
        output = options["output"]
        if fmt == "pdf":
            target = Path(output or annual.filename(report, "pdf"))
            target.write_bytes(render_pdf("investigations/report.html", context))
            self.stdout.write(f"Wrote {target}")
        elif output:
            with open(output, "w", newline="", encoding="utf-8") as handle:
                _write(report, fmt, handle)
        else:
            _write(report, fmt, self.stdout)
        record_event(
            "export",
            agency_id=agency.pk,
            message=f"misuse report for {year} ({fmt}, command line)",
        )


def _write(report: dict[str, Any], fmt: str, handle: Any) -> None:
    if fmt == "json":
        handle.write(json.dumps(report, indent=2) + "\n")
        return
    write_csv(handle, annual.CSV_HEADER, annual.csv_rows(report))
