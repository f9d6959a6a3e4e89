"""The nightly change-record verify: runs ``accdesk changes verify`` on every
agency's chain and on the installation's (``core/chain.py``), and turns a failure
into an alert -- to the agency's ACC and SPOC for its own chain, to every agency's
for the installation's."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

from accdesk.agency.models import Agency
from accdesk.jobs.alerts import clear_alert, raise_alert


def verify_change_record() -> str:
    chains: list[tuple[Agency | None, list[str]]] = [
        (agency, ["--agency", agency.ori]) for agency in Agency.objects.order_by("ori")
    ]
    chains.append((None, ["--installation"]))
    result = "ok"
    for agency, args in chains:
        out = StringIO()
        try:
            call_command("changes", "verify", *args, stdout=out, stderr=out)
        except (CommandError, SystemExit) as exc:
            raise_alert("changes", agency, str(exc) or out.getvalue().strip()[-500:])
            result = "failed"
        else:
            clear_alert("changes", agency)
    return result
