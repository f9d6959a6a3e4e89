"""Pages of the annual misuse report: the years, one year's report (page, CSV, PDF,
JSON) and recording that it was sent. Every view and export is recorded."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accdesk.agency.tenancy import AgencyRequest, agency_view, may
from accdesk.core.audit import record_event
from accdesk.investigations import report as annual
from accdesk.investigations.forms import ReportSentForm
from accdesk.investigations.reporting import (
    record_sent,
    report_context,
    report_statuses,
    status_of,
)
from accdesk.lib.exports import csv_response, pdf_response

TEMPLATE = "investigations/report.html"
FIRST_YEAR = 1970  # a sanity bound for years typed into a URL


def _check_year(request: AgencyRequest, year: int) -> None:
    if not FIRST_YEAR <= year <= request.agency.today().year:
        raise Http404("No report for that year.")


@agency_view("investigations.view")
def report_list(request: AgencyRequest) -> HttpResponse:
    statuses = report_statuses(request.agency, request.agency.today())
    return render(request, "investigations/report_list.html", {"statuses": statuses})


@agency_view("investigations.view")
def report_page(request: AgencyRequest, year: int) -> HttpResponse:
    _check_year(request, year)
    today = request.agency.today()
    form = ReportSentForm(today=today, year=year)
    return _render(request, year, form)


def _render(
    request: AgencyRequest, year: int, form: ReportSentForm, status: int = 200
) -> HttpResponse:
    context = report_context(request.agency, year, request.agency.today())
    record_event(
        "view", agency_id=request.agency.pk, message=f"misuse report for {year}"
    )
    context.update(form=form, can_send=may(request, "investigations.send_report"))
    return render(request, TEMPLATE, context, status=status)


@agency_view("investigations.view")
def download_report(request: AgencyRequest, year: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "pdf", "json"):
        raise Http404("Unknown format.")
    _check_year(request, year)
    context = report_context(request.agency, year, request.agency.today())
    report = context["report"]
    record_event(
        "export",
        agency_id=request.agency.pk,
        message=f"misuse report for {year} ({fmt})",
    )
    filename = annual.filename(report, fmt)
    if fmt == "csv":
        return csv_response(filename, annual.CSV_HEADER, annual.csv_rows(report))
    if fmt == "pdf":
        return pdf_response(filename, TEMPLATE, context, request)
    response = HttpResponse(
        json.dumps(report, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@agency_view("investigations.send_report")
@require_POST
def report_sent(request: AgencyRequest, year: int) -> HttpResponse:
    _check_year(request, year)
    today = request.agency.today()
    if not status_of(request.agency, year, today).is_open:
        messages.error(request, f"The report for {year} is not waiting to be sent.")
        return redirect("investigations:report", ori=request.agency.ori, year=year)
    form = ReportSentForm(request.POST, today=today, year=year)
    if not form.is_valid():
        return _render(request, year, form, status=400)
    record_sent(
        request.agency,
        year,
        sent_on=form.cleaned_data["sent_on"],
        by=request.user,
        how=form.cleaned_data["sent_how"],
    )
    messages.success(
        request, f"The misuse report for {year} is recorded as sent; task closed."
    )
    return redirect("dashboard:agency", ori=request.agency.ori)
