"""Pages of record validations: the worklist (by list and database, with the
30-day deadline), one record's validation, the completed validations for the
auditor (CSV/XLSX), entry quality (second-party checks, timely updates, hit
confirmations, the monthly summary) and the yearly ORI validation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may
from accdesk.core.downloads import list_download
from accdesk.lib.listing import Column, paginate, read_filters, wants_download
from accdesk.validations import oris, rules
from accdesk.validations.forms import (
    EntryCheckForm,
    HitForm,
    ListFilterForm,
    OriValidationForm,
    ValidationForm,
)
from accdesk.validations.models import EntryCheck, HitConfirmation, ListedRecord


@agency_view("validations.view")
def worklist(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    day = agency.today()
    data = read_filters(request, form := ListFilterForm(request.GET))
    groups = rules.worklist(agency, day)
    if database := data.get("database"):
        groups = [g for g in groups if g.database == database]
    return render(
        request,
        "validations/worklist.html",
        {
            "form": form,
            "groups": [
                (g, [(r, rules.clock_status(r, day)) for r in g.records])
                for g in groups
            ],
            "purge": rules.purge_warnings(agency, day),
            "missing": rules.missing_from_lists(agency),
            "no_master": rules.master_case_missing(agency),
            "today": day,
            "can_import": may(request, "validations.import"),
        },
    )


@agency_view("validations.view")
def record(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(
        request,
        ListedRecord.objects.select_related("validated_by", "second_party_by"),
        pk=pk,
    )
    can_edit = may(request, "validations.edit")
    form = ValidationForm(
        request.POST if request.method == "POST" and can_edit else None,
        instance=item,
        agency=request.agency,
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, f"Validation of {item} saved.")
            return redirect(item)
    day = request.agency.today()
    history = ListedRecord.objects.filter(
        agency=request.agency, database=item.database, record_id=item.record_id
    ).exclude(pk=item.pk)
    return render(
        request,
        "validations/record.html",
        {
            "record": item,
            "form": form,
            "due": rules.due_date(item),
            "status": rules.clock_status(item, day),
            "schedule": rules.schedule_state(
                item.entered_date,
                item.record_file,
                [h.validated_on for h in history if h.validated_on],
                day,
            ),
            "history": history,
            "can_edit": can_edit,
        },
        status=400 if form.errors else 200,
    )


def completed_columns() -> list[Column]:
    def user(name: str):  # noqa: ANN202
        return lambda r: getattr(r, name).display_name if getattr(r, name) else ""

    return [
        Column("database", "Database"),
        Column("record_id", "Record ID"),
        Column("record_file", "File"),
        Column("entered_date", "Entered"),
        Column("list_date", "List"),
        Column("due_date", "Due", sortable=False, value=rules.due_date),
        Column("sources", "Sources", sortable=False, value=lambda r: r.sources),
        Column("result", "Result"),
        Column(
            "master_case_located",
            "Master case located",
            value=lambda r: {True: "yes", False: "no"}.get(r.master_case_located, ""),
        ),
        Column(
            "validated_by", "Validated by", sortable=False, value=user("validated_by")
        ),
        Column("validated_on", "Validated on"),
        Column(
            "second_party_by",
            "Second-party check by",
            sortable=False,
            value=user("second_party_by"),
        ),
        Column("second_party_on", "Second-party check on"),
    ]


@agency_view("validations.view")
def completed(request: AgencyRequest) -> HttpResponse:
    rows = rules.completed(request.agency)
    columns = completed_columns()
    if fmt := wants_download(request):
        return list_download(
            request,
            rows,
            columns,
            fmt=fmt,
            what="completed validations",
            filename=f"validations-{request.agency.ori}-{request.agency.today()}",
            default_sort="list_date",
        )
    listing = paginate(request, rows, columns, default_sort="list_date")
    for row in listing:
        row.due = rules.due_date(row)
    return render(
        request,
        "validations/completed.html",
        {"listing": listing, "page": listing.page, "query": listing.query},
    )


@agency_view("validations.view")
def quality(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    checks = EntryCheck.objects.filter(agency=agency)[:50]
    hits = HitConfirmation.objects.filter(agency=agency)[:50]
    return render(
        request,
        "validations/quality.html",
        {
            "summary": rules.monthly_summary(agency),
            "checks": [(c, rules.second_party_ok(c), rules.timely(c)) for c in checks],
            "hits": [(h, rules.hit_met(h)) for h in hits],
            "can_edit": may(request, "validations.edit"),
        },
    )


def _quality_form(
    request: AgencyRequest, form_class: type, title: str, done: str
) -> HttpResponse:
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.agency = request.agency
        form.save()
        messages.success(request, f"{done} recorded.")
        return redirect("validations:quality", ori=request.agency.ori)
    return render(
        request,
        "validations/simple_form.html",
        {"form": form, "title": title, "back": "validations:quality"},
        status=400 if form.errors else 200,
    )


@agency_view("validations.edit")
def add_check(request: AgencyRequest) -> HttpResponse:
    return _quality_form(
        request, EntryCheckForm, "Entry or update and its check", "Entry check"
    )


@agency_view("validations.edit")
def add_hit(request: AgencyRequest) -> HttpResponse:
    return _quality_form(request, HitForm, "Hit confirmation", "Hit confirmation")


@agency_view("validations.view")
def ori(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    can_edit = may(request, "validations.edit")
    form = OriValidationForm(
        request.POST if request.method == "POST" else None,
        initial={"validated_on": agency.today(), **oris.profile_values(agency)},
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in oris.FIELDS}
            done = oris.validate(
                agency,
                values,
                form.cleaned_data["validated_on"],
                request.user.display_name,
                form.cleaned_data["notes"],
            )
            if done.confirmed:
                messages.success(
                    request, "ORI record confirmed: it matches the profile."
                )
            else:
                messages.warning(
                    request,
                    f"{len(done.mismatches)} difference(s) from the profile: they are "
                    "on the notice to DOJ.",
                )
            return redirect("validations:ori", ori=agency.ori)
    due, last = oris.next_due(agency)
    return render(
        request,
        "validations/ori.html",
        {
            "form": form,
            "profile": oris.profile_values(agency),
            "ori_type_label": agency.get_ori_access_display(),
            "history": agency.ori_validations.select_related("notice"),
            "due": due,
            "last": last,
            "can_edit": can_edit,
        },
        status=400 if form.errors else 200,
    )
