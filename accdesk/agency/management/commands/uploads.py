"""Pending uploads: ``accdesk uploads clean`` removes those more than a day old.

A file uploaded for an import waits under DATA_DIR/uploads between its preview and
the ACC's confirmation. Rosters and misuse cases are personal data, so a file
nobody confirmed or cancelled must not linger: the background worker runs this
daily, and an operator can run it by hand (issue 11 item 10).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from accdesk.agency.uploads import remove_stale_uploads
from accdesk.core.command import OperatorCommand


class Command(OperatorCommand):
    help = "Pending uploads: 'uploads clean' removes those more than 24 hours old."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="{clean}")
        sub.add_parser("clean", help="remove pending uploads more than 24 hours old")

    def handle(self, *args: Any, **options: Any) -> None:
        removed = remove_stale_uploads()
        self.stdout.write(
            f"Removed {removed} pending upload{'' if removed == 1 else 's'} "
            "more than 24 hours old."
        )
