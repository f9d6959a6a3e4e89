"""Base class for ACC Desk's management commands.

Commands are run by the trusted server operator; every change they make is recorded
in the change record as ``cli:<os user>`` (CJISSECPOL AU-3: identity of the actor).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accdesk.core.actor import acting_as, operator_label


class OperatorCommand(BaseCommand):
    """A management command whose changes are attributed to the OS user."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        with acting_as(operator_label()):
            return super().execute(*args, **options)
