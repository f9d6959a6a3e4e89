"""Sign-in history filed under the agencies the user belongs to when it happens.

An event about signing in (``signin.*``, ``signout``, ``session.*``) is written
once under each agency the user is a member of at that moment (suspended or
expired memberships included: an attempt on such an account matters most), and
under no agency -- the installation's chain -- only when the user belongs to none
or is unknown. Filing it at the time, rather than finding the user's agencies when
the record is read, keeps each agency's history its own: a user who later moves
to another agency does not take their sign-ins with them, and the new agency does
not see what they did before (CJISSECPOL v5.9.5 AU-3 identity and place; AU-9).
"""

from __future__ import annotations

from accdesk.access.models import User
from accdesk.core.audit import record_event
from accdesk.core.models import ChangeRecord


def record_signin_event(
    user: User | None, event: str, *, obj: User | None = None, message: str = ""
) -> list[ChangeRecord]:
    """Write ``event`` (one of ``core.models.SIGNIN_EVENT_PREFIXES``) under each of
    the user's agencies, or under none."""
    # The reverse relation, not an import of the agency app: agency depends on
    # access, not the other way round.
    agency_ids = (
        sorted(set(user.memberships.values_list("agency_id", flat=True)))
        if user is not None and user.pk is not None
        else []
    )
    if not agency_ids:
        return [record_event(event, obj=obj, message=message)]
    return [
        record_event(event, agency_id=agency_id, obj=obj, message=message)
        for agency_id in agency_ids
    ]
