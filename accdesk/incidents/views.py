"""Pages of security incidents: list, report, detail with its clocks, journal,
DOJ notice, breach decision, misuse case, closing, and the DOJ report.

Incidents are restricted (``rules.visible_incidents``: the ACC and SPOC, others
only when named); every page that shows one records the view.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accdesk.agency.tenancy import AgencyRequest, agency_view, may
from accdesk.core.actor import current_actor
from accdesk.core.audit import record_event
from accdesk.incidents import clocks, report, rules
from accdesk.incidents.forms import (
    ActionForm,
    BreachDecisionForm,
    CloseForm,
    DojNoticeForm,
    IncidentForm,
    LinkCaseForm,
)
from accdesk.incidents.models import (
    Incident,
    IncidentType,
    ReportGeneration,
    Status,
)
from accdesk.investigations.models import MisuseCase, Source
from accdesk.lib.exports import pdf_response


def _visible(request: AgencyRequest) -> Any:
    return rules.visible_incidents(
        request.agency, request.user, request.membership.role
    )


def _get(request: AgencyRequest, pk: int) -> Incident:
    return get_object_or_404(_visible(request).select_related("agency"), pk=pk)


def _to(request: AgencyRequest, incident: Incident) -> HttpResponse:
    return redirect("incidents:detail", ori=request.agency.ori, pk=incident.pk)


@agency_view("incidents.view")
def incident_list(request: AgencyRequest) -> HttpResponse:
    now = timezone.now()
    incidents = list(_visible(request))
    record_event(
        "view",
        agency_id=request.agency.pk,
        message=f"incident list: {len(incidents)} incident(s)",
    )
    rows = [(i, clocks.clocks(i, now)) for i in incidents]
    return render(
        request,
        "incidents/incident_list.html",
        {"rows": rows, "can_edit": may(request, "incidents.edit")},
    )


@agency_view("incidents.edit")
def report_incident(request: AgencyRequest) -> HttpResponse:
    incident = Incident(agency=request.agency)
    form = IncidentForm(request.POST or None, instance=incident, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Incident {incident.reference} reported.")
        return _to(request, incident)
    return render(
        request,
        "incidents/incident_form.html",
        {"form": form, "title": "Report an incident"},
        status=400 if form.errors else 200,
    )


@agency_view("incidents.edit")
def edit_incident(request: AgencyRequest, pk: int) -> HttpResponse:
    incident = _get(request, pk)
    form = IncidentForm(request.POST or None, instance=incident, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Incident {incident.reference} saved.")
        return _to(request, incident)
    record_event("view", obj=incident, message=request.path)
    return render(
        request,
        "incidents/incident_form.html",
        {"form": form, "incident": incident, "title": f"Edit {incident.reference}"},
        status=400 if form.errors else 200,
    )


def _detail(
    request: AgencyRequest, incident: Incident, status: int = 200, **forms: Any
) -> HttpResponse:
    record_event("view", obj=incident, message=request.path)
    can_edit = may(request, "incidents.edit")
    context = {
        "incident": incident,
        "clocks": clocks.clocks(incident, timezone.now()),
        "actions": incident.actions.select_related("author"),
        "needs_training": incident.needs_training.all(),
        "reports": incident.reports.all()[:20],
        "can_edit": can_edit,
        "can_open_case": incident.incident_type == IncidentType.CLETS_MISUSE
        and incident.misuse_case is None,
    }
    if can_edit:
        context.update(
            action_form=forms.get("action_form") or ActionForm(),
            doj_form=forms.get("doj_form") or DojNoticeForm(incident=incident),
            breach_form=forms.get("breach_form")
            or BreachDecisionForm(instance=incident),
            link_form=forms.get("link_form") or LinkCaseForm(agency=request.agency),
        )
    return render(request, "incidents/incident_detail.html", context, status=status)


@agency_view("incidents.view")
def incident_detail(request: AgencyRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request, pk))


@agency_view("incidents.edit")
@require_POST
def add_action(request: AgencyRequest, pk: int) -> HttpResponse:
    incident = _get(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return _detail(request, incident, 400, action_form=form)
    data = form.cleaned_data
    incident.add_action(data["taken_at"], data["phase"], data["text"], by=request.user)
    return _to(request, incident)


@agency_view("incidents.edit")
@require_POST
def notify_doj(request: AgencyRequest, pk: int) -> HttpResponse:
    incident = _get(request, pk)
    form = DojNoticeForm(request.POST, incident=incident)
    if not form.is_valid():
        return _detail(request, incident, 400, doj_form=form)
    incident.doj_notified_at = form.cleaned_data["notified_at"]
    incident.doj_notified_how = form.cleaned_data["how"]
    incident.doj_notified_to = form.recipients_text()
    incident.save(
        update_fields=["doj_notified_at", "doj_notified_how", "doj_notified_to"]
    )
    clock = clocks.doj_clock(incident, timezone.now())
    messages.success(
        request,
        f"DOJ notice recorded: {clock.summary}." if clock else "DOJ notice recorded.",
    )
    return _to(request, incident)


@agency_view("incidents.edit")
@require_POST
def breach_decision(request: AgencyRequest, pk: int) -> HttpResponse:
    incident = _get(request, pk)
    form = BreachDecisionForm(request.POST, instance=incident)
    if not form.is_valid():
        return _detail(request, incident, 400, breach_form=form)
    form.save()
    messages.success(request, "Breach decision recorded.")
    return _to(request, incident)


@agency_view("incidents.edit")
def close_incident(request: AgencyRequest, pk: int) -> HttpResponse:
    incident = _get(request, pk)
    if not incident.is_open:
        return _to(request, incident)
    form = CloseForm(
        request.POST or None,
        incident=incident,
        initial={"needs_training": incident.needs_training.all()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            incident.status = data["status"]
            incident.closed_at = data["closed_at"]
            incident.resolution = data["resolution"]
            incident.lessons_learned = data["lessons_learned"]
            incident.save(
                update_fields=["status", "closed_at", "resolution", "lessons_learned"]
            )
            incident.needs_training.set(data["needs_training"])
            incident.add_action(
                data["closed_at"],
                "note",
                "Closed: resolved."
                if incident.status == Status.CLOSED
                else "Closed: not an incident.",
                by=request.user,
            )
        messages.success(request, f"Incident {incident.reference} closed.")
        return _to(request, incident)
    record_event("view", obj=incident, message=request.path)
    return render(
        request,
        "incidents/close_form.html",
        {"form": form, "incident": incident},
        status=400 if form.errors else 200,
    )


@agency_view("incidents.edit")
@require_POST
def open_case(request: AgencyRequest, pk: int) -> HttpResponse:
    """Open the misuse investigation of a CLETS misuse incident, so that the
    Feb-1 misuse report and the incident stay linked (issue 15)."""
    incident = _get(request, pk)
    if incident.incident_type != IncidentType.CLETS_MISUSE or incident.misuse_case:
        return _to(request, incident)
    with transaction.atomic():
        case = MisuseCase.objects.create(
            agency=request.agency,
            case_number=incident.reference,
            opened_on=request.agency.today(),
            source=Source.OTHER,
            systems=["CLETS"],
            allegation=f"From security incident {incident.reference}: "
            f"{incident.description}",
        )
        incident.misuse_case = case
        incident.save(update_fields=["misuse_case"])
    messages.success(request, f"Misuse case {case.case_number} opened.")
    return redirect("investigations:detail", ori=request.agency.ori, pk=case.pk)


@agency_view("incidents.edit")
@require_POST
def link_case(request: AgencyRequest, pk: int) -> HttpResponse:
    incident = _get(request, pk)
    form = LinkCaseForm(request.POST, agency=request.agency)
    if not form.is_valid():
        return _detail(request, incident, 400, link_form=form)
    incident.misuse_case = form.cleaned_data["misuse_case"]
    incident.save(update_fields=["misuse_case"])
    messages.success(request, f"Linked to misuse case {incident.misuse_case}.")
    return _to(request, incident)


def _record_generation(request: AgencyRequest, incident: Incident, fmt: str) -> None:
    ReportGeneration.objects.create(
        incident=incident, fmt=fmt, generated_by=current_actor().label
    )
    record_event(
        "export", obj=incident, message=f"DOJ incident report ({fmt}) {incident}"
    )


@agency_view("incidents.edit")
def report_pdf(request: AgencyRequest, pk: int) -> HttpResponse:
    incident = _get(request, pk)
    context = report.context(incident, timezone.now())
    _record_generation(request, incident, ReportGeneration.Format.PDF)
    return pdf_response(
        report.filename(incident, "pdf"), "incidents/report.html", context, request
    )


@agency_view("incidents.edit")
def report_email(request: AgencyRequest, pk: int) -> HttpResponse:
    incident = _get(request, pk)
    context = report.context(incident, timezone.now())
    body = report.email_body(context)
    _record_generation(request, incident, ReportGeneration.Format.EMAIL)
    if request.GET.get("download") == "1":
        response = HttpResponse(body, content_type="text/plain; charset=utf-8")
        name = report.filename(incident, "txt")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "incidents/report_email.html",
        {"incident": incident, "body": body, "subject": context["subject"]},
    )
