"""The ``accdesk`` command: Django's management commands plus ACC Desk's own.

``accdesk migrate``, ``accdesk runserver``, ``accdesk agency add ...`` etc. Changes
made here are recorded as ``cli:<os user>`` in the change record.
"""

from __future__ import annotations

import os
import sys

# Django's commands that write or wipe rows without the change record: loaddata
# saves raw (no signals, so no entries) and flush empties every table, the change
# record included. On the ``accdesk`` command line they are refused; backup and
# restore move a whole installation with its chains intact (issue 11). Test
# tooling that calls them in-process (pytest-django's live_server flush) is not
# affected: the refusal is here, not in the commands.
REFUSED = {
    "loaddata": "would write records without change-record entries",
    "flush": "would empty every table, the change record included",
}


def refuse(argv: list[str]) -> None:
    command = argv[1] if len(argv) > 1 else ""
    if command in REFUSED:
        sys.stderr.write(
            f"accdesk {command} is refused: it {REFUSED[command]} (CJIS Security "
            "Policy AU-9). To move or reset an installation use `accdesk backup "
            "FILE --key-file K` and `accdesk restore FILE --key-file K` "
            "(README: Backup and restore).\n"
        )
        raise SystemExit(2)


def main() -> None:
    refuse(sys.argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accdesk.settings")
    from django.core.management import execute_from_command_line

    from accdesk.core.actor import acting_as, operator_label

    with acting_as(operator_label()):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
