"""Helpers shared by the commands that take ``--agency ORI``."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser

from accdesk.agency.models import Agency, normalize_ori


def add_agency_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--agency", required=True, metavar="ORI", help="the agency's 9-character ORI"
    )


def get_agency(ori: str) -> Agency:
    agency = Agency.objects.filter(ori=normalize_ori(ori)).first()
    if agency is None:
        raise CommandError(
            f"No agency with ORI {normalize_ori(ori)!r}. "
            "Create it with: accdesk agency add --ori ... --name ..."
        )
    return agency
