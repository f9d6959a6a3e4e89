from __future__ import annotations

import datetime as dt

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.lib.panels import Panel
from accdesk.releaselogs.chain import head
from accdesk.releaselogs.models import ChainCheck, ReleaseLogEntry
from accdesk.releaselogs.retention import latest_purge_date, purgeable


def release_log(request: AgencyRequest) -> Panel | None:
    """The chain's state at a glance, and how busy the log is."""
    if not may(request, "releaselog.view"):
        return None
    agency = request.agency
    since = agency.today() - dt.timedelta(days=30)
    recent = ReleaseLogEntry.objects.filter(agency=agency).released_between(
        since, None, agency.tz
    )
    return Panel(
        "releaselogs/_panel_release_log.html",
        {
            "last_check": ChainCheck.objects.filter(agency=agency).first(),
            "head": head(agency),
            "recent": recent.count(),
            "purgeable": purgeable(agency, latest_purge_date(agency)).count(),
        },
    )
