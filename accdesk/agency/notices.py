"""Changes to agency information that DOJ must be told about, and the notice text.

Training deck (ACC duties, "Administration/Record Keeping"): notify DOJ's CLETS
Administration Section and the DOJ field representative of changes to the agency
head, ACC, SPOC, telephone or address. The exact form and deadline are not
published (domain brief §2.3), so ACC Desk produces a plain letter the ACC can
print or paste into an email, and tracks it until the ACC records it was sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from accdesk.agency.models import Agency, Designation, DojNotice

# From the CLETS Subscriber Agreement, HDC 0001 (rev 03/2010); DOJ may have moved
# since: the ACC can correct the address on the printed notice.
CAS_ADDRESS = (
    "California Department of Justice\n"
    "CLETS Administration Section\n"
    "P.O. Box 903387\n"
    "Sacramento, CA 94203-3870"
)

PROFILE_ITEMS = {"phone": "Agency telephone", "address": "Agency address"}


@dataclass(frozen=True)
class Change:
    item: str
    label: str
    old: str
    new: str

    def as_dict(self) -> dict[str, str]:
        return {
            "item": self.item,
            "label": self.label,
            "old": self.old,
            "new": self.new,
        }


def compose(agency: Agency, changes: list[Change], effective_on: dt.date) -> str:
    """The notice as a letter: addressed to CAS and the field representative."""
    rep = agency.designations.filter(
        kind=Designation.Kind.DOJ_FIELD_REP, ends_on__isnull=True
    ).first()
    acc = agency.designations.filter(
        kind=Designation.Kind.ACC, ends_on__isnull=True
    ).first()
    lines = [CAS_ADDRESS, ""]
    if rep:
        contact = ", ".join(x for x in (rep.phone, rep.email) if x)
        lines += [
            f"cc: {rep.name}, DOJ Field Representative"
            + (f" ({contact})" if contact else ""),
            "",
        ]
    else:
        lines += [
            "cc: DOJ Field Representative (none on file: add one in ACC Desk)",
            "",
        ]
    lines += [
        f"Subject: Change of agency information — {agency.name}, ORI {agency.ori}",
        "",
        f"Effective {effective_on:%B %-d, %Y}, the following information for "
        f"{agency.name} (ORI {agency.ori}) has changed:",
        "",
    ]
    for change in changes:
        old = change.old.replace("\n", ", ") or "(none on file)"
        new = change.new.replace("\n", ", ") or "(none)"
        lines += [f"  {change.label}", f"    was: {old}", f"    now: {new}", ""]
    lines += ["Please update your records.", ""]
    if acc:
        lines += ["Agency CLETS Coordinator:", f"  {acc.name}"]
        lines += [f"  {x}" for x in (acc.title, acc.phone, acc.email) if x]
    return "\n".join(lines).rstrip() + "\n"


def open_notice(
    agency: Agency, changes: list[Change], effective_on: dt.date
) -> DojNotice:
    return DojNotice.objects.create(
        agency=agency,
        changes=[c.as_dict() for c in changes],
        effective_on=effective_on,
        body=compose(agency, changes, effective_on),
    )


@transaction.atomic
def update_profile(
    agency: Agency, values: dict[str, str], effective_on: dt.date
) -> DojNotice | None:
    """Apply edits to the agency's profile; open a notice when the phone or the
    address changed."""
    changes = [
        Change(item, label, getattr(agency, item), values[item])
        for item, label in PROFILE_ITEMS.items()
        if item in values and values[item] != getattr(agency, item)
    ]
    changed_fields = [
        name for name, value in values.items() if getattr(agency, name) != value
    ]
    for name in changed_fields:
        setattr(agency, name, values[name])
    if changed_fields:
        agency.save(update_fields=changed_fields)
    return open_notice(agency, changes, effective_on) if changes else None


@transaction.atomic
def designate(
    agency: Agency,
    kind: str,
    *,
    name: str,
    effective_on: dt.date,
    title: str = "",
    phone: str = "",
    email: str = "",
) -> tuple[Designation, DojNotice | None]:
    """Make someone the holder of a designated role from ``effective_on``.

    The previous holder's term ends the day before (kept as history). For the agency
    head, ACC and SPOC a notice to DOJ is opened.
    """
    previous = None
    if kind in Designation.SINGLE_HOLDER:
        previous = (
            Designation.objects.select_for_update()
            .filter(agency=agency, kind=kind, ends_on__isnull=True)
            .first()
        )
    if previous is not None:
        if effective_on <= previous.starts_on:
            raise ValueError(
                f"The change must take effect after {previous.starts_on:%Y-%m-%d}, "
                f"when {previous.name} took the role."
            )
        previous.ends_on = effective_on - dt.timedelta(days=1)
        previous.save(update_fields=["ends_on"])
    holder = Designation.objects.create(
        agency=agency,
        kind=kind,
        name=name,
        title=title,
        phone=phone,
        email=email,
        starts_on=effective_on,
    )
    notice = None
    if kind in Designation.REPORTABLE:
        label = Designation.Kind(kind).label
        change = Change(kind, label, _describe(previous), _describe(holder))
        notice = open_notice(agency, [change], effective_on)
    return holder, notice


def _describe(holder: Designation | None) -> str:
    if holder is None:
        return ""
    parts = [holder.name, holder.title, holder.phone, holder.email]
    return ", ".join(p for p in parts if p)


def mark_sent(notice: DojNotice, sent_on: dt.date, by: object, how: str = "") -> None:
    notice.sent_on = sent_on
    notice.sent_by = by  # type: ignore[assignment]
    notice.sent_how = how
    notice.save(update_fields=["sent_on", "sent_by", "sent_how"])
