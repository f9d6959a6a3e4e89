"""The rules over sites, terminals, physical security and system documentation, on
a date; each in one place (docs/sites.md has them with their sources)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Q

from accdesk.agency.models import Agency
from accdesk.personnel.eligibility import is_separated
from accdesk.personnel.models import Person
from accdesk.personnel.policy import add_months
from accdesk.terminals.models import (
    CorrectiveAction,
    Inspection,
    InventoryReview,
    KeyHolding,
    PhysicalReview,
    Site,
    SystemDocument,
    Terminal,
)

INSPECTION_MONTHS = 12  # domain brief §3.8: the last inspection older than a year
INVENTORY_MONTHS = 12  # CJISSECPOL v5.9.5 CM-8: reviewed annually
NETWORK_DIAGRAM_MONTHS = 12  # reviewed within 12 months (issue 13)


@dataclass(frozen=True)
class Due:
    """A dated duty and whether it is late: ``last`` None when never done."""

    what: str
    last: dt.date | None
    due: dt.date | None  # None: never done, due now
    late: bool
    source: str


def _due(
    what: str, last: dt.date | None, months: int, day: dt.date, source: str
) -> Due:
    if last is None:
        return Due(what, None, None, True, source)
    due = add_months(last, months)
    return Due(what, last, due, due < day, source)


@dataclass(frozen=True)
class Done:
    """When some sites' duties were last done (``last_done``): each site's latest
    signed-off inspection (an unsigned one is not done yet), and its latest review
    of each kind."""

    inspected: dict[int, dt.date]
    reviewed: dict[tuple[int, str], dt.date]


def last_done(sites: Iterable[Site]) -> Done:
    """Two grouped queries, however many sites: a page or a panel listing every
    site passes it to ``inspection_due``, ``review_due`` and ``site_dues``."""
    pks = [site.pk for site in sites]
    inspected = (
        Inspection.objects.filter(site__in=pks, signed_off_on__isnull=False)
        .order_by()
        .values("site")
        .annotate(last=Max("inspected_on"))
        .values_list("site", "last")
    )
    reviewed = (
        PhysicalReview.objects.filter(site__in=pks)
        .order_by()
        .values("site", "kind")
        .annotate(last=Max("reviewed_on"))
        .values_list("site", "kind", "last")
    )
    return Done(dict(inspected), {(pk, kind): last for pk, kind, last in reviewed})


def inspection_due(site: Site, day: dt.date, done: Done | None = None) -> Due:
    done = done or last_done([site])
    return _due(
        "Self-inspection",
        done.inspected.get(site.pk),
        INSPECTION_MONTHS,
        day,
        "CLETS security audit (DOJ CLETS PPP); 11 CCR §707(a)",
    )


def review_due(site: Site, kind: str, day: dt.date, done: Done | None = None) -> Due:
    done = done or last_done([site])
    return _due(
        PhysicalReview.Kind(kind).label,
        done.reviewed.get((site.pk, kind)),
        PhysicalReview.INTERVAL_MONTHS[kind],
        day,
        "CJISSECPOL v5.9.5 " + PhysicalReview.Kind(kind).label.rsplit("(", 1)[1][:-1],
    )


def site_dues(site: Site, day: dt.date, done: Done | None = None) -> list[Due]:
    done = done or last_done([site])
    dues = [inspection_due(site, day, done)]
    for kind in PhysicalReview.Kind.values:
        if kind == PhysicalReview.Kind.VISITOR_LOG and not site.visitor_log:
            continue
        dues.append(review_due(site, kind, day, done))
    return dues


def inventory_due(agency: Agency, day: dt.date) -> Due:
    last = InventoryReview.objects.filter(agency=agency).first()
    return _due(
        "Terminal inventory review",
        last.reviewed_on if last else None,
        INVENTORY_MONTHS,
        day,
        "CJISSECPOL v5.9.5 CM-8",
    )


def network_diagram_problem(agency: Agency, day: dt.date) -> str:
    """Blank when a network diagram is on file and reviewed within 12 months."""
    diagrams = SystemDocument.objects.filter(
        agency=agency, kind=SystemDocument.Kind.NETWORK_DIAGRAM
    )
    if not diagrams:
        return "No network diagram on file."
    latest = max(d.last_reviewed for d in diagrams)
    if add_months(latest, NETWORK_DIAGRAM_MONTHS) < day:
        return f"The network diagram was last reviewed on {latest:%Y-%m-%d}."
    return ""


def documents_due(agency: Agency, day: dt.date) -> list[SystemDocument]:
    return list(
        SystemDocument.objects.filter(
            agency=agency, next_review_date__lt=day
        ).select_related("agency")  # their links name the agency
    )


def open_actions(agency: Agency) -> list[CorrectiveAction]:
    return list(
        CorrectiveAction.objects.filter(agency=agency, closed_on__isnull=True)
        .select_related("answer__question", "answer__inspection__site", "owner")
        .order_by("due_date")
    )


def public_view_terminals(agency: Agency) -> list[Terminal]:
    return list(
        Terminal.objects.filter(
            agency=agency, status=Terminal.Status.ACTIVE, public_view=True
        ).select_related("agency")  # their links name the agency
    )


def keys_not_returned(
    agency: Agency, day: dt.date, people: Q | None = None
) -> list[KeyHolding]:
    """Keys, combinations and badges still held on ``day`` by someone separated on
    ``day`` (CJISSECPOL v5.9.5 PE-3)."""
    holders = Person.objects.filter(agency=agency)
    if people is not None:
        holders = holders.filter(people)
    holdings = KeyHolding.objects.filter(
        agency=agency, person__in=holders, issued_on__lte=day
    ).select_related("person", "site")
    return [h for h in holdings if h.held_on(day) and is_separated(h.person, day)]
