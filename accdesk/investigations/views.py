"""Pages of misuse cases: list, detail, open, edit, close, reopen, journal notes.

Case details are restricted (``investigations.view``: ACC and SPOC); every page
that shows a case goes through ``_case_page``, which records the view in the
change record.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may
from accdesk.core.audit import record_event
from accdesk.investigations.forms import (
    CaseForm,
    CloseCaseForm,
    NoteForm,
    ReopenCaseForm,
)
from accdesk.investigations.models import MisuseCase

FILTERS = {
    "open": ("Open", lambda cases: cases.open()),
    "closed": ("Closed", lambda cases: cases.filter(closed_on__isnull=False)),
    "all": ("All", lambda cases: cases),
}


def _get_case(request: AgencyRequest, pk: int) -> MisuseCase:
    return agency_object_or_404(
        request, MisuseCase.objects.select_related("subject", "agency"), pk=pk
    )


def _case_page(
    request: AgencyRequest,
    case: MisuseCase,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """Render a page that shows ``case``, recording that this user saw it."""
    record_event("view", obj=case, message=request.path)
    return render(request, template, {"case": case, **context}, status=status)


def _to_case(request: AgencyRequest, case: MisuseCase) -> HttpResponse:
    return redirect("investigations:detail", ori=request.agency.ori, pk=case.pk)


@agency_view("investigations.view")
def case_list(request: AgencyRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    label, narrow = FILTERS.get(show, FILTERS["open"])
    cases = list(
        narrow(MisuseCase.objects.filter(agency=request.agency)).select_related(
            "subject"
        )
    )
    # The list shows subjects and allegations: a view of each case on it.
    record_event(
        "view",
        agency_id=request.agency.pk,
        message=f"misuse case list ({label.lower()}): {len(cases)} case(s)",
    )
    return render(
        request,
        "investigations/case_list.html",
        {
            "cases": cases,
            "show": show if show in FILTERS else "open",
            "filters": [(key, name) for key, (name, _) in FILTERS.items()],
            "can_edit": may(request, "investigations.edit"),
        },
    )


@agency_view("investigations.view")
def case_detail(request: AgencyRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    return _case_page(
        request,
        case,
        "investigations/case_detail.html",
        {
            **_detail_context(request, case),
            "note_form": NoteForm(today=request.agency.today()),
        },
    )


def _detail_context(request: AgencyRequest, case: MisuseCase) -> dict[str, Any]:
    return {
        "notes": case.notes.select_related("author"),
        "leads": case.leads.all(),  # query-log leads the case was opened from
        "can_edit": may(request, "investigations.edit"),
        "reopen_form": ReopenCaseForm(),
        # A case closed in an earlier year stays closed (MisuseCase.reopen).
        "can_reopen": case.closed_on is not None
        and case.closed_on.year == request.agency.today().year,
    }


@agency_view("investigations.edit")
def add_case(request: AgencyRequest) -> HttpResponse:
    case = MisuseCase(agency=request.agency)
    form = CaseForm(request.POST or None, instance=case, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Case {case.case_number} opened.")
        return _to_case(request, case)
    return render(
        request, "investigations/case_form.html", {"form": form, "title": "New case"}
    )


@agency_view("investigations.edit")
def edit_case(request: AgencyRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    form = CaseForm(request.POST or None, instance=case, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Case {case.case_number} saved.")
        return _to_case(request, case)
    title = f"Edit case {case.case_number}"
    return _case_page(
        request,
        case,
        "investigations/case_form.html",
        {"form": form, "title": title},
        status=400 if form.errors else 200,
    )


@agency_view("investigations.edit")
def close_case(request: AgencyRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    if not case.is_open:
        return _to_case(request, case)
    form = CloseCaseForm(
        request.POST or None,
        today=request.agency.today(),
        initial={"referred_for_prosecution": case.referred_for_prosecution},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case.close(
                on=data["closed_on"],
                finding=data["finding"],
                action=data["action"],
                referred=data["referred_for_prosecution"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Case {case.case_number} closed.")
            return _to_case(request, case)
    return _case_page(
        request,
        case,
        "investigations/close_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@agency_view("investigations.edit")
@require_POST
def reopen_case(request: AgencyRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    if case.is_open:
        return _to_case(request, case)
    form = ReopenCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the case is reopened.")
        return _to_case(request, case)
    try:
        case.reopen(
            on=request.agency.today(),
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Case {case.case_number} reopened.")
    return _to_case(request, case)


@agency_view("investigations.edit")
@require_POST
def add_note(request: AgencyRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    form = NoteForm(request.POST, today=request.agency.today())
    if form.is_valid():
        data = form.cleaned_data
        case.add_note(data["written_on"], data["text"], by=request.user)
        return _to_case(request, case)
    return _case_page(
        request,
        case,
        "investigations/case_detail.html",
        {**_detail_context(request, case), "note_form": form},
        status=400,
    )
