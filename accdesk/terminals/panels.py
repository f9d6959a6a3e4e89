from __future__ import annotations

from django.urls import reverse

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.lib.panels import Panel
from accdesk.terminals import rules
from accdesk.terminals.models import Site


def sites(request: AgencyRequest) -> Panel | None:
    """What an auditor of physical security and system documentation would find:
    the network diagram missing or not reviewed in 12 months, sites whose last
    self-inspection is older than a year, reviews due, the inventory review,
    overdue corrective actions, terminals the public can see."""
    if not may(request, "sites.view"):
        return None
    agency, day, ori = request.agency, request.agency.today(), request.agency.ori
    problems: list[tuple[str, str]] = []
    documents = reverse("terminals:documents", kwargs={"ori": ori})
    if text := rules.network_diagram_problem(agency, day):
        problems.append((f"Network diagram: {text}", documents))
    for document in rules.documents_due(agency, day):
        problems.append(
            (
                f"{document} was due for review on "
                f"{document.next_review_date:%Y-%m-%d}.",
                document.get_absolute_url(),
            )
        )
    # Their links name the agency; the dates they were last done, in two queries.
    sites = list(Site.objects.filter(agency=agency).select_related("agency"))
    done = rules.last_done(sites)
    for site in sites:
        for due in rules.site_dues(site, day, done):
            if due.late:
                when = "never done" if due.last is None else f"due {due.due:%Y-%m-%d}"
                problems.append(
                    (f"{site.name}: {due.what} {when}.", site.get_absolute_url())
                )
    inventory = rules.inventory_due(agency, day)
    if inventory.late and agency.terminals.exists():
        problems.append(
            (
                "Terminal inventory review (CM-8) "
                + (
                    "never signed off."
                    if inventory.last is None
                    else f"due {inventory.due:%Y-%m-%d}."
                ),
                reverse("terminals:terminals", kwargs={"ori": ori}),
            )
        )
    for action in rules.open_actions(agency):
        if action.due_date < day:
            problems.append(
                (
                    f"{action.site.name}: corrective action overdue since "
                    f"{action.due_date:%Y-%m-%d}.",
                    reverse(
                        "terminals:inspection",
                        kwargs={"ori": ori, "pk": action.answer.inspection_id},
                    ),
                )
            )
    for terminal in rules.public_view_terminals(agency):
        problems.append(
            (
                f"Terminal {terminal} can be seen by the public (PE-5).",
                terminal.get_absolute_url(),
            )
        )
    return Panel("terminals/_panel.html", {"problems": problems})
