"""The third-party release log from the command line.

- ``verify`` checks the hash chain; run it from cron: a broken chain exits 1, and
  the head it prints is worth keeping outside the server (a later ``--head`` check
  shows whether entries at the end were cut off).
- ``purge`` removes entries past the retention period (11 CCR §707(c): at least
  three years) and leaves a purge certificate; it is deliberately not on any page.
- ``import`` appends an existing log (see docs/formats.md); ``export`` writes the
  inspection export for a date range.

Everything is recorded in the change record as ``cli:<os user>``.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from accdesk.agency.cli import add_agency_argument, get_agency
from accdesk.agency.models import Agency
from accdesk.core.command import OperatorCommand
from accdesk.core.imports import print_result, run_import
from accdesk.lib.dates import parse_iso_date
from accdesk.lib.env import ConfigurationError
from accdesk.lib.exports import render_pdf, write_csv
from accdesk.lib.tabular import TableError, parse_column_map
from accdesk.releaselogs import inspection
from accdesk.releaselogs.chain import Head
from accdesk.releaselogs.importer import RELEASE_LOG
from accdesk.releaselogs.retention import PurgeRefused, purge
from accdesk.releaselogs.verification import verify

_HEAD = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(OperatorCommand):
    help = (
        "Third-party release log: 'verify' the hash chain, 'purge' entries past "
        "retention, 'import' an old log, 'export' for inspection."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="verb", required=True, metavar="{verify,purge,import,export}"
        )
        check = sub.add_parser("verify", help="verify the hash chain (exit 1 if not)")
        add_agency_argument(check)
        check.add_argument(
            "--head",
            metavar="SEQUENCE:HASH",
            help="a head printed or exported earlier: fail if the chain lost it",
        )
        remove = sub.add_parser("purge", help="remove entries past retention")
        add_agency_argument(remove)
        remove.add_argument("--before", required=True, metavar="YYYY-MM-DD")
        remove.add_argument("--dry-run", action="store_true")
        load = sub.add_parser("import", help="append entries from a CSV/.xlsx file")
        load.add_argument("file", type=Path)
        add_agency_argument(load)
        load.add_argument("--dry-run", action="store_true")
        load.add_argument(
            "--verbose", action="store_true", help="list every entry it adds"
        )
        load.add_argument("--map", action="append", default=[], metavar="COLUMN=name")
        out = sub.add_parser("export", help="the inspection export for a date range")
        add_agency_argument(out)
        out.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
        out.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
        out.add_argument("--format", choices=["csv", "pdf"], default="csv")
        out.add_argument(
            "--output", type=Path, help="file to write (default: standard output)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = get_agency(options["agency"])
        handler = {
            "verify": self._verify,
            "purge": self._purge,
            "import": self._import,
            "export": self._export,
        }[options["verb"]]
        # Dates on the printed export are the agency's calendar, as on its pages.
        with timezone.override(agency.tz):
            try:
                handler(agency, options)
            except ConfigurationError as exc:  # the chain key is missing
                raise CommandError(str(exc)) from None

    def _verify(self, agency: Agency, options: dict[str, Any]) -> None:
        expected = _head(options["head"]) if options["head"] else None
        result = verify(agency, expected_head=expected)
        self.stdout.write(f"Head: {result.head}")
        if not result.ok:
            raise CommandError(f"Release log of {agency.ori}: {result.summary()}")
        self.stdout.write(f"Release log of {agency.ori}: {result.summary()}.")

    def _purge(self, agency: Agency, options: dict[str, Any]) -> None:
        before = _date(options["before"], "--before")
        try:
            result = purge(agency, before, dry_run=options["dry_run"])
        except PurgeRefused as exc:
            raise CommandError(f"Purge refused: {exc}") from None
        if options["dry_run"]:
            self.stdout.write(
                f"Would remove {result.count} entries released before {before}."
            )
        elif result.certificate is None:
            self.stdout.write(f"No entries released before {before}: nothing to do.")
        else:
            cert = result.certificate
            self.stdout.write(
                f"Removed {cert.count} entries released "
                f"{cert.released_from.astimezone(agency.tz):%Y-%m-%d} to "
                f"{cert.released_to.astimezone(agency.tz):%Y-%m-%d}; purge certificate "
                f"{cert.pk} "
                "keeps their sequence numbers and hashes."
            )

    def _import(self, agency: Agency, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            column_map = parse_column_map(options["map"])
        except TableError as exc:
            raise CommandError(exc.error.message) from None
        result = run_import(
            RELEASE_LOG,
            path,
            path.name,
            agency,
            dry_run=options["dry_run"],
            column_map=column_map,
        )
        verbose = options["verbose"] or options["verbosity"] > 1
        print_result(result, self.stdout, verbose=verbose)

    def _export(self, agency: Agency, options: dict[str, Any]) -> None:
        first = _date(options["first"], "--from")
        last = _date(options["last"], "--to")
        if first > last:
            raise CommandError("--from is after --to.")
        output: Path | None = options["output"]
        if options["format"] == "pdf":
            if output is None:
                raise CommandError("--format pdf needs --output FILE.")
            context = inspection.document_context(agency, first, last)
            output.write_bytes(
                render_pdf("releaselogs/inspection_pdf.html", context, landscape=True)
            )
            count = len(context["entries"])
        else:
            count = self._write_csv(agency, first, last, output)
        inspection.record_export(agency, options["format"].upper(), first, last, count)
        if output is not None:
            self.stdout.write(f"Wrote {count} entries to {output}.")

    def _write_csv(
        self, agency: Agency, first: dt.date, last: dt.date, output: Path | None
    ) -> int:
        entries = inspection.entries_between(agency, first, last)
        with (
            output.open("w", newline="", encoding="utf-8")
            if output
            else nullcontext(self.stdout)
        ) as handle:
            return write_csv(
                handle, inspection.CSV_HEADER, inspection.csv_rows(agency, entries)
            )


def _date(text: str, option: str) -> dt.date:
    try:
        return parse_iso_date(text)
    except ValueError:
        raise CommandError(
            f"{option} expects a date YYYY-MM-DD, not {text!r}"
        ) from None


def _head(text: str) -> Head:
    match = _HEAD.match(text.strip().lower())
    if match is None:
        raise CommandError(
            f"--head expects SEQUENCE:HASH (64 hex digits), as verify prints it; "
            f"not {text!r}"
        )
    return Head(int(match[1]), match[2])
