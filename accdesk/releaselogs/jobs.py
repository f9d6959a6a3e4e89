"""The nightly verification of every agency's release log (scheduled in
``jobs/schedule.py``): a chain that does not verify opens an alert -- e-mailed to
the ACC and SPOC, a red banner on the agency's pages -- that closes when the chain
verifies again."""

from __future__ import annotations

from django.db.models import Q

from accdesk.agency.models import Agency
from accdesk.jobs.alerts import clear_alert, raise_alert
from accdesk.lib.env import ConfigurationError
from accdesk.releaselogs.verification import verify


def verify_every_chain() -> dict[str, int]:
    broken = 0
    # Every agency with a log, or that had one: a log emptied outside the app still
    # has its earlier checks' heads to be compared with.
    agencies = list(
        Agency.objects.filter(
            Q(release_log__isnull=False)
            | Q(release_log_purges__isnull=False)
            | Q(release_log_checks__isnull=False)
        ).distinct()
    )
    for agency in agencies:
        try:
            result = verify(agency)
        except ConfigurationError as exc:  # the chain key is missing
            ok, summary = False, str(exc)
        else:
            ok, summary = result.ok, result.summary()
        if ok:
            clear_alert("releaselog", agency)
        else:
            broken += 1
            raise_alert("releaselog", agency, f"Release log: {summary}")
    return {"agencies": len(agencies), "broken": broken}
