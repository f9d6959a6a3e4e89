"""Pages about where the roster's data comes from and where it disagrees: the
import pages, the reconciliation, the NexTEST export and the policy values."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accdesk.agency.tenancy import AgencyRequest, agency_view, may
from accdesk.core.audit import record_event
from accdesk.lib.exports import csv_response
from accdesk.lib.text import counted
from accdesk.personnel.facts import load_policy
from accdesk.personnel.forms import PolicySettingForm
from accdesk.personnel.imports import FORMATS
from accdesk.personnel.models import PolicySetting
from accdesk.personnel.policy import BASELINE
from accdesk.personnel.reconcile import new_operators, reconcile

NEXTEST_HEADER = (
    "ori",
    "operator_id",
    "employee_id",
    "last_name",
    "first_name",
    "test",
    "account_created",
)
NEXTEST_TEST = {"full": "Full Access", "ltf": "Less than Full"}


@agency_view("roster.import")
def imports(request: AgencyRequest) -> HttpResponse:
    return render(request, "personnel/imports.html", {"formats": FORMATS.values()})


@agency_view("roster.reconcile")
def reconciliation(request: AgencyRequest) -> HttpResponse:
    return render(
        request,
        "personnel/reconciliation.html",
        {"r": reconcile(request.agency), "can_export": may(request, "roster.export")},
    )


@agency_view("roster.export")
def nextest_export(request: AgencyRequest) -> HttpResponse:
    """New operators to register in NexTEST, as CSV for the ACC to upload or send."""
    agency = request.agency
    today = agency.today()
    rows = [
        (
            agency.ori,
            account.operator_id,
            person.employee_id,
            person.last_name,
            person.first_name,
            NEXTEST_TEST[account.access_level],
            account.created_date.isoformat(),
        )
        for account, person in new_operators(agency, today)
    ]
    record_event(
        "export",
        agency_id=agency.pk,
        message=f"NexTEST new operators CSV: {counted(len(rows), 'row')}",
    )
    return csv_response(
        f"nextest-new-operators-{agency.ori}-{today}.csv", NEXTEST_HEADER, rows
    )


@agency_view("roster.reconcile")
def policy(request: AgencyRequest) -> HttpResponse:
    today = request.agency.today()
    current = load_policy(request.agency)
    versions = PolicySetting.objects.filter(agency=request.agency)
    rows = [
        (
            name,
            baseline,
            current.value(name, today),
            [v for v in versions if v.name == name],
        )
        for name, baseline in BASELINE.items()
    ]
    return render(
        request,
        "personnel/policy.html",
        {"rows": rows, "today": today, "can_edit": may(request, "roster.policy")},
    )


@agency_view("roster.policy")
def add_policy(request: AgencyRequest) -> HttpResponse:
    form = PolicySettingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        setting = form.save(commit=False)
        setting.agency = request.agency
        try:
            with transaction.atomic():
                setting.save()
        except IntegrityError:
            form.add_error("effective_from", "A version of this value starts that day.")
        else:
            messages.success(request, f"Saved: {setting}.")
            return redirect("roster:policy", ori=request.agency.ori)
    return render(
        request,
        "personnel/policy_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
