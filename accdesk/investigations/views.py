"""Pages of misuse cases: list, detail, open, edit, close, reopen, journal notes.

Case details are restricted (``investigations.view``: ACC and SPOC); every page
that shows a case goes through ``_case_page``, which records the view in the
change record.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Cast, Concat, Lower
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may
from accdesk.core.audit import record_event
from accdesk.core.downloads import list_download
from accdesk.investigations.forms import (
    CaseFilterForm,
    CaseForm,
    CloseCaseForm,
    NoteForm,
    ReopenCaseForm,
)
from accdesk.investigations.models import MisuseCase
from accdesk.lib.listing import Column, paginate, read_filters, wants_download

FILTERS = {
    "open": ("Open", lambda cases: cases.open()),
    "closed": ("Closed", lambda cases: cases.filter(closed_on__isnull=False)),
    "all": ("All", lambda cases: cases),
}

# The subject as the list shows it: the roster person, or the description.
_SUBJECT = Lower(
    Case(
        When(
            subject__isnull=False,
            then=Concat("subject__last_name", Value(", "), "subject__first_name"),
        ),
        default=F("subject_description"),
    )
)


def _subject_employee_id(case: MisuseCase) -> str:
    return case.subject.employee_id if case.subject else ""


# The columns of the list; a download has the columns of the import (so that it
# can be imported again elsewhere) and the subject's name.
COLUMNS = [
    Column("case_number", "Case", order=Lower("case_number")),
    Column("opened_date", "Opened", order="opened_on", value=attrgetter("opened_on")),
    Column("closed_date", "Closed", order="closed_on", value=attrgetter("closed_on")),
    Column("subject", "Subject", order=_SUBJECT, value=attrgetter("subject_label")),
    Column(
        "subject_employee_id",
        "Subject's employee ID",
        order="subject__employee_id",
        value=_subject_employee_id,
    ),
    Column("source", "Source"),
    Column("systems", "Systems", order=Cast("systems", TextField())),
    Column("allegation", "Allegation", order=Lower("allegation")),
    Column("finding", "Finding"),
    Column("action", "Action"),
    Column(
        "referred_for_prosecution",
        "Referred for prosecution",
        value=lambda case: "yes" if case.referred_for_prosecution else "no",
    ),
]
PAGE_COLUMNS = ("case_number", "opened_date", "closed_date", "subject", "source")
PAGE_COLUMNS += ("systems", "finding", "action")


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


def _with_show(params: QueryDict, show: str) -> str:
    params = params.copy()
    params["show"] = show
    return f"?{params.urlencode()}"


@agency_view("investigations.view")
def case_list(request: AgencyRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET)
    show = read_filters(request, form)["show"] or "open"
    label, narrow = FILTERS[show]
    cases = narrow(MisuseCase.objects.filter(agency=request.agency)).select_related(
        "subject"
    )
    if fmt := wants_download(request):
        return list_download(
            request,
            cases,
            COLUMNS,
            fmt=fmt,
            what=f"misuse case list ({label.lower()})",
            filename=f"misuse-cases-{request.agency.ori}-{show}",
            default_sort="-opened_date",
            filters=form.fields,
        )
    by_key = {c.key: c for c in COLUMNS}
    listing = paginate(
        request,
        cases,
        [by_key[key] for key in PAGE_COLUMNS],
        default_sort="-opened_date",
        filters=form.fields,
    )
    # The list shows subjects and allegations: a view of each case on it.
    shown = len(listing.page)
    record_event(
        "view",
        agency_id=request.agency.pk,
        message=f"misuse case list ({label.lower()}), page {listing.page.number}: "
        f"{shown} of {listing.count} case(s)",
    )
    return render(
        request,
        "investigations/case_list.html",
        {
            "listing": listing,
            "show": show,
            # The sort is kept when the filter changes.
            "filters": [
                (key, name, _with_show(listing.params, key))
                for key, (name, _) in FILTERS.items()
            ],
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
