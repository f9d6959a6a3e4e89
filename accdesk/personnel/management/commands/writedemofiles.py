"""Write the demo roster's six CSV files (roster, accounts, nextest, training,
background, forms), dated relative to today, for trying the import pages.

``accdesk writedemofiles DIR [--as-of YYYY-MM-DD]``. The files hold the same
fictional people ``accdesk demo`` loads; generated rather than committed, so
their dates never go stale. Import them in the order written (roster first).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from accdesk.personnel.cli import iso_date
from accdesk.personnel.demo import write_files


class Command(BaseCommand):
    help = "Write the demo roster's CSV files (dated relative to today) to DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="date the files relative to this day (default: today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = iso_date(options["as_of"]) if options["as_of"] else timezone.localdate()
        for path in write_files(options["directory"], today):
            self.stdout.write(str(path))
