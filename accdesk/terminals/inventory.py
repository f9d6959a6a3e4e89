"""The terminal inventory as other apps ask about it -- the query-log audit's
``TERMINAL_UNKNOWN`` lead above all: which terminals were in the inventory, and not
retired, on a date.

Mnemonics are compared in capitals (``Terminal.save`` stores them so). A terminal
retired on D is retired from D on: a query on or after its retired date comes from a
retired terminal; a query the day before does not.
"""

from __future__ import annotations

import datetime as dt

from accdesk.agency.models import Agency
from accdesk.terminals.models import Terminal


def inventory(agency: Agency) -> dict[str, dt.date | None]:
    """Every terminal of the inventory, mnemonic -> retired date (None: active).
    Empty when the agency has no inventory yet (a rule then reports "not
    checked" rather than flagging every row)."""
    return dict(
        Terminal.objects.filter(agency=agency).values_list("terminal", "retired_date")
    )


def in_service_on(agency: Agency, day: dt.date) -> set[str]:
    """The mnemonics in the inventory and not retired on ``day``."""
    return {
        terminal
        for terminal, retired in inventory(agency).items()
        if retired is None or retired > day
    }


def known_on(terminals: dict[str, dt.date | None], mnemonic: str, day: dt.date) -> bool:
    """Whether ``mnemonic`` was in service on ``day``, given ``inventory(agency)``
    (for a rule checking many rows against one inventory)."""
    if mnemonic.strip().upper() not in terminals:
        return False
    retired = terminals[mnemonic.strip().upper()]
    return retired is None or retired > day
