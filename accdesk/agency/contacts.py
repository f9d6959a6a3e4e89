"""Who in ACC Desk holds a role of the agency: the members reminders, digests and
alerts go to.

The designated ACC or SPOC (agency profile) comes first when they are a member
with that role; other members with the role follow, oldest membership first. Only
memberships in force count (an expired auditor is nobody's contact).
"""

from __future__ import annotations

from accdesk.agency.models import Agency, Designation, Membership


def members_with_role(agency: Agency, role: str) -> list[Membership]:
    memberships = [
        m
        for m in Membership.objects.filter(
            agency=agency, role=role, user__is_active=True
        )
        .select_related("user", "agency")
        .order_by("created_at", "id")
        if m.is_in_force()
    ]
    designated = (
        agency.designations.filter(kind=role, ends_on__isnull=True)
        .values_list("email", flat=True)
        .first()
        if role in Designation.Kind.values
        else None
    )
    if designated:
        memberships.sort(key=lambda m: m.user.email.lower() != designated.lower())
    return memberships


def contact_email(agency: Agency, role: str) -> str:
    """The e-mail of the agency's ACC (``role="acc"``) or SPOC, or ``""``."""
    members = members_with_role(agency, role)
    return members[0].user.email if members else ""
