"""Demo records of the incidents app: fictional people and events, dated from now.

- The DOJ contacts an incident is reported to, on the agency profile.
- The plan: version 2 (superseded) and version 3, approved 100 days ago by the
  agency head; its last test was 400 days ago, so the annual test is overdue.
- Two people in an incident-response role: one trained, one never trained (on
  the worklist).
- Two incidents: a lost laptop, closed, its clocks met, one person still to
  retrain (overdue on the worklist); a phishing e-mail, open, reported inside the
  agency 95 minutes after its discovery (internal clock missed), DOJ clock running.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accdesk.access.models import User
from accdesk.agency.models import Agency, Designation
from accdesk.incidents.models import Acknowledgement, Incident, PlanTest, ResponsePlan
from accdesk.personnel.models import Person, TrainingRecord

DOJ_CONTACTS = [
    ("doj_iso", "Morgan Ellis", "Information Security Officer, CA DOJ"),
    ("doj_ptm", "Sam Whitaker", "Program & Technical Manager, CA DOJ"),
    ("doj_cio", "Rene Castillo", "Chief Information Officer, CA DOJ"),
]


def load(agency: Agency, today: dt.date) -> None:
    if agency.response_plans.exists():
        return
    for kind, name, title in DOJ_CONTACTS:
        if not agency.designations.filter(kind=kind, ends_on__isnull=True).exists():
            Designation.objects.create(
                agency=agency,
                kind=kind,
                name=name,
                title=title,
                email=f"{kind}@doj.example",
                starts_on=today - dt.timedelta(days=365),
            )
    people = {p.employee_id: p for p in Person.objects.filter(agency=agency)}
    _team(agency, today, people)
    _plan(agency, today, people)
    _incidents(agency, people)


def _team(agency: Agency, today: dt.date, people: dict[str, Person]) -> None:
    for employee_id in ("E1001", "E1006"):
        if employee_id in people:
            people[employee_id].ir_role = True
            people[employee_id].save(update_fields=["ir_role"])
    if "E1001" in people:
        TrainingRecord.objects.get_or_create(
            agency=agency,
            person=people["E1001"],
            course="ir_training",
            level="",
            completed_date=today - dt.timedelta(days=200),
        )


def _plan(agency: Agency, today: dt.date, people: dict[str, Person]) -> None:
    old = ResponsePlan.objects.create(
        agency=agency,
        version="2",
        summary="Second edition.",
        approved_by="Dana Whitfield",
        approved_on=today - dt.timedelta(days=465),
    )
    PlanTest.objects.create(
        agency=agency,
        plan=old,
        tested_on=today - dt.timedelta(days=400),
        kind="tabletop",
        participants="ACC, SPOC, Records Supervisor, IT staff",
        lessons="After-hours DOJ phone numbers were out of date.",
    )
    plan = ResponsePlan.objects.create(
        agency=agency,
        version="3",
        summary="DOJ contacts updated; breach annex added.",
        breach_annex="Individuals are notified when unencrypted personal "
        "information was, or is reasonably believed to have been, acquired by an "
        "unauthorized person (Cal. Civ. Code §1798.29). The SPOC assesses the harm "
        "with the ACC; the agency head decides.",
        approved_by="Dana Whitfield",
        approved_on=today - dt.timedelta(days=100),
        notified_at=timezone.now() - dt.timedelta(days=99),
    )
    members = list(
        User.objects.filter(
            memberships__agency=agency, memberships__role__in=("acc", "spoc")
        )
    )
    plan.distribution_members.set(members)
    if "E1006" in people:
        plan.distribution_people.add(people["E1006"])
    acc = next((u for u in members if u.email == "acc@lakemont.example"), None)
    if acc is not None:
        Acknowledgement.objects.create(
            plan=plan,
            user=acc,
            acknowledged_on=today - dt.timedelta(days=98),
            recorded_by=acc.email,
        )


def _incidents(agency: Agency, people: dict[str, Person]) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    found = now - dt.timedelta(days=40, hours=3)
    closed = Incident.objects.create(
        agency=agency,
        status="closed",
        incident_type="lost_device",
        reporter_name="Tomás Ibarra",
        reporter_title="Officer",
        reporter_phone="(555) 010-4455",
        contact_name="Kevin Osei",
        contact_title="IT Manager (SPOC)",
        contact_phone="(555) 010-4470",
        contact_email="spoc@lakemont.example",
        discovered_at=found,
        reported_internally_at=found + dt.timedelta(minutes=25),
        confirmed=True,
        doj_notified_at=found + dt.timedelta(hours=6),
        doj_notified_how="e-mail",
        doj_notified_to="DOJ Information Security Officer: Morgan Ellis",
        locations="Patrol vehicle 14; Lakemont Transit Center",
        systems_affected="Mobile data computer MDC-14 (CLETS client)",
        data_affected="Cached CLETS returns of the shift",
        cji_involved=True,
        encrypted=True,
        detection_method="Officer reported the laptop missing at shift end",
        description="A mobile data computer was left on a bench at the transit "
        "center for about 40 minutes.",
        cause="Device not docked before leaving the vehicle.",
        policies_applied="CJISSECPOL MP-5, SC-28; Lakemont IR plan v3",
        resolution="Recovered by transit staff; disk encrypted (FIPS 197 AES-256); "
        "account passwords reset; device reimaged.",
        lessons_learned="Dock-or-lock reminder added to the shift checklist.",
        notify_individuals=False,
        harm_assessment="Disk encrypted and the device locked: no data readable.",
        rules_applied="Cal. Civ. Code §1798.29 (encrypted data exempt)",
        decided_on=(found + dt.timedelta(days=2)).date(),
        decided_by="Dana Whitfield, Chief of Police",
        closed_at=found + dt.timedelta(days=3),
    )
    closed.add_action(
        found + dt.timedelta(minutes=40),
        "containment",
        "Account of the MDC disabled; device located by GPS.",
    )
    closed.add_action(
        found + dt.timedelta(hours=2),
        "recovery",
        "Device recovered, disk checked, reimaged.",
    )
    if "E1005" in people:
        closed.needs_training.add(people["E1005"])
    discovered = now - dt.timedelta(hours=3)
    open_incident = Incident.objects.create(
        agency=agency,
        incident_type="phishing",
        reporter_name="Grace Holloway",
        reporter_title="Records Technician",
        discovered_at=discovered,
        reported_internally_at=discovered + dt.timedelta(minutes=95),
        systems_affected="Records e-mail",
        detection_method="User report of a suspicious e-mail",
        description="A records technician entered her password on a page that "
        "imitated the county sign-in, then reported it.",
        locations="Main Station, records unit",
    )
    open_incident.add_action(
        discovered + dt.timedelta(minutes=100),
        "containment",
        "Password reset and sessions revoked; mail rule checked.",
    )
