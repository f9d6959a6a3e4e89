"""The incidents app's dashboard panels: open incidents with their clocks, and
the plan's annual approval and test."""

from __future__ import annotations

from django.utils import timezone

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.incidents import clocks, rules
from accdesk.incidents.models import Status
from accdesk.lib.panels import Panel


def open_incidents(request: AgencyRequest) -> Panel | None:
    """Each open incident the member may see, with its clocks running, met or
    missed (IR-6; CA DOJ MOU, Exhibit E)."""
    if not may(request, "incidents.view"):
        return None
    incidents = list(
        rules.visible_incidents(
            request.agency, request.user, request.membership.role
        ).filter(status=Status.OPEN)
    )
    if not incidents and not may(request, "incidents.view_all"):
        return None
    now = timezone.now()
    rows = [(i, clocks.clocks(i, now)) for i in incidents[:8]]
    return Panel(
        "incidents/_panel_incidents.html",
        {
            "rows": rows,
            "more": max(0, len(incidents) - 8),
            "can_report": may(request, "incidents.edit"),
        },
    )


def response_plan(request: AgencyRequest) -> Panel | None:
    """The plan's annual approval (IR-1, IR-8) and test (IR-3): due or overdue;
    and, for a member on the distribution list, the version to acknowledge."""
    can_view = may(request, "incidents.plan_view")
    today = request.agency.today()
    current = rules.current_plan(request.agency)
    to_ack = None
    if (
        current is not None
        and current.distribution_members.filter(pk=request.user.pk).exists()
        and not current.acknowledgements.filter(user=request.user).exists()
    ):
        to_ack = current
    if not can_view and to_ack is None:
        return None
    context = {"can_view": can_view, "to_ack": to_ack, "current": current}
    if can_view:
        context.update(
            approval=rules.approval_duty(request.agency, today),
            test=rules.test_duty(request.agency, today),
            gaps=len(rules.ir_training_gaps(request.agency, today)),
        )
    return Panel("incidents/_panel_plan.html", context)
