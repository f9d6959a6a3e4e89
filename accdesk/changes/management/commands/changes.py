"""The change record from the command line.

``verify`` walks one hash chain (``core/verification.py``) -- an agency's with
``--agency ORI``, or the installation's (entries under no agency) with
``--installation`` -- and recomputes every hash. It exits 0 printing the head,
``SEQUENCE:HASH``: keep it outside the server (a printout, another machine), and a
later ``--head`` check shows whether entries at the end were cut off. It exits 1
naming the first entry that does not verify. Run it from cron (SECURITY.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from accdesk.agency.cli import get_agency
from accdesk.core import chain, verification
from accdesk.core.audit import record_event
from accdesk.core.command import OperatorCommand
from accdesk.lib.env import ConfigurationError


class Command(OperatorCommand):
    help = "The change record: 'verify' an agency's hash chain or the installation's."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="{verify}")
        check = sub.add_parser("verify", help="verify a hash chain (exit 1 if not)")
        which = check.add_mutually_exclusive_group(required=True)
        which.add_argument("--agency", metavar="ORI", help="the agency's ORI")
        which.add_argument(
            "--installation",
            action="store_true",
            help="the chain of entries under no agency (sign-ins, locks, commands)",
        )
        check.add_argument(
            "--head",
            metavar="SEQUENCE:HASH",
            help="a head printed earlier: fail if the chain no longer contains it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["agency"]:
            agency = get_agency(options["agency"])
            chain_id, name, agency_id = agency.pk, f"agency {agency.ori}", agency.pk
        else:
            chain_id, name, agency_id = chain.INSTALLATION, "the installation", None
        try:
            expected = chain.Head.parse(options["head"]) if options["head"] else None
        except ValueError as exc:
            raise CommandError(f"--head: {exc}") from None
        try:
            result = verification.verify(chain_id, expected)
        except ConfigurationError as exc:  # the chain key is missing
            raise CommandError(str(exc)) from None
        # AU-2: a look at the audit record is itself recorded (after the walk, so
        # the printed head is the one verified).
        record_event(
            "changes.verify", agency_id=agency_id, message=result.summary()[:1000]
        )
        if not result.ok:
            raise CommandError(f"Change record of {name}: {result.summary()}")
        self.stdout.write(f"Head: {result.head}")
        self.stdout.write(f"Change record of {name}: {result.summary()}.")
