"""Pages of the agreements register: the register (filters, CSV/XLSX/PDF), an
agreement, vendors, the kinds of agreement, and their create/edit forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may
from accdesk.agreements import rules
from accdesk.agreements.forms import (
    AgreementForm,
    KindForm,
    RegisterFilterForm,
    VendorForm,
)
from accdesk.agreements.models import (
    Agreement,
    AgreementKind,
    Status,
    Vendor,
    kinds_for,
)
from accdesk.core.audit import record_event
from accdesk.lib.exports import pdf_response
from accdesk.lib.listing import Column, download, filters_used, paginate, wants_download
from accdesk.personnel.models import Person


def _status_today(day: dt.date) -> Any:
    return lambda a: a.status_on(day)


def register_columns(day: dt.date) -> list[Column]:
    """The register's columns; a download's header is the import's (plus the
    status that counts today and the topics), so an export imports again."""
    return [
        Column("reference", "Reference"),
        Column("kind", "Kind", order="kind__code", value=lambda a: a.kind.code),
        Column("party", "Party"),
        Column("party_ori", "Party ORI"),
        Column(
            "vendor",
            "Vendor",
            order="vendor__name",
            value=lambda a: a.vendor.name if a.vendor else "",
        ),
        Column("signatory", "Signatory"),
        Column("signatory_title", "Title"),
        Column("signed_date", "Signed"),
        Column("effective_date", "Effective"),
        Column("expiry_date", "Expires"),
        Column("status", "Recorded status"),
        Column("employee_id", "Employee ID"),
        Column(
            "status_today", "Status today", sortable=False, value=_status_today(day)
        ),
        Column(
            "topics",
            "Topics covered",
            sortable=False,
            value=lambda a: a.topics if a.kind.user_agreement else "",
        ),
    ]


def _filtered(
    request: AgencyRequest, form: RegisterFilterForm, day: dt.date
) -> QuerySet[Agreement]:
    rows = Agreement.objects.filter(agency=request.agency).select_related(
        "kind", "vendor"
    )
    if not form.is_valid():
        return rows
    data = form.cleaned_data
    if q := data["q"].strip():
        rows = rows.filter(
            Q(reference__icontains=q)
            | Q(party__icontains=q)
            | Q(signatory__icontains=q)
            | Q(vendor__name__icontains=q)
        )
    if data["kind"]:
        rows = rows.filter(kind__code=data["kind"])
    if data["vendor"]:
        rows = rows.filter(vendor_id=data["vendor"])
    if status := data["status"]:
        # The status that counts today: past its expiry date, an agreement is
        # expired whatever was recorded (Agreement.status_on).
        passed = Q(expiry_date__lt=day)
        rows = rows.filter(
            passed | Q(status=Status.EXPIRED)
            if status == Status.EXPIRED
            else Q(status=status) & ~passed
        )
    if due := data["due"]:
        live = Q(status__in=(Status.IN_FORCE, Status.DRAFT))
        if due == "expired":
            rows = rows.filter(live, expiry_date__lt=day)
        else:
            until = day + dt.timedelta(days=int(due))
            rows = rows.filter(live, expiry_date__gte=day, expiry_date__lte=until)
    return rows


@agency_view("agreements.view")
def register(request: AgencyRequest) -> HttpResponse:
    day = request.agency.today()
    form = RegisterFilterForm(request.GET or None, agency=request.agency)
    rows = _filtered(request, form, day)
    columns = register_columns(day)
    filters = ", ".join(filters_used(request.GET)) or "none"
    if request.GET.get("format") == "pdf":
        record_event(
            "export",
            agency_id=request.agency.pk,
            message=f"agreements register (pdf); filters: {filters}",
        )
        return pdf_response(
            f"agreements-{request.agency.ori}-{day}.pdf",
            "agreements/register_pdf.html",
            {
                "agency": request.agency,
                "rows": [
                    (a, a.status_on(day), rules.topic_checklist(a))
                    for a in rows.order_by("kind__form_number", "reference")
                ],
                "findings": rules.agency_findings(request.agency, day),
                "today": day,
            },
            request,
        )
    if fmt := wants_download(request):
        record_event(
            "export",
            agency_id=request.agency.pk,
            message=f"agreements register ({fmt}); filters: {filters}",
        )
        return download(
            request,
            rows,
            columns,
            fmt=fmt,
            filename=f"agreements-{request.agency.ori}-{day}",
            default_sort="reference",
        )
    listing = paginate(request, rows, columns, default_sort="reference")
    return render(
        request,
        "agreements/register.html",
        {
            "form": form,
            "listing": listing,
            "page": listing.page,
            "query": listing.query,
            "rows": [(a, a.status_on(day)) for a in listing],
            "findings": rules.agency_findings(request.agency, day),
            "addenda": rules.missing_addenda(request.agency, day),
            "pdf_url": listing.download_url("pdf"),
            "today": day,
            "can_edit": may(request, "agreements.edit"),
            "can_import": may(request, "agreements.import"),
        },
    )


@agency_view("agreements.view")
def detail(request: AgencyRequest, pk: int) -> HttpResponse:
    agreement = agency_object_or_404(
        request, Agreement.objects.select_related("kind", "vendor"), pk=pk
    )
    day = request.agency.today()
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "status_today": agreement.status_on(day),
            "checklist": rules.topic_checklist(agreement)
            if agreement.kind.user_agreement
            else [],
            "today": day,
            "can_edit": may(request, "agreements.edit"),
        },
    )


def _agreement_form(
    request: AgencyRequest, agreement: Agreement, title: str
) -> HttpResponse:
    form = AgreementForm(
        request.POST or None, instance=agreement, agency=request.agency
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Agreement {agreement.reference} saved.")
        return redirect("agreements:detail", ori=request.agency.ori, pk=agreement.pk)
    return render(
        request,
        "agreements/agreement_form.html",
        {"form": form, "title": title, "agreement": agreement},
        status=400 if form.errors else 200,
    )


@agency_view("agreements.edit")
def add_agreement(request: AgencyRequest) -> HttpResponse:
    agreement = Agreement(agency=request.agency)
    return _agreement_form(request, agreement, "New agreement")


@agency_view("agreements.edit")
def edit_agreement(request: AgencyRequest, pk: int) -> HttpResponse:
    agreement = agency_object_or_404(request, Agreement, pk=pk)
    return _agreement_form(request, agreement, f"Edit {agreement.reference}")


# -- vendors --------------------------------------------------------------------------


@agency_view("agreements.view")
def vendors(request: AgencyRequest) -> HttpResponse:
    day = request.agency.today()
    missing = {f.vendor.pk for f in rules.vendor_findings(request.agency, day)}
    rows = [
        (v, v.pk not in missing) for v in Vendor.objects.filter(agency=request.agency)
    ]
    return render(
        request,
        "agreements/vendors.html",
        {"rows": rows, "can_edit": may(request, "agreements.edit")},
    )


@agency_view("agreements.view")
def vendor(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, Vendor, pk=pk)
    day = request.agency.today()
    people = Person.objects.filter(agency=request.agency, employer__iexact=item.name)
    missing = {
        p.pk
        for p, _ in rules.missing_addenda(
            request.agency, day, Q(employer__iexact=item.name)
        )
    }
    agreements = item.agreements.select_related("kind")
    return render(
        request,
        "agreements/vendor.html",
        {
            "vendor": item,
            "agreements": [(a, a.status_on(day)) for a in agreements],
            "people": [(p, p.pk in missing) for p in people],
            "mca_missing": any(
                f.vendor.pk == item.pk
                for f in rules.vendor_findings(request.agency, day)
            ),
            "can_edit": may(request, "agreements.edit"),
            "show_people": may(request, "roster.view")
            and request.membership.role != "supervisor",
        },
    )


def _vendor_form(request: AgencyRequest, item: Vendor, title: str) -> HttpResponse:
    form = VendorForm(request.POST or None, instance=item, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Vendor {item.name} saved.")
        return redirect("agreements:vendor", ori=request.agency.ori, pk=item.pk)
    return render(
        request,
        "agreements/simple_form.html",
        {"form": form, "title": title, "back": "agreements:vendors"},
        status=400 if form.errors else 200,
    )


@agency_view("agreements.edit")
def add_vendor(request: AgencyRequest) -> HttpResponse:
    return _vendor_form(request, Vendor(agency=request.agency), "New vendor")


@agency_view("agreements.edit")
def edit_vendor(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, Vendor, pk=pk)
    return _vendor_form(request, item, f"Edit {item.name}")


# -- kinds ----------------------------------------------------------------------------


@agency_view("agreements.view")
def kinds(request: AgencyRequest) -> HttpResponse:
    return render(
        request,
        "agreements/kinds.html",
        {
            "kinds": kinds_for(request.agency),
            "can_edit": may(request, "agreements.edit"),
        },
    )


def _kind_form(request: AgencyRequest, kind: AgreementKind, title: str) -> HttpResponse:
    form = KindForm(request.POST or None, instance=kind, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Kind {kind.name} saved.")
        return redirect("agreements:kinds", ori=request.agency.ori)
    return render(
        request,
        "agreements/simple_form.html",
        {"form": form, "title": title, "back": "agreements:kinds"},
        status=400 if form.errors else 200,
    )


@agency_view("agreements.edit")
def add_kind(request: AgencyRequest) -> HttpResponse:
    return _kind_form(
        request, AgreementKind(agency=request.agency), "New kind of agreement"
    )


@agency_view("agreements.edit")
def edit_kind(request: AgencyRequest, pk: int) -> HttpResponse:
    # The standard kinds (no agency) are not the agency's to change.
    kind = agency_object_or_404(request, AgreementKind, pk=pk)
    return _kind_form(request, kind, f"Edit {kind.name}")
