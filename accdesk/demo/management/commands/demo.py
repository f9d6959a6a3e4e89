"""Load the demo agency and print how to sign in to it.

Fictional people and places only. Idempotent: safe to run on every ``make run``.
The TOTP secret is printed so a tester can compute codes: demo data only.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from accdesk.core.command import OperatorCommand
from accdesk.demo import loaders
from accdesk.lib.commandline import accdesk_command


class Command(OperatorCommand):
    help = "Load the demo agency (idempotent) and print its sign-in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--code",
            action="store_true",
            help="only print the demo ACC's current 6-digit TOTP code",
        )
        parser.add_argument(
            "--first-run",
            action="store_true",
            help="load the demo only into a database with no agencies yet "
            "(or refresh it where it was loaded before); used by `make run`",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["code"]:
            self.stdout.write(loaders.current_code())
            return
        if options["first_run"] and not loaders.demo_wanted():
            self.stdout.write("Agencies exist and none is the demo: demo not loaded.")
            return
        signin = loaders.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo agency: {signin.agency.name} ({signin.agency.ori})"
            )
        )
        self.stdout.write(f"  Sign in as:   {signin.email}")
        self.stdout.write(f"  Password:     {signin.password}")
        self.stdout.write(
            f"  TOTP secret:  {signin.totp_secret}  (add it to an authenticator app)"
        )
        self.stdout.write(f"  otpauth URL:  {signin.otpauth_url}")
        self.stdout.write(f"  Current code: {accdesk_command('demo --code')}")
