"""The ``accdesk`` command: Django's management commands plus ACC Desk's own.

``accdesk migrate``, ``accdesk runserver``, ``accdesk agency add ...`` etc. Changes
made here are recorded as ``cli:<os user>`` in the change record.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accdesk.settings")
    from django.core.management import execute_from_command_line

    from accdesk.core.actor import acting_as, operator_label

    with acting_as(operator_label()):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
