"""Pages and downloads of the records an auditor asks for: the operator training
and testing record, the unescorted-access list, and the annual account review
(``records.py`` and ``reviews.py`` hold the data; every download is recorded)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accdesk.agency.forms import DateInput
from accdesk.agency.tenancy import (
    AgencyRequest,
    agency_object_or_404,
    agency_view,
    may,
)
from accdesk.core.audit import record_event
from accdesk.lib.exports import XLSX_TYPE, csv_response, pdf_response, xlsx_response
from accdesk.personnel import records, reviews
from accdesk.personnel.models import AccountReview, AccountReviewLine, Person
from accdesk.personnel.scoping import scope


def _format(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise Http404("No such file format.")
    return fmt


def _operator_file(
    request: AgencyRequest, found: list[records.OperatorRecord], fmt: str, name: str
) -> HttpResponse:
    content = records.operator_record_file(request.agency, found, fmt, request)
    response = HttpResponse(
        content, content_type=XLSX_TYPE if fmt == "xlsx" else "application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@agency_view("roster.records")
def operator_records(request: AgencyRequest, fmt: str) -> HttpResponse:
    """Every operator's training and testing record (CLETS PPP)."""
    fmt = _format(fmt, records.OPERATOR_FORMATS)
    found = records.operator_records(request.agency)
    record_event(
        "export",
        agency_id=request.agency.pk,
        message=f"operator training and testing record ({fmt}), "
        f"{len(found)} operator(s)",
    )
    return _operator_file(
        request,
        found,
        fmt,
        f"operator-records-{request.agency.ori}-{request.agency.today():%Y-%m-%d}",
    )


@agency_view("roster.records")
def person_operator_record(request: AgencyRequest, pk: int, fmt: str) -> HttpResponse:
    fmt = _format(fmt, records.OPERATOR_FORMATS)
    person = agency_object_or_404(request, Person, pk=pk)
    found = records.operator_records(request.agency, Q(pk=person.pk))
    record_event("export", obj=person, message=f"operator record ({fmt})")
    return _operator_file(
        request,
        found,
        fmt,
        f"operator-record-{request.agency.ori}-{person.employee_id}",
    )


@agency_view("roster.records")
def unescorted_access(request: AgencyRequest, fmt: str) -> HttpResponse:
    """The list of everyone authorized for unescorted access, for the CSO
    (CJISSECPOL v5.9.5 §5.12.1)."""
    fmt = _format(fmt, ("pdf", "csv"))
    agency = request.agency
    found = records.unescorted_access(agency)
    record_event(
        "export",
        agency_id=agency.pk,
        message=f"unescorted-access list ({fmt}), {len(found)} person(s)",
    )
    name = f"unescorted-access-{agency.ori}-{agency.today():%Y-%m-%d}"
    if fmt == "csv":
        return csv_response(
            f"{name}.csv", records.UNESCORTED_HEADER, records.unescorted_rows(found)
        )
    return pdf_response(
        f"{name}.pdf",
        "personnel/unescorted_pdf.html",
        {"agency": agency, "entries": found, "today": agency.today()},
        request,
    )


# -- the annual account review --------------------------------------------------------


@agency_view("reviews.view")
def reviews_page(request: AgencyRequest) -> HttpResponse:
    return render(
        request,
        "personnel/reviews.html",
        {
            "status": reviews.review_status(request.agency),
            "reviews": AccountReview.objects.filter(agency=request.agency),
            "can_manage": may(request, "reviews.manage"),
        },
    )


@require_POST
@agency_view("reviews.manage")
def start_review(request: AgencyRequest) -> HttpResponse:
    status = reviews.review_status(request.agency)
    if status.open_review is not None:
        messages.info(request, "A review is already in progress.")
        review = status.open_review
    else:
        review = reviews.start_review(request.agency, by=request.user.get_username())
        messages.success(
            request, f"Account review started: {review.lines.count()} account(s)."
        )
    return redirect("roster:review", ori=request.agency.ori, pk=review.pk)


