"""The roster pages. Views orchestrate; the rules are in ``eligibility.py``.

Every page that lists or shows people narrows them with ``scoping.scope``, so a
supervisor sees only the people assigned to them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may
from accdesk.core.audit import record_event
from accdesk.lib.exports import csv_response
from accdesk.lib.htmx import is_htmx
from accdesk.lib.text import counted
from accdesk.personnel import worklist
from accdesk.personnel.eligibility import DEACTIVATE, ORPHAN_ACCOUNT, Item
from accdesk.personnel.forms import (
    DeactivateForm,
    ExpiringForm,
    RevokeForm,
    RosterFilterForm,
)
from accdesk.personnel.models import (
    Certification,
    Deactivation,
    Person,
    SystemAccount,
)
from accdesk.personnel.scoping import scope
from accdesk.personnel.timeline import timeline

PAGE_SIZE = 100


def _as_of(request: AgencyRequest) -> dt.date:
    today = request.agency.today()
    text = request.GET.get("as_of", "")
    if not text:
        return today
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        messages.error(request, f"{text!r} is not a date (YYYY-MM-DD): showing today.")
        return today


# -- roster ---------------------------------------------------------------------------


def filter_items(items: list[Item], data: dict[str, Any]) -> list[Item]:
    """The roster's filters: text, status, reason, role level, supervisor."""
    q = (data.get("q") or "").strip().lower()
    if q:
        items = [
            i
            for i in items
            if q in i.name.lower()
            or q == (i.employee_id or "").lower()
            or q in (op.lower() for op in i.operator_ids)
        ]
    if data.get("status"):
        items = [i for i in items if i.status == data["status"]]
    if data.get("reason"):
        items = [i for i in items if data["reason"] in i.reason_codes]
    if role := data.get("role_level"):
        wanted = "" if role == "none" else role
        items = [i for i in items if i.person and i.person.role_level == wanted]
    if data.get("supervisor"):
        items = [
            i
            for i in items
            if i.person and i.person.supervisor_employee_id == data["supervisor"]
        ]
    return items


def _supervisor_choices(items: list[Item]) -> list[tuple[str, str]]:
    names = {i.employee_id: i.name for i in items if i.employee_id}
    ids = {i.person.supervisor_employee_id for i in items if i.person} - {""}
    return sorted(
        ((sid, f"{names.get(sid, 'not on roster')} ({sid})") for sid in ids),
        key=lambda choice: choice[1],
    )


@agency_view("roster.view")
def roster(request: AgencyRequest) -> HttpResponse:
    result = worklist.compute(request.agency, people=scope(request))
    form = RosterFilterForm(request.GET, supervisors=_supervisor_choices(result.items))
    items = (
        filter_items(result.items, form.cleaned_data)
        if form.is_valid()
        else result.items
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
        "matching": len(items),
        "counts": result.counts_by_status(),
        "query": query.urlencode(),
        "as_of": result.as_of,
    }
    template = (
        "personnel/_roster_results.html"
        if is_htmx(request)
        else "personnel/roster.html"
    )
    return render(request, template, context)


# -- worklist -------------------------------------------------------------------------


@agency_view("roster.view")
def worklist_page(request: AgencyRequest) -> HttpResponse:
    today = request.agency.today()
    as_of = _as_of(request)
    result = worklist.compute(request.agency, as_of, people=scope(request))
    return render(
        request,
        "personnel/worklist.html",
        {
            "items": result.listed(),
            "as_of": as_of,
            "today": today,
            "counts": result.counts_by_status(),
            "can_mark": may(request, "roster.deactivate") and as_of == today,
        },
    )


@agency_view("roster.view")
def worklist_csv(request: AgencyRequest) -> HttpResponse:
    as_of = _as_of(request)
    everyone = request.GET.get("all") == "1"
    result = worklist.compute(request.agency, as_of, people=scope(request))
    items = result.listed(everyone=everyone)
    record_event(
        "export",
        agency_id=request.agency.pk,
        message=f"worklist CSV as of {as_of}: {counted(len(items), 'row')}",
    )
    return csv_response(
        f"worklist-{request.agency.ori}-{as_of}.csv",
        worklist.CSV_HEADER,
        (worklist.csv_row(item, as_of) for item in items),
    )


# -- a person -------------------------------------------------------------------------


def _person_or_404(request: AgencyRequest, pk: int) -> Person:
    people = Person.objects.all()
    if (narrow := scope(request)) is not None:
        people = people.filter(narrow)
    return agency_object_or_404(request, people, pk=pk)


