"""The incidents app's rules, in one place: who sees an incident, the plan's two
annual duties, and the two training duties the worklist shows.

- An incident is seen by the ACC and SPOC, and by other members it names
  (``visible_incidents``; issue 15: "restricted records").
- The plan is approved by the agency head every 12 months (IR-1, IR-8: "reviewed
  and approved by executive leadership annually") and tested every 12 months
  (IR-3, tabletop or simulation). Both are calendar months (``add_months``), due
  on the same day 12 months after the last approval or test, overdue the day
  after. A plan never tested is due 12 months after its first approval.
- IR training (``ir_training`` course of the training import): a person in an IR
  role needs a completion in force -- its expiration date, or completed + 12
  months when it has none (IR-2: before the role and annually). None, or lapsed:
  ``IR_TRAINING_EXPIRED``.
- People named as needing training after an incident: a training record
  completed after the incident's discovery date clears it; until then
  ``INCIDENT_RETRAINING_DUE``, due 30 days after the discovery date (AT-2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accdesk.agency.models import Agency
from accdesk.incidents.models import Incident, PlanTest, ResponsePlan
from accdesk.personnel.models import Course, Person, TrainingRecord
from accdesk.personnel.policy import add_months

PLAN_INTERVAL_MONTHS = 12  # IR-1, IR-3, IR-8
IR_TRAINING_MONTHS = 12  # IR-2
RETRAINING_DAYS = 30  # AT-2, after an incident


def visible_incidents(agency: Agency, user: object, role: str) -> QuerySet[Incident]:
    incidents = Incident.objects.filter(agency=agency)
    if role in ("acc", "spoc"):
        return incidents
    return incidents.filter(named_members=user)


# -- The plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanDuty:
    kind: str  # irp_review / irp_test
    due_on: dt.date | None  # None: no plan approved yet
    last_on: dt.date | None
    status: str  # ok / due / overdue / missing

    @property
    def is_late(self) -> bool:
        return self.status in ("overdue", "missing")


def current_plan(agency: Agency) -> ResponsePlan | None:
    """The version in force: the latest approved one."""
    return (
        ResponsePlan.objects.filter(agency=agency, approved_on__isnull=False)
        .order_by("-approved_on", "-id")
        .first()
    )


def _status(due: dt.date, today: dt.date, window_days: int = 30) -> str:
    if due < today:
        return "overdue"
    return "due" if (due - today).days <= window_days else "ok"


def approval_duty(agency: Agency, today: dt.date) -> PlanDuty:
    plan = current_plan(agency)
    if plan is None:
        return PlanDuty("irp_review", None, None, "missing")
    due = add_months(plan.approved_on, PLAN_INTERVAL_MONTHS)
    return PlanDuty("irp_review", due, plan.approved_on, _status(due, today))


def test_duty(agency: Agency, today: dt.date) -> PlanDuty:
    last = PlanTest.objects.filter(agency=agency).order_by("-tested_on").first()
    if last is not None:
        due = add_months(last.tested_on, PLAN_INTERVAL_MONTHS)
        return PlanDuty("irp_test", due, last.tested_on, _status(due, today))
    first = (
        ResponsePlan.objects.filter(agency=agency, approved_on__isnull=False)
        .order_by("approved_on")
        .first()
    )
    if first is None:
        return PlanDuty("irp_test", None, None, "missing")
    due = add_months(first.approved_on, PLAN_INTERVAL_MONTHS)
    return PlanDuty("irp_test", due, None, _status(due, today))


def distribution(plan: ResponsePlan) -> list[dict[str, object]]:
    """Who must acknowledge ``plan``, and whether they have: members (by e-mail)
    then roster people."""
    acks = list(plan.acknowledgements.all())
    by_user = {a.user_id: a for a in acks if a.user_id}
    by_person = {a.person_id: a for a in acks if a.person_id}
    rows: list[dict[str, object]] = [
        {"kind": "member", "who": user, "ack": by_user.get(user.pk)}
        for user in plan.distribution_members.order_by("email")
    ]
    rows += [
        {"kind": "person", "who": person, "ack": by_person.get(person.pk)}
        for person in plan.distribution_people.all()
    ]
    return rows


# -- Training ------------------------------------------------------------------------


def _people(agency: Agency, as_of: dt.date, people: Q | None) -> QuerySet[Person]:
    found = Person.objects.filter(agency=agency).exclude(employment_status="separated")
    found = found.filter(Q(separation_date__isnull=True) | Q(separation_date__gt=as_of))
    return found.filter(people) if people is not None else found


def ir_training_expiry(record: TrainingRecord) -> dt.date:
    return record.expiration_date or add_months(
        record.completed_date, IR_TRAINING_MONTHS
    )


def ir_training_gaps(
    agency: Agency, as_of: dt.date, people: Q | None = None
) -> list[tuple[Person, dt.date | None]]:
    """People in an IR role with no IR training in force on ``as_of``, each with
    the date their last one expired (``None``: never trained)."""
    found = []
    team = _people(agency, as_of, people).filter(ir_role=True)
    for person in team.prefetch_related("training"):
        done = [
            t
            for t in person.training.all()
            if t.course == Course.IR_TRAINING and t.completed_date <= as_of
        ]
        expiry = max((ir_training_expiry(t) for t in done), default=None)
        if expiry is None or expiry < as_of:
            found.append((person, expiry))
    return found


def retraining_due(
    agency: Agency, as_of: dt.date, people: Q | None = None
) -> list[tuple[Person, Incident, dt.date]]:
    """(person, incident, due date) for each person named as needing training
    after an incident who has no training record after its discovery date."""
    found = []
    wanted = _people(agency, as_of, people)
    incidents = (
        Incident.objects.filter(agency=agency, needs_training__in=wanted)
        .distinct()
        .select_related("agency")
        .prefetch_related("needs_training__training")
    )
    ids = set(wanted.values_list("pk", flat=True))
    for incident in incidents:
        day = incident.discovered_on
        if day > as_of:
            continue
        for person in incident.needs_training.all():
            if person.pk not in ids:
                continue
            trained = any(
                day < t.completed_date <= as_of for t in person.training.all()
            )
            if not trained:
                found.append(
                    (person, incident, day + dt.timedelta(days=RETRAINING_DAYS))
                )
    return found
