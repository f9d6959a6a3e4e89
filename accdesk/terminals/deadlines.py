"""The terminals app's dated duties for the "What's due" registry. Kinds:

- ``inspection_due``: a site's next self-inspection, a year after the last signed-off
  one (none yet: due today);
- ``inventory_review``: the annual review of the terminal inventory (CM-8);
- ``visitor_log_review``, ``access_log_review``: quarterly, per site (PE-8, PE-6);
- ``access_list_review``, ``key_inventory_review``: annually, per site (PE-2, PE-3);
- ``document_review``: a system document's next review date;
- ``corrective_action_due``: an open corrective action's due date.

A duty never done is due today (and stays due, never "overdue" before it started).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accdesk.agency.models import Agency
from accdesk.lib.deadlines import Deadline, status_on
from accdesk.terminals import rules
from accdesk.terminals.models import PhysicalReview, Site, SystemDocument

INSPECTION_DUE = "inspection_due"
INVENTORY_REVIEW = "inventory_review"
REVIEW_KINDS = {
    PhysicalReview.Kind.VISITOR_LOG: "visitor_log_review",
    PhysicalReview.Kind.ACCESS_LOG: "access_log_review",
    PhysicalReview.Kind.ACCESS_LIST: "access_list_review",
    PhysicalReview.Kind.KEY_INVENTORY: "key_inventory_review",
}
DOCUMENT_REVIEW = "document_review"
CORRECTIVE_ACTION_DUE = "corrective_action_due"


def _from(due: rules.Due, today: dt.date, **fields: str) -> Deadline:
    day = due.due or today
    return Deadline(
        date=day,
        status=status_on(day, today, can_be_overdue=due.last is not None),
        source=due.source,
        **fields,
    )


def deadlines(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
    today = agency.today()
    found: list[Deadline] = []
    ori = agency.ori
    sites = list(Site.objects.filter(agency=agency))
    done = rules.last_done(sites)
    for site in sites:
        url = reverse("terminals:site", kwargs={"ori": ori, "pk": site.pk})
        due = rules.inspection_due(site, today, done)
        found.append(
            _from(
                due,
                today,
                kind=INSPECTION_DUE,
                title=f"Self-inspection of {site.name}",
                subject=site.name,
                url=url,
            )
        )
        for kind, code in REVIEW_KINDS.items():
            if kind == PhysicalReview.Kind.VISITOR_LOG and not site.visitor_log:
                continue
            due = rules.review_due(site, kind, today, done)
            found.append(
                _from(
                    due,
                    today,
                    kind=code,
                    title=f"{due.what} review: {site.name}",
                    subject=site.name,
                    url=url,
                )
            )
    due = rules.inventory_due(agency, today)
    if due.last is not None or agency.terminals.exists():
        found.append(
            _from(
                due,
                today,
                kind=INVENTORY_REVIEW,
                title="Terminal inventory review",
                subject="terminal inventory",
                url=reverse("terminals:terminals", kwargs={"ori": ori}),
            )
        )
    for document in SystemDocument.objects.filter(agency=agency).select_related(
        "owner"
    ):
        found.append(
            Deadline(
                date=document.next_review_date,
                kind=DOCUMENT_REVIEW,
                title=f"Review {document.get_kind_display().lower()}: {document}",
                subject=document.title,
                status=status_on(document.next_review_date, today),
                source="CJISSECPOL v5.9.5 §3.2.9, PL-2 (annual review)",
                url=reverse(
                    "terminals:document", kwargs={"ori": ori, "pk": document.pk}
                ),
                owner=document.owner.email,
            )
        )
    for action in rules.open_actions(agency):
        found.append(
            Deadline(
                date=action.due_date,
                kind=CORRECTIVE_ACTION_DUE,
                title=f"Corrective action at {action.site.name}: "
                f"{action.answer.question.text}",
                subject=action.site.name,
                status=status_on(action.due_date, today),
                source=action.answer.question.source,
                url=reverse(
                    "terminals:inspection",
                    kwargs={"ori": ori, "pk": action.answer.inspection_id},
                ),
                owner=action.owner.email,
            )
        )
    return sorted(
        (d for d in found if start <= d.date <= end), key=lambda d: (d.date, d.kind)
    )
