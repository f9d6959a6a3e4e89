"""Linking "released by" (a name, as the clerk types it) to the roster person."""

from __future__ import annotations

import re
from dataclasses import dataclass

from accdesk.agency.models import Agency
from accdesk.personnel.models import Person


def normalize_name(name: str) -> str:
    """ "Alvarez, Maria" and "maria  alvarez." both become "maria alvarez"."""
    name = name.strip()
    last, comma, first = name.partition(",")
    if comma:
        name = f"{first} {last}"
    return " ".join(re.sub(r"[.]", " ", name).lower().split())


@dataclass(frozen=True)
class RosterNames:
    """The agency's roster by normalized name; ``None`` for a name two people share,
    so that an ambiguous name links to nobody rather than to the wrong person."""

    ids: dict[str, int | None]

    @classmethod
    def of(cls, agency: Agency) -> RosterNames:
        ids: dict[str, int | None] = {}
        people = Person.objects.filter(agency=agency).values_list(
            "pk", "first_name", "last_name"
        )
        for pk, first, last in people:
            name = normalize_name(f"{first} {last}")
            ids[name] = None if name in ids else pk
        return cls(ids)

    def match(self, name: str) -> int | None:
        return self.ids.get(normalize_name(name))
