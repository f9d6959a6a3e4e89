"""Pages of the release log: list and search, quick entry, corrections, entry
detail, verification, import and the inspection export. There is no edit or delete
view: entries are append-only (AU-9); a correction is a new entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may
from accdesk.agency.uploads import upload_view
from accdesk.core.audit import record_event
from accdesk.core.downloads import list_download
from accdesk.lib.env import ConfigurationError
from accdesk.lib.exports import csv_response, pdf_response
from accdesk.lib.listing import (
    Column,
    filters_used,
    paginate,
    read_filters,
    wants_download,
)
from accdesk.personnel.models import Person
from accdesk.releaselogs import inspection
from accdesk.releaselogs.chain import ChainBusy, append, head
from accdesk.releaselogs.forms import CorrectionForm, EntryForm, RangeForm, SearchForm
from accdesk.releaselogs.importer import RELEASE_LOG
from accdesk.releaselogs.models import ChainCheck, EntryQuerySet, ReleaseLogEntry
from accdesk.releaselogs.retention import retention_years, years_before
from accdesk.releaselogs.verification import verify

SESSION_KEY = "releaselog_last"


def _entries(request: AgencyRequest) -> EntryQuerySet:
    return ReleaseLogEntry.objects.filter(agency=request.agency)


def _chain_context(request: AgencyRequest) -> dict[str, Any]:
    return {
        "head": head(request.agency),
        "last_check": ChainCheck.objects.filter(agency=request.agency).first(),
        "can_verify": may(request, "releaselog.verify"),
    }


def _columns(request: AgencyRequest) -> list[Column]:
    """The list's columns; a download holds every field of an entry, its times in
    the agency's time zone (read now: a streamed file is written after the view
    has returned)."""
    tz = request.agency.tz

    def local(name: str) -> Any:
        return lambda entry: getattr(entry, name).astimezone(tz)

    return [
        Column("sequence", "#"),
        Column("released_at", "Released", value=local("released_at")),
        Column("requesting_agency", "To", order=Lower("requesting_agency")),
        Column("requesting_ori", "ORI", order=Lower("requesting_ori")),
        Column("requesting_terminal", "Requesting terminal"),
        Column("receiving_terminal", "Receiving terminal"),
        Column("requestor_name", "Requestor", order=Lower("requestor_name")),
        Column("information", "Information", order=Lower("information")),
        Column("method", "How"),
        Column("purpose", "Purpose", order=Lower("purpose")),
        Column("case_number", "Case", order=Lower("case_number")),
        Column("released_by", "Released by", order=Lower("released_by")),
        Column("corrects_sequence", "Corrects"),
        Column("superseded_by", "Superseded by"),
        Column("recorded_at", "Recorded", value=local("recorded_at")),
    ]


PAGE_COLUMNS = (
    "sequence",
    "released_at",
    "requesting_agency",
    "requestor_name",
    "information",
    "method",
    "case_number",
    "released_by",
)


@agency_view("releaselog.view")
def entry_list(request: AgencyRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    data = read_filters(request, form)
    entries = _entries(request).with_superseded_by()
    if text := data["q"].strip():
        entries = entries.search(text)
    if data["method"]:
        entries = entries.filter(method=data["method"])
    entries = entries.released_between(
        data["released_from"], data["released_to"], request.agency.tz
    )
    columns = _columns(request)
    if fmt := wants_download(request):
        # Who received CORI, in a file: for those who may export the log.
        if not may(request, "releaselog.export"):
            raise PermissionDenied
        return list_download(
            request,
            entries,
            columns,
            fmt=fmt,
            what="release log",
            filename=f"release-log-{request.agency.ori}",
            default_sort="-released_at",
            filters=form.fields,
        )
    by_key = {c.key: c for c in columns}
    listing = paginate(
        request,
        entries,
        [by_key[key] for key in PAGE_COLUMNS],
        default_sort="-released_at",
        filters=form.fields,
    )
    # Seeing who received CORI is itself an access to record (AU-2). The search
    # words may name a subject, so the trail keeps which filters were used only.
    filters = filters_used(listing.params)
    record_event(
        "view",
        agency_id=request.agency.pk,
        message=f"release log, page {listing.page.number}"
        + (f", filtered by {', '.join(filters)}" if filters else ""),
    )
    return render(
        request,
        "releaselogs/entry_list.html",
        {
            "form": form,
            "listing": listing,
            "can_record": may(request, "releaselog.record"),
            "can_export": may(request, "releaselog.export"),
            "can_import": may(request, "releaselog.import"),
            **_chain_context(request),
        },
    )


def _suggestions(request: AgencyRequest) -> dict[str, list[str]]:
    """``<datalist>`` suggestions: agencies released to before, roster names."""
    recent = _entries(request).order_by("-sequence")[:500]
    people = Person.objects.filter(agency=request.agency).exclude(
        employment_status=Person.Status.SEPARATED
    )
    return {
        "known_agencies": sorted(
            set(recent.values_list("requesting_agency", flat=True))
        ),
        "roster_names": [person.name for person in people],
    }


def _remembered(request: AgencyRequest) -> dict[str, str]:
    return request.session.get(SESSION_KEY, {}).get(str(request.agency.pk), {})


def _remember(request: AgencyRequest, values: dict[str, str]) -> None:
    remembered = request.session.get(SESSION_KEY, {})
    remembered[str(request.agency.pk)] = values
    request.session[SESSION_KEY] = remembered


def _save(request: AgencyRequest, form: EntryForm) -> ReleaseLogEntry | None:
    try:
        return append(form.instance)
    except (ChainBusy, ConfigurationError) as exc:
        form.add_error(None, str(exc))
    except IntegrityError:  # a correction saved by someone else a moment ago
        form.add_error(None, "This entry has just been corrected by someone else.")
    return None


@agency_view("releaselog.record")
def add_entry(request: AgencyRequest) -> HttpResponse:
    """The quick-entry form; after saving it comes back empty, with the requesting
    agency, terminals, method and releaser remembered for the next entry."""
    remembered = _remembered(request)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = EntryForm(
        request.POST or None,
        instance=ReleaseLogEntry(agency=request.agency),
        initial={"released_at": now, "released_by": request.user.display_name}
        | remembered,
        focus="requestor_name" if remembered else "requesting_agency",
    )
    if request.method == "POST" and form.is_valid():
        entry = _save(request, form)
        if entry is not None:
            _remember(request, form.remembered())
            messages.success(request, f"Saved as entry #{entry.sequence}.")
            return redirect("releaselogs:add", ori=request.agency.ori)
    return render(
        request,
        "releaselogs/entry_form.html",
        {"form": form, "title": "Record a release", **_suggestions(request)},
        status=400 if form.errors else 200,
    )


@agency_view("releaselog.record")
def correct_entry(request: AgencyRequest, sequence: int) -> HttpResponse:
    original = agency_object_or_404(request, ReleaseLogEntry, sequence=sequence)
    correction = _entries(request).filter(corrects_sequence=sequence).first()
    if correction is not None:
        messages.error(
            request,
            f"Entry #{sequence} was already corrected by #{correction.sequence}: "
            "correct that one instead.",
        )
        return redirect(
            "releaselogs:detail", ori=request.agency.ori, sequence=correction.sequence
        )
    if request.method != "POST":
        record_event("view", obj=original)  # the form shows the whole entry
    form = CorrectionForm(
        request.POST or None,
        instance=ReleaseLogEntry(agency=request.agency, corrects_sequence=sequence),
        initial={name: getattr(original, name) for name in EntryForm.Meta.fields},
    )
    if request.method == "POST" and form.is_valid():
        entry = _save(request, form)
        if entry is not None:
            messages.success(
                request, f"Saved as entry #{entry.sequence}, correcting #{sequence}."
            )
            return redirect(
                "releaselogs:detail", ori=request.agency.ori, sequence=entry.sequence
            )
    return render(
        request,
        "releaselogs/entry_form.html",
        {
            "form": form,
            "title": f"Correct entry #{sequence}",
            "original": original,
            **_suggestions(request),
        },
        status=400 if form.errors else 200,
    )


@agency_view("releaselog.view")
def entry_detail(request: AgencyRequest, sequence: int) -> HttpResponse:
    entry = agency_object_or_404(
        request,
        ReleaseLogEntry.objects.with_superseded_by().select_related(
            "released_by_person"
        ),
        sequence=sequence,
    )
    record_event("view", obj=entry)
    corrected = None
    if entry.corrects_sequence is not None:
        corrected = _entries(request).filter(sequence=entry.corrects_sequence).first()
    return render(
        request,
        "releaselogs/entry_detail.html",
        {
            "entry": entry,
            "corrected": corrected,
            "can_correct": may(request, "releaselog.record")
            and entry.superseded_by is None,
        },
    )


@agency_view("releaselog.verify")
@require_POST
def verify_chain(request: AgencyRequest) -> HttpResponse:
    try:
        result = verify(request.agency)
    except ConfigurationError as exc:  # the key is missing
        messages.error(request, str(exc))
        return redirect("releaselogs:list", ori=request.agency.ori)
    if result.ok:
        messages.success(request, f"The chain is {result.summary()}.")
    else:
        messages.error(request, f"The chain is {result.summary()}")
    return redirect("releaselogs:list", ori=request.agency.ori)


def _range_form(request: AgencyRequest) -> RangeForm:
    today = request.agency.today()
    if request.GET:
        return RangeForm(request.GET)
    # Unbound: suggest the retention period, the span an inspector may ask for.
    start = years_before(today, retention_years()).replace(month=1, day=1)
    return RangeForm(initial={"released_from": start, "released_to": today})


def _range(form: RangeForm) -> tuple[dt.date, dt.date]:
    return form.cleaned_data["released_from"], form.cleaned_data["released_to"]


def _inspection(request: AgencyRequest, form: RangeForm) -> HttpResponse:
    """The inspection export on screen (print it, or download CSV / PDF)."""
    context: dict[str, Any] = {"form": form, "query": request.GET.urlencode()}
    if form.is_bound and form.is_valid():
        first, last = _range(form)
        context |= inspection.document_context(request.agency, first, last)
        inspection.record_export(
            request.agency, "printable page", first, last, len(context["entries"])
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "releaselogs/inspection.html", context, status=status)


@agency_view("releaselog.export")
def inspection_page(request: AgencyRequest) -> HttpResponse:
    return _inspection(request, _range_form(request))


@agency_view("releaselog.export")
def inspection_csv(request: AgencyRequest) -> HttpResponse:
    form = RangeForm(request.GET)
    if not form.is_valid():
        return _inspection(request, form)
    first, last = _range(form)
    entries = inspection.entries_between(request.agency, first, last)
    inspection.record_export(request.agency, "CSV", first, last, entries.count())
    return csv_response(
        inspection.filename(request.agency, first, last, "csv"),
        inspection.CSV_HEADER,
        inspection.csv_rows(request.agency, entries),
    )


@agency_view("releaselog.export")
def inspection_pdf(request: AgencyRequest) -> HttpResponse:
    form = RangeForm(request.GET)
    if not form.is_valid():
        return _inspection(request, form)
    first, last = _range(form)
    context = inspection.document_context(request.agency, first, last)
    inspection.record_export(
        request.agency, "PDF", first, last, len(context["entries"])
    )
    return pdf_response(
        inspection.filename(request.agency, first, last, "pdf"),
        "releaselogs/inspection_pdf.html",
        context,
        request,
        landscape=True,
    )


upload_entries = upload_view(
    RELEASE_LOG,
    action="releaselog.import",
    done="releaselogs:list",
    help_template="releaselogs/_import_help.html",
)
