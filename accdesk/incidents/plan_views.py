"""Pages of the incident response plan (IR-8): its versions and their approval, the
distribution list and acknowledgements, the annual tests (IR-3), and who holds an
incident-response role (IR-2)."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accdesk.agency.models import Designation
from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may
from accdesk.core import mail
from accdesk.core.actor import current_actor
from accdesk.incidents import rules
from accdesk.incidents.forms import ApproveForm, PlanForm, PlanTestForm, TeamForm
from accdesk.incidents.models import Acknowledgement, ResponsePlan
from accdesk.personnel.models import Person


def _to_plan(request: AgencyRequest) -> HttpResponse:
    return redirect("incidents:plan", ori=request.agency.ori)


@agency_view("incidents.plan_view")
def plan(request: AgencyRequest) -> HttpResponse:
    agency, today = request.agency, request.agency.today()
    versions = list(agency.response_plans.all())
    head = agency.designations.filter(
        kind=Designation.Kind.AGENCY_HEAD, ends_on__isnull=True
    ).first()
    context = {
        "versions": [(p, rules.distribution(p)) for p in versions],
        "current": rules.current_plan(agency),
        "approval": rules.approval_duty(agency, today),
        "test": rules.test_duty(agency, today),
        "tests": agency.plan_tests.select_related("plan"),
        "can_edit": may(request, "incidents.plan_edit"),
        "approve_form": ApproveForm(
            today=today,
            initial={"approved_on": today, "approved_by": head.name if head else ""},
        ),
        "test_form": PlanTestForm(today=today, initial={"tested_on": today}),
        "user_id": request.user.pk,
    }
    return render(request, "incidents/plan.html", context)


@agency_view("incidents.plan_edit")
def new_version(request: AgencyRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        version = form.save()
        messages.success(
            request,
            f"Version {version.version} added: add its document, have it approved, "
            "then notify the distribution list.",
        )
        return _to_plan(request)
    return render(
        request,
        "incidents/plan_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@agency_view("incidents.plan_edit")
@require_POST
def approve(request: AgencyRequest, pk: int) -> HttpResponse:
    version = agency_object_or_404(request, ResponsePlan, pk=pk)
    form = ApproveForm(request.POST, today=request.agency.today())
    if form.is_valid():
        version.approved_by = form.cleaned_data["approved_by"]
        version.approved_on = form.cleaned_data["approved_on"]
        version.save(update_fields=["approved_by", "approved_on"])
        messages.success(request, f"Version {version.version} approved.")
    else:
        messages.error(request, " ".join(e for es in form.errors.values() for e in es))
    return _to_plan(request)


@agency_view("incidents.plan_edit")
@require_POST
def notify(request: AgencyRequest, pk: int) -> HttpResponse:
    """E-mail the members on the distribution list that a new version is out
    (IR-8: "changes are communicated"); people without an account are listed on
    the page as still to acknowledge."""
    version = agency_object_or_404(request, ResponsePlan, pk=pk)
    to = [u.email for u in version.distribution_members.filter(is_active=True)]
    if to:
        mail.send(
            to,
            f"Incident response plan version {version.version}: please acknowledge",
            "incidents/email/plan_version",
            {"plan": version, "agency": request.agency},
            event="mail.plan_version",
            agency_id=request.agency.pk,
            note=f"incident response plan v{version.version}",
        )
    version.notified_at = timezone.now()
    version.save(update_fields=["notified_at"])
    messages.success(
        request,
        f"{len(to)} member(s) e-mailed; "
        f"{version.distribution_people.count()} other(s) to acknowledge on paper.",
    )
    return _to_plan(request)


@agency_view("incidents.acknowledge")
@require_POST
def acknowledge(request: AgencyRequest, pk: int) -> HttpResponse:
    version = agency_object_or_404(request, ResponsePlan, pk=pk)
    if not version.distribution_members.filter(pk=request.user.pk).exists():
        messages.error(request, "You are not on this version's distribution list.")
        return redirect("dashboard:agency", ori=request.agency.ori)
    _acknowledge(version, user=request.user, on=request.agency.today())
    messages.success(request, f"You acknowledged version {version.version}.")
    if may(request, "incidents.plan_view"):
        return _to_plan(request)
    return redirect("dashboard:agency", ori=request.agency.ori)


@agency_view("incidents.plan_edit")
@require_POST
def record_acknowledgement(
    request: AgencyRequest, pk: int, person: int
) -> HttpResponse:
    version = agency_object_or_404(request, ResponsePlan, pk=pk)
    who = version.distribution_people.filter(pk=person).first()
    if who is not None:
        _acknowledge(version, person=who, on=request.agency.today())
        messages.success(request, f"Acknowledgement of {who.name} recorded.")
    return _to_plan(request)


def _acknowledge(version: ResponsePlan, *, on, **who) -> None:  # noqa: ANN001, ANN003
    try:
        with transaction.atomic():
            Acknowledgement.objects.create(
                plan=version,
                acknowledged_on=on,
                recorded_by=current_actor().label,
                **who,
            )
    except IntegrityError:
        pass  # acknowledged already: once is enough


@agency_view("incidents.plan_edit")
@require_POST
def add_test(request: AgencyRequest) -> HttpResponse:
    form = PlanTestForm(request.POST, today=request.agency.today())
    if form.is_valid():
        test = form.save(commit=False)
        test.agency = request.agency
        test.plan = rules.current_plan(request.agency)
        test.save()
        messages.success(request, "Plan test recorded: add its evidence below.")
    else:
        messages.error(request, " ".join(e for es in form.errors.values() for e in es))
    return _to_plan(request)


@agency_view("incidents.plan_view")
def team(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    can_edit = may(request, "incidents.plan_edit")
    current = Person.objects.filter(agency=agency, ir_role=True)
    form = TeamForm(
        request.POST if can_edit and request.method == "POST" else None,
        agency=agency,
        initial={"people": current},
    )
    if request.method == "POST" and can_edit and form.is_valid():
        chosen = set(form.cleaned_data["people"].values_list("pk", flat=True))
        # One save per change, so that each is in the change record.
        for person in Person.objects.filter(agency=agency):
            wanted = person.pk in chosen
            if person.ir_role != wanted:
                person.ir_role = wanted
                person.save(update_fields=["ir_role"])
        messages.success(request, "Incident-response team saved.")
        return redirect("incidents:team", ori=agency.ori)
    gaps = {
        p.pk: expiry for p, expiry in rules.ir_training_gaps(agency, agency.today())
    }
    members = [(p, p.pk in gaps, gaps.get(p.pk)) for p in current]
    return render(
        request,
        "incidents/team.html",
        {"form": form, "members": members, "can_edit": can_edit},
    )
