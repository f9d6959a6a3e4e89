from __future__ import annotations

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.lib.panels import Panel
from accdesk.validations import oris, rules


def validations(request: AgencyRequest) -> Panel | None:
    """Validations overdue or due (30 days from the list), records NCIC would
    purge, records missing from the list they were expected on, master case
    records not located, and the yearly ORI validation."""
    if not may(request, "validations.view"):
        return None
    agency = request.agency
    day = agency.today()
    groups = rules.worklist(agency, day)
    ori_due, last = oris.next_due(agency)
    return Panel(
        "validations/_panel.html",
        {
            "groups": groups[:6],
            "more": max(0, len(groups) - 6),
            "purge": len(rules.purge_warnings(agency, day)),
            "missing": len(rules.missing_from_lists(agency)),
            "no_master": len(rules.master_case_missing(agency)),
            "ori_due": ori_due,
            "ori_last": last,
            "ori_late": last is None or ori_due <= day,
            "today": day,
        },
    )
