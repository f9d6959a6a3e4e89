"""Add sign-in users to an agency, and unlock locked accounts, from the command line.

It lives in the agency app because it manages memberships; the sign-in accounts
themselves are changed through ``access.accounts``, the lower layer's interface.

``accdesk user add --agency ORI --role acc --email ...`` prints a one-time password;
the user enrols an authenticator app (QR code) and picks a password at first sign-in.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from accdesk.access import accounts
from accdesk.agency.cli import add_agency_argument, get_agency
from accdesk.agency.models import Membership, Role
from accdesk.core.command import OperatorCommand


class Command(OperatorCommand):
    help = "Manage sign-in users: 'user add', 'user unlock', 'user list'."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="verb", required=True, metavar="{add,unlock,list}"
        )
        add = sub.add_parser("add", help="give a user a role in an agency")
        add_agency_argument(add)
        add.add_argument(
            "--role", required=True, help=f"one of: {', '.join(Role.values)}"
        )
        add.add_argument("--email", required=True)
        add.add_argument("--first-name", default="")
        add.add_argument("--last-name", default="")
        add.add_argument(
            "--expires",
            default=None,
            metavar="YYYY-MM-DD",
            help="last day of access (required for auditors)",
        )
        add.add_argument(
            "--employee-id",
            default="",
            help="the user's employee ID on the roster (supervisors)",
        )
        unlock = sub.add_parser("unlock", help="unlock an account locked by failures")
        unlock.add_argument("--email", required=True)
        listing = sub.add_parser("list", help="list the users of an agency")
        add_agency_argument(listing)

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "add":
            self._add(options)
        elif verb == "unlock":
            self._unlock(options["email"])
        else:
            agency = get_agency(options["agency"])
            for m in Membership.objects.filter(agency=agency).select_related("user"):
                state = " LOCKED" if m.user.is_locked else ""
                self.stdout.write(f"{m.user.email}  {m.role}{state}")

    def _add(self, options: dict[str, Any]) -> None:
        agency = get_agency(options["agency"])
        role = options["role"].strip().lower()
        if role not in Role.values:
            raise CommandError(
                f"Unknown role {options['role']!r}: use one of "
                f"{', '.join(Role.values)}."
            )
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(
                f"{options['email']!r} is not an email address."
            ) from None
        membership = Membership(
            agency=agency,
            role=role,
            employee_id=options["employee_id"],
            expires_on=options["expires"],
        )
        try:
            membership.clean_fields(exclude=["user", "agency"])
            membership.clean()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        with transaction.atomic():
            user = accounts.find(email)
            password = None
            if user is None:
                user, password = accounts.create_user(
                    email, options["first_name"], options["last_name"]
                )
            if Membership.objects.filter(user=user, agency=agency).exists():
                raise CommandError(f"{email} is already a member of {agency.ori}.")
            membership.user = user
            membership.save()
        self.stdout.write(self.style.SUCCESS(f"{email} is {role} at {agency}."))
        if password:
            self.stdout.write(f"One-time password: {password}")
            self.stdout.write(
                "At first sign-in they set up an authenticator app "
                "(QR code) and choose their own password."
            )

    def _unlock(self, email: str) -> None:
        user = accounts.find(email)
        if user is None:
            raise CommandError(f"No user with email {email!r}.")
        if not user.is_locked:
            self.stdout.write(f"{user.email} is not locked.")
            return
        accounts.unlock(user)
        self.stdout.write(self.style.SUCCESS(f"{user.email} unlocked."))
