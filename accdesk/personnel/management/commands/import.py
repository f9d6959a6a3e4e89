"""Import the roster's inputs from the files ACCs receive: the HR roster, the CLETS
account list, NexTEST results, training, background checks and signed forms -- and
the formats of apps above the roster, named in ``settings.IMPORT_FORMATS``
(agreements, terminals), which this command must not import itself.

``accdesk import roster FILE --agency ORI`` (and ``accounts``, ``nextest``,
``training``, ``background``, ``forms``). All or nothing: one bad row and nothing is
written, and every error names its row and column. ``--dry-run`` shows what would
change. The same imports are upload pages under /a/<ori>/roster/import/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.module_loading import import_string

from accdesk.agency.cli import add_agency_argument, get_agency
from accdesk.core.command import OperatorCommand
from accdesk.core.imports import ImportFormat, print_result, run_import
from accdesk.lib.tabular import TableError, parse_column_map
from accdesk.personnel.imports import FORMATS


def all_formats() -> dict[str, ImportFormat]:
    """The roster's formats, then each one of ``settings.IMPORT_FORMATS`` (dotted
    paths of ``ImportFormat``s, like ``WORKLIST_SOURCES``)."""
    found = dict(FORMATS)
    for path in settings.IMPORT_FORMATS:
        fmt = import_string(path)
        found[fmt.name] = fmt
    return found


class Command(OperatorCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return (
            "Import a file (CSV or .xlsx): "
            + ", ".join(f"{name} ({fmt.label})" for name, fmt in all_formats().items())
            + ". Nothing is written if any row is bad."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind", choices=list(all_formats()), help="what the file holds"
        )
        parser.add_argument("file", type=Path, help="a .csv, .csv.gz or .xlsx file")
        add_agency_argument(parser)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and show what would change; write nothing",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="OLD=NEW",
            help="read column OLD as NEW (repeatable), e.g. --map 'User ID=operator_id'"
            " (NexTEST wording such as 'Full Access' is understood already)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = all_formats()[options["kind"]]
        agency = get_agency(options["agency"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            column_map = parse_column_map(options["map"])
        except TableError as exc:
            raise CommandError(str(exc)) from None
        result = run_import(
            fmt,
            path,
            path.name,
            agency,
            dry_run=options["dry_run"],
            column_map=column_map,
        )
        print_result(result, self.stdout, verbose=options["verbosity"] > 1)
