"""Template filters of the roster pages: reasons, statuses and actions in words
(the codes in small type beside them), and status badges.

The words come from the app's own tables (``eligibility.REASON_TEXT``,
``STATUS_TEXT``, the models' choices); ``core``'s ``labelled`` draws them.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.safestring import SafeString

from accdesk.agency.tenancy import may as member_may
from accdesk.core.templatetags.desk import labelled
from accdesk.lib import text
from accdesk.personnel import policy
from accdesk.personnel.eligibility import (
    REASON_TEXT,
    STATUS_TEXT,
    Item,
    Reason,
    is_separated,
)
from accdesk.personnel.models import Person, RoleLevel, SystemAccount

register = template.Library()

_BADGES = {
    "must_deactivate": "badge-danger",
    "remediate": "badge-warning",
    "pending": "",
    "expiring": "badge-warning",
    "eligible": "badge-ok",
    "separated": "badge-muted",
}
# What a reason asks for, before its due date.
_KIND_TEXT = {
    "deactivate": "deactivate by",
    "remediate": "remediate by",
    "pending": "pending, due",
    "expiring": "expires",
    "upcoming": "due",
}
_LABELS = {
    "employment": dict(Person.Status.choices),
    "role_level": dict(RoleLevel.choices),
    "account_status": dict(SystemAccount.Status.choices),
    "access_level": dict(SystemAccount.Access.choices),
}


@register.filter
def reason_label(code: str) -> str:
    return REASON_TEXT.get(code, (code, ""))[0]


@register.filter
def reason_source(code: str) -> str:
    return REASON_TEXT.get(code, ("", ""))[1]


@register.filter
def reason(code: str) -> SafeString:
    """``SEPARATED`` -> "Separated" with the code beside it."""
    return labelled(reason_label(code), code)


@register.filter
def reason_due(r: Reason) -> str:
    """ "Separated — deactivate by Nov 21, 2026"."""
    what = _KIND_TEXT.get(r.kind, "due")
    return f"{reason_label(r.code)} — {what} {text.us_date(r.due)}"


@register.filter
def reason_list(codes: list[str] | str) -> str:
    """Reason codes (a list, or ``A;B`` as a deactivation keeps them) in words."""
    if isinstance(codes, str):
        codes = [c for c in codes.split(";") if c]
    return ", ".join(reason_label(code) for code in codes)


@register.filter
def page_status(item: Item, day: dt.date) -> str:
    """The status a page shows: a separated person with nothing left to do is
    "Separated", never a green "eligible" (the worklist files keep ``eligible``:
    nothing is due for them)."""
    if (
        item.status == "eligible"
        and item.person is not None
        and is_separated(item.person, day)
    ):
        return "separated"
    return item.status


@register.filter
def status_badge(status: str) -> str:
    """The badge class of a status."""
    return _BADGES.get(status, "badge-muted")


@register.filter
def status_label(status: str) -> str:
    return STATUS_TEXT.get(status, status.replace("_", " "))


@register.filter
def action_label(action: str) -> str:
    return {"deactivate": "Deactivate", "remediate": "Remediate"}.get(
        action, action.replace("_", " ").capitalize()
    )


@register.filter
def roster_label(code: str, table: str) -> str:
    """``{{ person.role_level|roster_label:"role_level" }}``: a roster code in
    words (employment, role_level, account_status, access_level)."""
    return _LABELS[table].get(code, code) if code else ""


@register.filter
def may(request: object, action: str) -> bool:
    """``{% if request|may:"roster.import" %}``: the member's role allows it."""
    return member_may(request, action)  # type: ignore[arg-type]


@register.filter
def policy_value(value: int, name: str) -> str:
    """``{{ value|policy_value:name }}``: a policy value with its unit ("90 days",
    "70 %", a date)."""
    return policy.show(name, value)