@agency_view("roster.view")
def person_detail(request: AgencyRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    agency = request.agency
    today = agency.today()
    (item,) = worklist.compute(agency, people=Q(pk=person.pk), upcoming=True).items
    accounts = list(
        SystemAccount.objects.filter(agency=agency, employee_id=person.employee_id)
    )
    operator_ids = [a.operator_id for a in accounts]
    certifications = list(
        Certification.objects.filter(agency=agency).filter(
            Q(operator_id__in=operator_ids)
            | Q(operator_id="", employee_id=person.employee_id)
        )
    )
    deactivations = list(
        Deactivation.objects.filter(account__in=accounts).select_related("account")
    )
    show_checks = may(request, "roster.checks")
    checks = list(person.background_checks.all()) if show_checks else []
    training = list(person.training.all())
    forms = list(person.signed_forms.all())
    if show_checks:
        # Fingerprint results are criminal-history derived: record who looked.
        record_event("view", obj=person, message="person page with background checks")
    return render(
        request,
        "personnel/person.html",
        {
            "person": person,
            "item": item,
            "today": today,
            "accounts": accounts,
            "deactivations": deactivations,
            "checks": checks,
            "show_checks": show_checks,
            "training": training,
            "certifications": certifications,
            "forms": forms,
            "timeline": timeline(
                person, accounts, deactivations, checks, training, certifications, forms
            ),
            "can_mark": may(request, "roster.deactivate"),
            "can_revoke": may(request, "roster.revoke"),
        },
    )


def _next_url(request: AgencyRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}):
        return url
    return reverse("roster:worklist", kwargs={"ori": request.agency.ori})


def _deactivate_reasons(request: AgencyRequest, account: SystemAccount) -> list[str]:
    """Why the account is being disabled today, for the record of it."""
    if not Person.objects.filter(
        agency=request.agency, employee_id=account.employee_id
    ).exists():
        return [ORPHAN_ACCOUNT]
    (item,) = worklist.compute(
        request.agency, people=Q(employee_id=account.employee_id)
    ).items
    return [r.code for r in item.reasons if r.kind == DEACTIVATE]


@agency_view("roster.deactivate")
def deactivate(request: AgencyRequest, pk: int) -> HttpResponse:
    """Record that the ACC disabled an account in CLETS (AC-2(3): within a week)."""
    account = agency_object_or_404(request, SystemAccount, pk=pk)
    back = _next_url(request)
    if account.status != SystemAccount.Status.ACTIVE:
        messages.info(request, f"{account.operator_id} is already disabled.")
        return redirect(back)
    form = DeactivateForm(
        request.POST or None,
        today=request.agency.today(),
        created=account.created_date,
    )
    if request.method == "POST" and form.is_valid():
        account.mark_deactivated(
            on=form.cleaned_data["on"],
            by=request.user.get_username(),
            user=request.user,
            note=form.cleaned_data["note"].strip(),
            reasons=";".join(_deactivate_reasons(request, account)),
        )
        messages.success(
            request,
            f"{account.operator_id} marked deactivated on "
            f"{form.cleaned_data['on']:%Y-%m-%d}.",
        )
        return redirect(back)
    person = Person.objects.filter(
        agency=request.agency, employee_id=account.employee_id
    ).first()
    return render(
        request,
        "personnel/deactivate.html",
        {"account": account, "person": person, "form": form, "next": back},
        status=400 if request.method == "POST" else 200,
    )


@agency_view("roster.revoke")
def revoke(request: AgencyRequest, pk: int) -> HttpResponse:
    person = agency_object_or_404(request, Person, pk=pk)
    form = RevokeForm(request.POST or None, today=request.agency.today())
    if request.method == "POST" and form.is_valid():
        person.revoke_access(
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"].strip(),
            by=request.user.get_username(),
        )
        messages.warning(
            request,
            f"Access of {person.name} recorded as revoked: deactivate their CLETS "
            "accounts (see the worklist).",
        )
        return redirect("roster:person", ori=request.agency.ori, pk=person.pk)
    return render(
        request,
        "personnel/revoke.html",
        {"person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# -- expiring -------------------------------------------------------------------------


@agency_view("roster.view")
def expiring(request: AgencyRequest) -> HttpResponse:
    """What falls due in the next 30, 60 or 90 days: recertifications, training,
    reinvestigations and new operators' first tests."""
    form = ExpiringForm(request.GET or None)
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 30
    result = worklist.compute(request.agency, people=scope(request), upcoming=True)
    end = result.as_of + dt.timedelta(days=days)
    rows = sorted(
        (
            (due, item)
            for item in result.items
            for due in item.upcoming
            if due.due <= end
        ),
        key=lambda row: (row[0].due, row[1].name),
    )
    return render(
        request,
        "personnel/expiring.html",
        {
            "rows": rows,
            "days": days,
            "windows": (30, 60, 90),
            "end": end,
            "today": result.as_of,
        },
    )
