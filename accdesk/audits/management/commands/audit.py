"""DOJ audits from the command line, for scheduled jobs and servers without a
browser.

``accdesk audit list --agency ORI --format json`` prints the agency's audits as
``[{"id", "type", "status", "title", "announced_date", "open_findings",
"open_actions"}]`` (a contract: ``type`` and ``status`` are the codes of
docs/audits.md, dates ISO). ``--format table`` prints the same for a person.

``accdesk audit binder AUDIT_ID --agency ORI --output FILE.pdf`` writes the audit
binder (the same PDF as the button on the audit's page); recorded as an export.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from accdesk.agency.cli import add_agency_argument, get_agency
from accdesk.agency.models import Agency
from accdesk.audits import binder, rules
from accdesk.audits.models import Audit
from accdesk.core.actor import current_actor
from accdesk.core.audit import record_event
from accdesk.core.command import OperatorCommand


def audit_rows(agency: Agency) -> list[dict[str, Any]]:
    rows = []
    for audit in Audit.objects.filter(agency=agency).order_by("id"):
        findings, actions = rules.counts(audit)
        rows.append(
            {
                "id": audit.pk,
                "type": audit.type,
                "status": audit.status,
                "title": audit.title,
                "announced_date": audit.announced_date.isoformat()
                if audit.announced_date
                else None,
                "open_findings": findings,
                "open_actions": actions,
            }
        )
    return rows


class Command(OperatorCommand):
    help = (
        "DOJ audits: 'audit list' prints the agency's audits (JSON or a table), "
        "'audit binder' writes an audit's binder as a PDF."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="{list,binder}")
        listing = sub.add_parser("list", help="the agency's audits")
        add_agency_argument(listing)
        listing.add_argument(
            "--format", dest="fmt", choices=("json", "table"), default="json"
        )
        make = sub.add_parser("binder", help="write an audit's binder (PDF)")
        make.add_argument("audit_id", type=int, metavar="AUDIT_ID")
        add_agency_argument(make)
        make.add_argument("--output", required=True, metavar="FILE.pdf", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        agency = get_agency(options["agency"])
        if options["verb"] == "list":
            rows = audit_rows(agency)
            if options["fmt"] == "json":
                self.stdout.write(json.dumps(rows, indent=2))
            else:
                for row in rows:
                    self.stdout.write(
                        f"{row['id']:>5}  {row['type']:<15} {row['status']:<16} "
                        f"{row['announced_date'] or '-':<10}  "
                        f"{row['open_findings']} findings, {row['open_actions']} "
                        f"actions open  {row['title']}"
                    )
            return
        audit = Audit.objects.filter(agency=agency, pk=options["audit_id"]).first()
        if audit is None:
            raise CommandError(
                f"No audit {options['audit_id']} in agency {agency.ori} "
                "(see: accdesk audit list)."
            )
        target: Path = options["output"]
        if not target.parent.is_dir():
            raise CommandError(f"No such directory: {target.parent}")
        data = binder.build(audit, current_actor().label)
        target.write_bytes(data)
        record_event(
            "export",
            agency_id=agency.pk,
            obj=audit,
            message=f"audit binder of “{audit.title}” (pdf, command line)",
        )
        self.stdout.write(f"Wrote {target} ({len(data):,} bytes)")
