"""Hand entry and editing from the person page (``entry.py`` has the forms), and
the person's transfers and access changes with their reviews."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view
from accdesk.personnel.entry import (
    KINDS,
    AccountForm,
    PersonForm,
    RecordForm,
    ReviewChangeForm,
    TransferForm,
)
from accdesk.personnel.models import AccessChange, Person, SystemAccount


def _person(request: AgencyRequest, pk: int) -> Person:
    return agency_object_or_404(request, Person, pk=pk)


def _back(request: AgencyRequest, person: Person, anchor: str = "") -> HttpResponse:
    response = redirect("roster:person", ori=request.agency.ori, pk=person.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _page(
    request: AgencyRequest,
    form: RecordForm | TransferForm | ReviewChangeForm,
    *,
    title: str,
    person: Person | None,
    button: str,
) -> HttpResponse:
    return render(
        request,
        "personnel/record_form.html",
        {"form": form, "title": title, "person": person, "button": button},
        status=400 if request.method == "POST" else 200,
    )


@agency_view("roster.edit")
def person_new(request: AgencyRequest) -> HttpResponse:
    form = PersonForm(
        request.POST or None,
        agency=request.agency,
        person=None,
        today=request.agency.today(),
    )
    if request.method == "POST" and form.is_valid():
        person = form.save(by=request.user.get_username())
        messages.success(request, f"{person.name} added to the roster.")
        return _back(request, person)
    return _page(request, form, title="Add a person", person=None, button="Add")


@agency_view("roster.edit")
def person_edit(request: AgencyRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = PersonForm(
        request.POST or None,
        agency=request.agency,
        person=person,
        instance=person,
        today=request.agency.today(),
    )
    if request.method == "POST" and form.is_valid():
        form.save(by=request.user.get_username())
        messages.success(request, f"{person.name} saved.")
        return _back(request, person)
    return _page(
        request, form, title=f"Edit {person.name}", person=person, button="Save"
    )


def _record_form(
    request: AgencyRequest, person: Person, kind: str, instance: object | None
) -> RecordForm:
    options = {
        "agency": request.agency,
        "person": person,
        "instance": instance,
    }
    if kind == "account":
        return AccountForm(
            request.POST or None, today=request.agency.today(), **options
        )
    return RecordForm(request.POST or None, kind=KINDS[kind], **options)


def _kind(kind: str) -> str:
    if kind not in KINDS or kind == "person":
        raise Http404("No such kind of record.")
    return kind


@agency_view("roster.edit")
def record_new(request: AgencyRequest, pk: int, kind: str) -> HttpResponse:
    person = _person(request, pk)
    form = _record_form(request, person, _kind(kind), None)
    if request.method == "POST" and form.is_valid():
        form.save(by=request.user.get_username())
        messages.success(request, f"{KINDS[kind].label.capitalize()} added.")
        return _back(request, person)
    return _page(
        request,
        form,
        title=f"Add a {KINDS[kind].label}: {person.name}",
        person=person,
        button="Add",
    )


def _instance(request: AgencyRequest, person: Person, kind: str, rec: int) -> object:
    model = KINDS[kind].model
    if kind == "account":
        return agency_object_or_404(
            request,
            SystemAccount.objects.filter(employee_id=person.employee_id),
            pk=rec,
        )
    if kind == "nextest":
        ops = SystemAccount.objects.filter(
            agency=request.agency, employee_id=person.employee_id
        ).values("operator_id")
        held = Q(operator_id__in=ops) | Q(
            operator_id="", employee_id=person.employee_id
        )
        return agency_object_or_404(request, model.objects.filter(held), pk=rec)
    return agency_object_or_404(request, model.objects.filter(person=person), pk=rec)


@agency_view("roster.edit")
def record_edit(request: AgencyRequest, pk: int, kind: str, rec: int) -> HttpResponse:
    person = _person(request, pk)
    instance = _instance(request, person, _kind(kind), rec)
    form = _record_form(request, person, kind, instance)
    if request.method == "POST" and form.is_valid():
        form.save(by=request.user.get_username())
        messages.success(request, f"{KINDS[kind].label.capitalize()} saved.")
        return _back(request, person)
    return _page(
        request,
        form,
        title=f"Edit a {KINDS[kind].label}: {person.name}",
        person=person,
        button="Save",
    )


@agency_view("roster.edit")
def transfer(request: AgencyRequest, pk: int) -> HttpResponse:
    """Record a transfer (CJISSECPOL v5.9.5 §5.12.3): it opens an access review,
    and with "no CLETS access needed" puts the accounts on the worklist."""
    person = _person(request, pk)
    form = TransferForm(request.POST or None, today=request.agency.today())
    if request.method == "POST" and form.is_valid():
        change = form.save(person, by=request.user.get_username())
        messages.warning(
            request,
            f"Transfer of {person.name} recorded: review their access"
            + (" and deactivate their CLETS accounts." if change.access_ends else "."),
        )
        return _back(request, person, "access-changes")
    return _page(
        request,
        form,
        title=f"Record a transfer: {person.name}",
        person=person,
        button="Record transfer",
    )


@agency_view("roster.edit")
def review_change(request: AgencyRequest, pk: int, change: int) -> HttpResponse:
    """Record that the access of the person was reviewed after a change: closes
    its ``ACCESS_REVIEW_DUE``."""
    person = _person(request, pk)
    item = agency_object_or_404(
        request, AccessChange.objects.filter(person=person), pk=change
    )
    if not item.needs_review:
        messages.info(request, "This change needs no review, or was reviewed.")
        return _back(request, person, "access-changes")
    form = ReviewChangeForm(
        request.POST or None, today=request.agency.today(), change=item
    )
    if request.method == "POST" and form.is_valid():
        form.save(by=request.user.get_username())
        messages.success(request, "Access review recorded.")
        return _back(request, person, "access-changes")
    return _page(
        request,
        form,
        title=f"Record the access review: {person.name} ({item})",
        person=person,
        button="Record review",
    )
