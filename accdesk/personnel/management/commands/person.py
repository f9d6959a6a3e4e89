"""Change a person on the roster from the command line.

``accdesk person revoke EMPLOYEE_ID --agency ORI --date YYYY-MM-DD --reason TEXT``
records that the agency revoked the person's CLETS access (a deactivation trigger
in the DOJ training deck); their active accounts then show ``ACCESS_REVOKED`` on the
worklist, due that date.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from accdesk.agency.cli import add_agency_argument, get_agency
from accdesk.core.actor import current_actor
from accdesk.core.command import OperatorCommand
from accdesk.personnel.cli import iso_date
from accdesk.personnel.models import Person


class Command(OperatorCommand):
    help = "Change a person on the roster: 'person revoke' records revoked access."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="{revoke}")
        revoke = sub.add_parser("revoke", help="record that access was revoked")
        revoke.add_argument("employee_id", metavar="EMPLOYEE_ID")
        add_agency_argument(revoke)
        revoke.add_argument("--date", required=True, metavar="YYYY-MM-DD")
        revoke.add_argument("--reason", required=True)
        revoke.add_argument(
            "--dry-run", action="store_true", help="check and say what would change"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = get_agency(options["agency"])
        on = iso_date(options["date"])
        reason = options["reason"].strip()
        if not reason:
            raise CommandError("--reason may not be empty")
        if on > agency.today():
            raise CommandError(f"--date {on} is in the future")
        person = Person.objects.filter(
            agency=agency, employee_id=options["employee_id"]
        ).first()
        if person is None:
            raise CommandError(
                f"No one with employee ID {options['employee_id']!r} on the roster "
                f"of {agency.ori}."
            )
        if options["dry_run"]:
            self.stdout.write(f"Would record: {person} access revoked on {on}.")
            return
        person.revoke_access(on=on, reason=reason, by=current_actor().label)
        self.stdout.write(f"Recorded: {person} access revoked on {on}.")
