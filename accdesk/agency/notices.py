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
    effective_on: dt.date

    def as_dict(self) -> dict[str, str]:
        return {
            "item": self.item,
            "label": self.label,
            "old": self.old,
            "new": self.new,
            "effective_on": self.effective_on.isoformat(),
        }


def _effective(change: dict[str, str], notice: DojNotice) -> dt.date:
    # Entries of notices made before entries carried their own date.
    if "effective_on" in change:
        return dt.date.fromisoformat(change["effective_on"])
    return notice.effective_on


def compose(agency: Agency, notice: DojNotice, written_on: dt.date) -> str:
    """The notice as a letter on the agency's letterhead, dated ``written_on``,
    addressed to CAS and the field representative, signed by the agency head (who
    signs the CLETS Subscriber Agreement, HDC 0001)."""
    rep = _holder(agency, Designation.Kind.DOJ_FIELD_REP)
    acc = _holder(agency, Designation.Kind.ACC)
    head = _holder(agency, Designation.Kind.AGENCY_HEAD)
    lines = [agency.name, *agency.address.splitlines()]
    if agency.phone:
        lines.append(f"Telephone {agency.phone}")
    lines += [f"ORI {agency.ori}", "", _long_date(written_on), "", CAS_ADDRESS, ""]
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
    ]
    dates = {_effective(c, notice) for c in notice.changes}
    if len(dates) == 1:
        lines += [
            f"Effective {_long_date(min(dates))}, the following information for "
            f"{agency.name} (ORI {agency.ori}) has changed:",
            "",
        ]
    else:
        lines += [
            f"The following information for {agency.name} (ORI {agency.ori}) "
            "has changed:",
            "",
        ]
    for change in notice.changes:
        old = change["old"].replace("\n", ", ") or "(none on file)"
        new = change["new"].replace("\n", ", ") or "(none)"
        label = change["label"]
        if len(dates) != 1:
            label += f" (effective {_long_date(_effective(change, notice))})"
        lines += [f"  {label}", f"    was: {old}", f"    now: {new}", ""]
    lines += ["Please update your records.", ""]
    if acc:
        lines += ["Questions: Agency CLETS Coordinator", f"  {acc.name}"]
        lines += [f"  {x}" for x in (acc.title, acc.phone, acc.email) if x]
        lines.append("")
    lines += ["Sincerely,", "", "", "", "_" * 40]
    if head:
        lines.append(", ".join(x for x in (head.name, head.title) if x))
    else:
        lines.append("Agency head (none on file: designate one in ACC Desk)")
    lines += [f"Agency head, {agency.name}", "", "Date: ____________________"]
    return "\n".join(lines).rstrip() + "\n"


def _holder(agency: Agency, kind: str) -> Designation | None:
    return agency.designations.filter(kind=kind, ends_on__isnull=True).first()


def _long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def report(agency: Agency, changes: list[Change]) -> DojNotice | None:
    """Put changes on the agency's open notice to DOJ, and write the letter again.

    DOJ needs to know where things stand, not every step: a second change of an
    item that an unsent notice already reports replaces that entry (what DOJ had
    on file -> the newest value), so no item is ever "to send" twice; a change
    back to what DOJ had removes the entry. Items no open notice reports go on a
    new notice. Returns the notice the changes are on (None if nothing is left
    to report).
    """
    today = agency.today()
    touched: list[DojNotice] = []
    fresh: list[Change] = []
    for change in changes:
        notice = _open_notice_reporting(agency, change.item)
        if notice is None:
            fresh.append(change)
            continue
        entries = [c for c in notice.changes if c["item"] != change.item]
        (was,) = [c for c in notice.changes if c["item"] == change.item]
        if change.new != was["old"]:
            merged = Change(
                change.item, change.label, was["old"], change.new, change.effective_on
            )
            entries.append(merged.as_dict())
        notice.changes = entries
        touched.append(notice)
    if fresh:
        touched.append(
            DojNotice(
                agency=agency,
                changes=[c.as_dict() for c in fresh],
                effective_on=fresh[0].effective_on,
            )
        )
    result = None
    for notice in touched:
        if not notice.changes:
            notice.delete()  # recorded in the change record like any delete
            continue
        notice.effective_on = min(_effective(c, notice) for c in notice.changes)
        notice.body = compose(agency, notice, today)
        notice.save()
        result = notice
    return result


def _open_notice_reporting(agency: Agency, item: str) -> DojNotice | None:
    for notice in agency.notices.open().select_for_update():
        if any(c["item"] == item for c in notice.changes):
            return notice
    return None


@transaction.atomic
def update_profile(
    agency: Agency, values: dict[str, str], effective_on: dt.date
) -> DojNotice | None:
    """Apply edits to the agency's profile; open a notice when the phone or the
    address changed."""
    changes = [
        Change(item, label, getattr(agency, item), values[item], effective_on)
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
    return report(agency, changes) if changes else None


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
        change = Change(
            kind, label, _describe(previous), _describe(holder), effective_on
        )
        notice = report(agency, [change])
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
