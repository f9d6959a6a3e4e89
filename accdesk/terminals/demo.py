"""Demo sites, terminals, inspections, physical access records and system documents
of the Lakemont Police Department: fictional places, dated from today.

To show: the front-counter terminal the public can see (and the open corrective
action of the Main Station's inspection), the dispatch centre's inspection older
than a year, the data centre never inspected, a quarterly access-log review overdue,
a key still held by an officer who left (``KEY_NOT_RETURNED`` on the worklist), an
incident response plan past its review date. The terminals are those of the demo
query log (LKM000-LKM006).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from accdesk.agency.models import Agency, Membership, Role
from accdesk.evidence.demo import attach_pdf
from accdesk.personnel.models import Person
from accdesk.terminals.models import (
    Answer,
    CorrectiveAction,
    Inspection,
    InspectionAnswer,
    InventoryReview,
    KeyHolding,
    PhysicalReview,
    Site,
    SystemDocument,
    Terminal,
    questions_for,
)

SITES = [
    ("Main Station", Site.Type.STATION, "100 Civic Center Plaza, Lakemont", True),
    (
        "Lakemont Emergency Communications Center",
        Site.Type.DISPATCH,
        "12 Ridge Road, Lakemont",
        True,
    ),
    ("County Data Center", Site.Type.DATA_CENTRE, "Lakemont County Annex", False),
]
# mnemonic, type, site index, host, public view, unit, retired days ago
TERMINALS = [
    ("LKM000", "workstation", 0, "10.20.1.10", False, "Records", None),
    ("LKM001", "workstation", 0, "10.20.1.11", False, "Records", None),
    ("LKM002", "workstation", 1, "10.20.2.21", False, "Dispatch", None),
    ("LKM003", "workstation", 1, "10.20.2.22", False, "Dispatch", None),
    ("LKM004", "workstation", 0, "10.20.1.14", False, "Detective bureau", None),
    ("LKM005", "workstation", 0, "10.20.1.15", True, "Front counter", None),
    ("LKM006", "interface", 2, "clets-if.lakemont.example", False, "IT", None),
    ("LKM009", "printer", 0, "10.20.1.40", False, "Records", 150),
    ("LKM101", "mdc", None, "mdc-101.lakemont.example", False, "Patrol", None),
]


def load(agency: Agency, today: dt.date) -> None:
    if agency.sites.exists():
        return

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    acc = Membership.objects.filter(agency=agency, role=Role.ACC).first().user
    sites = [
        Site.objects.create(
            agency=agency,
            name=name,
            site_type=kind,
            address=address,
            locks=True,
            badge_access=kind != Site.Type.STATION,
            visitor_log=visitor_log,
            escort_rules="Visitors sign in at the front desk and are escorted by "
            "sworn staff at all times.",
        )
        for name, kind, address, visitor_log in SITES
    ]
    main, dispatch, data_centre = sites
    people = Person.objects.filter(agency=agency)
    main.unescorted.set(
        people.filter(employment_status="active").exclude(role_level="")[:12]
    )
    dispatch.unescorted.set(people.filter(employee_id__in=["E1001", "E1013", "E2004"]))
    for mnemonic, kind, site, host, public, unit, retired in TERMINALS:
        Terminal.objects.create(
            agency=agency,
            terminal=mnemonic,
            terminal_type=kind,
            site=sites[site] if site is not None else None,
            host=host,
            public_view=public,
            unit=unit,
            status="retired" if retired else "active",
            retired_date=ago(retired) if retired else None,
        )
    InventoryReview.objects.create(
        agency=agency,
        reviewed_on=ago(330),
        reviewed_by="spoc@lakemont.example",
        terminals=8,
        note="Walked every site with the county IT technician.",
    )
    _inspection(agency, main, ago(60), acc, noes={"not_facing_public": "LKM005"})
    _inspection(agency, dispatch, ago(430), acc, noes={})
    for kind, days in (
        (PhysicalReview.Kind.ACCESS_LIST, 180),
        (PhysicalReview.Kind.VISITOR_LOG, 50),
        (PhysicalReview.Kind.ACCESS_LOG, 120),
        (PhysicalReview.Kind.KEY_INVENTORY, 180),
    ):
        review = PhysicalReview.objects.create(
            agency=agency,
            site=main,
            kind=kind,
            reviewed_on=ago(days),
            reviewed_by="acc@lakemont.example",
            note="No exceptions found."
            if kind != "visitor_log"
            else "Two contractor visits, both escorted and signed out.",
        )
        if kind == PhysicalReview.Kind.VISITOR_LOG:
            attach_pdf(
                agency,
                review,
                title="Visitor log review, Main Station",
                lines=(
                    "Quarterly review of the Main Station visitor log (PE-8).",
                    "Entries checked: 41. Exceptions: none.",
                ),
                kind="log",
                effective_date=review.reviewed_on,
            )
    holders = {
        p.employee_id: p
        for p in people.filter(Q(employee_id__in=["E1001", "E2001", "E2002"]))
    }
    keys = [
        ("E1001", "key", "Records room key #1", 900, None),
        ("E2001", "key", "Records room key #2", 800, None),  # left 12 days ago
        ("E2002", "combination", "Evidence safe combination", 700, 0),
    ]
    for employee_id, kind, label, issued, returned in keys:
        if employee_id in holders:
            KeyHolding.objects.create(
                agency=agency,
                person=holders[employee_id],
                site=main,
                kind=kind,
                label=label,
                issued_on=ago(issued),
                returned_on=ago(returned) if returned is not None else None,
            )
    _documents(agency, today, acc)


def _inspection(
    agency: Agency, site: Site, day: dt.date, owner: object, noes: dict[str, str]
) -> None:
    inspection = Inspection.objects.create(
        agency=agency,
        site=site,
        inspected_on=day,
        inspector="Sgt. Maria Alvarez",
        signed_off_on=day + dt.timedelta(days=2),
        signed_off_by="acc@lakemont.example",
    )
    for question in questions_for(agency):
        note = noes.get(question.code, "")
        answer = InspectionAnswer.objects.create(
            inspection=inspection,
            question=question,
            answer=Answer.NO if question.code in noes else Answer.YES,
            note=f"Terminal {note} faces the lobby window." if note else "",
        )
        if answer.answer == Answer.NO:
            CorrectiveAction.objects.create(
                agency=agency,
                answer=answer,
                description="Turn the front-counter terminal away from the lobby "
                "and fit a privacy filter.",
                owner=owner,
                due_date=day + dt.timedelta(days=90),
            )
    attach_pdf(
        agency,
        inspection,
        title=f"Self-inspection report, {site.name}",
        lines=(
            f"Self-inspection of {site.name} on {day}.",
            f"Answers: {inspection.answers.filter(answer='yes').count()} yes, "
            f"{len(noes)} no.",
        ),
        kind="report",
        effective_date=day,
    )


def _documents(agency: Agency, today: dt.date, owner: object) -> None:
    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    specs = [
        ("network_diagram", "CLETS network diagram", "4.2", 300),
        ("security_policy", "Lakemont PD information security policy", "2025.1", 200),
        ("incident_response_plan", "Lakemont PD incident response plan", "3", 420),
        ("clets_procedures", "CLETS local procedures", "7", 90),
    ]
    for kind, title, version, days in specs:
        document = SystemDocument.objects.create(
            agency=agency,
            kind=kind,
            title=title,
            version=version,
            effective_date=ago(days),
            owner=owner,
        )
        if kind == "network_diagram":
            attach_pdf(
                agency,
                document,
                title="CLETS network diagram v4.2",
                lines=(
                    "Terminals LKM000-LKM005 -> station switch -> county firewall "
                    "-> CLETS interface LKM006 -> CA DOJ CLETS (encrypted tunnel).",
                    "Mobile data computers reach the interface through the county "
                    "VPN concentrator.",
                ),
                kind="diagram",
                effective_date=document.effective_date,
            )