def _lines(request: AgencyRequest, review: AccountReview):  # noqa: ANN202
    """The review's lines the member sees: a supervisor, their people's only."""
    lines = review.lines.select_related("account")
    if scope(request) is not None:
        people = Person.objects.filter(agency=request.agency).filter(scope(request))
        lines = lines.filter(employee_id__in=people.values("employee_id"))
    return lines


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=AccountReviewLine.Decision.choices)
    new_access_level = forms.ChoiceField(
        label="New level",
        required=False,
        choices=[("", "—"), *AccountReviewLine._meta.get_field("access_level").choices],
    )
    note = forms.CharField(required=False, max_length=500)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == AccountReviewLine.Decision.CHANGED and not data.get(
            "new_access_level"
        ):
            self.add_error("new_access_level", "Choose the new level.")
        return data


class SignOffForm(forms.Form):
    completed_on = forms.DateField(label="Review completed on", widget=DateInput())
    note = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


@agency_view("reviews.view")
def review(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, AccountReview, pk=pk)
    lines = list(_lines(request, item))
    return render(
        request,
        "personnel/review.html",
        {
            "review": item,
            "lines": lines,
            "undecided": reviews.undecided(item),
            "can_decide": may(request, "reviews.decide") and not item.completed,
            "can_manage": may(request, "reviews.manage") and not item.completed,
            "decisions": AccountReviewLine.Decision.choices,
            "levels": AccountReviewLine._meta.get_field("access_level").choices,
            "sign_off": SignOffForm(initial={"completed_on": request.agency.today()}),
        },
    )


@require_POST
@agency_view("reviews.decide")
def decide_line(request: AgencyRequest, pk: int, line: int) -> HttpResponse:
    item = agency_object_or_404(request, AccountReview, pk=pk)
    found = agency_object_or_404(request, _lines(request, item), pk=line)
    back = redirect("roster:review", ori=request.agency.ori, pk=item.pk)
    if item.completed:
        messages.error(request, "This review is signed off: it cannot change.")
        return back
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, f"{found.operator_id}: {' '.join(errors)}")
        return back
    reviews.decide(
        found,
        decision=form.cleaned_data["decision"],
        new_level=form.cleaned_data["new_access_level"],
        note=form.cleaned_data["note"].strip(),
        by=request.user.get_username(),
        on=request.agency.today(),
    )
    messages.success(request, f"{found.operator_id}: {found.get_decision_display()}.")
    return back


@require_POST
@agency_view("reviews.manage")
def sign_off(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, AccountReview, pk=pk)
    back = redirect("roster:review", ori=request.agency.ori, pk=item.pk)
    if item.completed:
        messages.info(request, "This review is already signed off.")
        return back
    if left := reviews.undecided(item):
        messages.error(
            request,
            f"{left} account(s) not reviewed yet: decide each before signing off.",
        )
        return back
    form = SignOffForm(request.POST)
    today = request.agency.today()
    if not form.is_valid():
        messages.error(request, "Give the date the review was completed.")
        return back
    on = form.cleaned_data["completed_on"]
    if on > today or on < item.started_on:
        messages.error(
            request,
            f"The completion date must be from {item.started_on:%Y-%m-%d} to today.",
        )
        return back
    reviews.sign_off(
        item, by=request.user.get_username(), on=on, note=form.cleaned_data["note"]
    )
    messages.success(request, f"Account review signed off on {on:%Y-%m-%d}.")
    return back


@agency_view("reviews.view")
def export_review(request: AgencyRequest, pk: int, fmt: str) -> HttpResponse:
    fmt = _format(fmt, ("csv", "xlsx", "pdf"))
    item = agency_object_or_404(request, AccountReview, pk=pk)
    lines = list(_lines(request, item))
    record_event("export", obj=item, message=f"account review ({fmt})")
    name = f"account-review-{request.agency.ori}-{item.started_on:%Y-%m-%d}"
    if fmt == "pdf":
        return pdf_response(
            f"{name}.pdf",
            "personnel/review_pdf.html",
            {"agency": request.agency, "review": item, "lines": lines},
            request,
        )
    rows = reviews.export_rows(lines)
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", reviews.EXPORT_HEADER, rows)
    return csv_response(f"{name}.csv", reviews.EXPORT_HEADER, rows)
