"""Template filters of the roster pages: reason labels and status badges."""

from __future__ import annotations

from django import template

from accdesk.agency.tenancy import may as member_may
from accdesk.personnel.eligibility import REASON_TEXT

register = template.Library()

_BADGES = {
    "must_deactivate": "badge-danger",
    "remediate": "badge-warning",
    "pending": "",
    "expiring": "badge-warning",
    "eligible": "badge-ok",
}


@register.filter
def reason_label(code: str) -> str:
    return REASON_TEXT.get(code, (code, ""))[0]


@register.filter
def reason_source(code: str) -> str:
    return REASON_TEXT.get(code, ("", ""))[1]


@register.filter
def status_badge(status: str) -> str:
    """The badge class of a status."""
    return _BADGES.get(status, "badge-muted")


@register.filter
def status_label(status: str) -> str:
    return status.replace("_", " ")


@register.filter
def may(request: object, action: str) -> bool:
    """``{% if request|may:"roster.import" %}``: the member's role allows it."""
    return member_may(request, action)  # type: ignore[arg-type]
