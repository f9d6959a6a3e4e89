"""Which people a member may see on the roster pages.

A supervisor (role ``supervisor``, linked to a roster person by
``Membership.employee_id``) sees only the people whose ``supervisor_employee_id``
is theirs; every other role that may see the roster sees everyone.
"""

from __future__ import annotations

from django.db.models import Q

from accdesk.agency.models import Role
from accdesk.agency.tenancy import AgencyRequest


def scope(request: AgencyRequest) -> Q | None:
    """A filter on ``Person`` for this member, or ``None`` for everyone."""
    membership = request.membership
    if membership.role != Role.SUPERVISOR:
        return None
    if not membership.employee_id:  # not linked to anyone on the roster
        return Q(pk__in=[])
    return Q(supervisor_employee_id=membership.employee_id)
