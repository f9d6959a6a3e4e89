"""Create and list agencies (tenants) from the command line.

``accdesk agency add --ori CA0190000 --name "..."`` is how a new installation gets
its first agency; the server operator runs it, so it needs no web sign-in.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from accdesk.agency.models import Agency, normalize_ori
from accdesk.core.command import OperatorCommand


class Command(OperatorCommand):
    help = "Manage agencies: 'agency add' creates one, 'agency list' shows them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="{add,list}")
        add = sub.add_parser("add", help="create an agency")
        add.add_argument("--ori", required=True, help="9-character ORI, e.g. CA0190000")
        add.add_argument("--name", required=True)
        add.add_argument("--address", default="")
        add.add_argument("--phone", default="")
        add.add_argument("--county", default="")
        add.add_argument(
            "--type",
            dest="agency_type",
            default=Agency.Type.CJA,
            choices=Agency.Type.values,
        )
        add.add_argument(
            "--ori-access",
            default=Agency.OriAccess.FULL,
            choices=Agency.OriAccess.values,
        )
        add.add_argument("--time-zone", default=None)
        sub.add_parser("list", help="list agencies")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "list":
            for agency in Agency.objects.all():
                self.stdout.write(f"{agency.ori}  {agency.name}")
            return
        self._add(options)

    def _add(self, options: dict[str, Any]) -> None:
        fields = {
            "ori": normalize_ori(options["ori"]),
            "name": options["name"].strip(),
            "address": options["address"],
            "phone": options["phone"],
            "county": options["county"],
            "agency_type": options["agency_type"],
            "ori_access": options["ori_access"],
        }
        if options["time_zone"]:
            fields["time_zone"] = options["time_zone"]
        agency = Agency(**fields)
        try:
            agency.full_clean()
        except ValidationError as exc:
            raise CommandError(_one_line(exc)) from None
        with transaction.atomic():
            agency.save()
        self.stdout.write(self.style.SUCCESS(f"Created {agency}."))


def _one_line(exc: ValidationError) -> str:
    return "; ".join(
        f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
    )
