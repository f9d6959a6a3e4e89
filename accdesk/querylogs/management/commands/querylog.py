"""Audit CLETS/CORI query logs from the command line.

Message switches only archive their logs; DOJ's CORI audit samples them. This
command audits every criminal-history inquiry of a log file (``audit``), keeps logs
in the agency's encrypted archive (``import``), draws reproducible self-audit
samples (``sample``) and enforces retention (``purge``). See docs/querylog-rules.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import secrets
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from accdesk.agency.cli import get_agency
from accdesk.core.command import OperatorCommand
from accdesk.lib.tabular import TableError, parse_column_map
from accdesk.querylogs import archive, ruleset, storage
from accdesk.querylogs.audit import (
    AuditResult,
    BadRowsError,
    audit_file,
    bad_row_line,
)
from accdesk.querylogs.logfile import LogFormatError
from accdesk.querylogs.people import PeopleFileError, people_from_files
from accdesk.querylogs.rules import default_rules

VERBS = ("audit", "import", "sample", "purge", "reaudit", "verify")


class Command(OperatorCommand):
    # Django's system checks import every URL configuration, and with it every
    # view of every app (half a second): a log audit needs none of them, and its
    # start-up counts against the speed target (docs/performance.md). `accdesk
    # check`, `migrate` and the server still run them.
    requires_system_checks: list[str] = []
    help = (
        "Query-log audit: 'audit FILE' checks a log, 'import FILE' stores it in the "
        "agency's archive, 'sample' draws a self-audit set, 'purge' applies retention."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="verb", required=True, metavar="{" + ",".join(VERBS) + "}"
        )
        audit = sub.add_parser("audit", help="audit a log file (nothing is stored)")
        audit.add_argument("file", type=Path)
        audit.add_argument(
            "--agency",
            metavar="ORI",
            help="use this agency's roster, accounts, rules and archive",
        )
        audit.add_argument(
            "--roster",
            type=Path,
            help="roster file (CSV or .xlsx) of the eligibility import",
        )
        audit.add_argument(
            "--accounts",
            type=Path,
            help="accounts file (CSV or .xlsx) of the eligibility import",
        )
        audit.add_argument(
            "--findings-out",
            type=Path,
            metavar="PATH.csv",
            help="write the findings here",
        )
        audit.add_argument(
            "--json", action="store_true", help="print the summary as JSON"
        )
        _map_argument(audit)
        imp = sub.add_parser(
            "import", help="store a log file in the agency's archive and audit it"
        )
        imp.add_argument("file", type=Path)
        imp.add_argument("--agency", required=True, metavar="ORI")
        imp.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="store the readable rows and record how many were skipped (by "
            "default an unreadable row refuses the file; rows of another ORI "
            "always do)",
        )
        imp.add_argument("--json", action="store_true", help="print the counts as JSON")
        _map_argument(imp)
        sample = sub.add_parser(
            "sample", help="draw a reproducible random sample of CHRI inquiries"
        )
        sample.add_argument("--agency", required=True, metavar="ORI")
        sample.add_argument(
            "--from", dest="date_from", required=True, type=_date, metavar="YYYY-MM-DD"
        )
        sample.add_argument(
            "--to", dest="date_to", required=True, type=_date, metavar="YYYY-MM-DD"
        )
        sample.add_argument("--n", type=int, default=50)
        sample.add_argument(
            "--seed", help="any text; a random one is chosen and recorded if omitted"
        )
        purge = sub.add_parser("purge", help="remove archived rows dated before a day")
        purge.add_argument("--agency", required=True, metavar="ORI")
        purge.add_argument("--before", required=True, type=_date, metavar="YYYY-MM-DD")
        reaudit = sub.add_parser(
            "reaudit",
            help="compute the whole archive under the newest rule-set version into "
            "a new result set and show what changes; --adopt makes it current",
        )
        reaudit.add_argument("--agency", required=True, metavar="ORI")
        reaudit.add_argument(
            "--adopt",
            type=int,
            metavar="VERSION",
            help="make the new results current (VERSION: the newest version)",
        )
        reaudit.add_argument(
            "--json", action="store_true", help="print the changes as JSON"
        )
        verify = sub.add_parser(
            "verify",
            help="check the archive: every import complete, every file as recorded",
        )
        verify.add_argument("--agency", required=True, metavar="ORI")
        verify.add_argument(
            "--repair",
            action="store_true",
            help="first finish or remove what an interrupted import left",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"_{options['verb']}")
        try:
            handler(options)
        except BadRowsError as exc:
            # Every bad row, so that one fix-and-retry is enough (issue 10).
            for line in exc.lines():
                self.stderr.write(line)
            raise CommandError(str(exc)) from None
        except (
            LogFormatError,
            PeopleFileError,
            TableError,
            archive.RetentionError,
            ruleset.RuleSetError,
        ) as exc:
            raise CommandError(str(exc)) from None

    # -- audit -----------------------------------------------------------------
    def _audit(self, options: dict[str, Any]) -> None:
        path = _existing(options["file"])
        agency = get_agency(options["agency"]) if options["agency"] else None
        if agency and (options["roster"] or options["accounts"]):
            raise CommandError("Give --agency, or --roster and --accounts, not both.")
        if bool(options["roster"]) != bool(options["accounts"]):
            raise CommandError("--roster and --accounts go together.")
        common = {
            "column_map": _column_map(options),
            "findings_out": options["findings_out"],
        }
        if agency:
            result = archive.audit_for(agency, path, **common)
        else:
            from django.conf import settings

            people = (
                people_from_files(
                    _existing(options["roster"]), _existing(options["accounts"])
                )
                if options["roster"]
                else None
            )
            result = audit_file(
                path,
                rules=default_rules(),
                tz=settings.TIME_ZONE,
                people=people,
                **common,
            )
        self._report(result, as_json=options["json"])

    def _report(self, result: AuditResult, as_json: bool) -> None:
        for row, reason in result.skipped:
            self.stderr.write(f"row {row}: skipped: {reason}")
        for rule, why in result.not_checked.items():
            self.stderr.write(f"{rule} not checked: {why}")
        if as_json:
            self.stdout.write(json.dumps(result.as_json()))
            return
        self.stdout.write(
            f"{result.rows} rows, {result.chri_rows} criminal-history inquiries, "
            f"{len(result.skipped)} skipped; {result.rows_with_findings} with findings "
            f"({result.seconds:.1f} s)."
        )
        for rule, count in result.by_rule.items():
            self.stdout.write(f"  {rule:24} {count}")

    # -- import ----------------------------------------------------------------
    def _import(self, options: dict[str, Any]) -> None:
        agency = get_agency(options["agency"])
        path = _existing(options["file"])
        log = archive.import_log(
            agency,
            path,
            path.name,
            _column_map(options),
            skip_bad_rows=options["skip_bad_rows"],
        )
        for row, reason in log.skipped:
            self.stderr.write(f"skipped: {bad_row_line(row, reason)}")
        if options["json"]:
            self.stdout.write(json.dumps(log.as_json()))
            return
        text = (
            f"Imported {path.name}: {log.rows} rows, {log.new_rows} new in the "
            f"archive, {log.duplicate_rows} already there, {log.skipped_rows} "
            f"skipped; {log.chri_rows} criminal-history inquiries, "
            f"{log.rows_with_findings} with findings. SHA-256 {log.sha256}."
        )
        style = self.style.WARNING if log.skipped_rows else self.style.SUCCESS
        self.stdout.write(style(text))

    # -- sample ----------------------------------------------------------------
    def _sample(self, options: dict[str, Any]) -> None:
        agency = get_agency(options["agency"])
        if options["date_to"] < options["date_from"]:
            raise CommandError("--to is before --from.")
        if options["n"] < 1:
            raise CommandError("--n must be at least 1.")
        seed = options["seed"] or secrets.token_hex(8)
        audit_set = archive.create_audit_set(
            agency, options["date_from"], options["date_to"], options["n"], seed
        )
        items = list(audit_set.items.all())
        self.stdout.write(
            f"Audit set #{audit_set.pk}: {len(items)} inquiries from "
            f"{audit_set.date_from} to {audit_set.date_to}, seed {seed}"
        )
        for item in items:
            local = item.ts.astimezone(agency.tz)
            self.stdout.write(
                f"{item.position:4}  {local:%Y-%m-%d %H:%M:%S}  {item.operator_id:10} "
                f"{item.terminal:10} {item.message_key:4} {item.key}"
            )

    # -- purge / reaudit -------------------------------------------------------
    def _purge(self, options: dict[str, Any]) -> None:
        agency = get_agency(options["agency"])
        changed = archive.purge(agency, options["before"])
        self.stdout.write(
            f"Purged rows dated before {options['before']} "
            f"({changed} month(s) changed)."
        )

    def _reaudit(self, options: dict[str, Any]) -> None:
        agency = get_agency(options["agency"])
        changes, done = ruleset.reaudit(agency, adopt=options["adopt"])
        if options["json"]:
            self.stdout.write(json.dumps(changes))
            return
        self.stdout.write(
            f"Recomputed {done} month(s) "
            f"under rule-set version {changes['version']} (current: "
            f"{changes['previous_version']})."
        )
        for rule, counts in changes["by_rule"].items():
            if counts["gained"] or counts["lost"]:
                self.stdout.write(f"  {rule:24} +{counts['gained']} -{counts['lost']}")
        if options["adopt"] is not None:
            self.stdout.write(f"Version {changes['version']} is now current.")
        else:
            self.stdout.write(
                "Nothing changed yet: review, then adopt with --adopt "
                f"{changes['version']} (or on the Rules page)."
            )

    # -- verify ----------------------------------------------------------------
    def _verify(self, options: dict[str, Any]) -> None:
        agency = get_agency(options["agency"])
        with storage.locked(agency):
            if options["repair"]:
                for line in archive.recover(agency):
                    self.stdout.write(f"repaired: {line}")
            problems = archive.verify(agency)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"The query-log archive of {agency.ori} has "
                f"{len(problems)} problem{'s' if len(problems) != 1 else ''}."
            )
        self.stdout.write(
            f"The query-log archive of {agency.ori} is complete: "
            f"{len(storage.months(agency))} month(s), every file as recorded."
        )


def _map_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="THEIRS=OURS",
        help='rename a column, e.g. --map "Date Time=timestamp" (repeatable)',
    )


def _column_map(options: dict[str, Any]) -> dict[str, str]:
    return parse_column_map(options["map"])


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    return path


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD)"
        ) from None
