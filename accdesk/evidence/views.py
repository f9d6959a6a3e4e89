"""Evidence pages: add a file to a record, a file's versions, the file itself, and
the agency's list of every file on record.

Every file is served by ``download`` only: members of the file's agency whose role
may see the record it is attached to (everyone else: 404, whatever id they try),
and every download is recorded in the change record.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import (
    content_disposition_header,
    url_has_allowed_host_and_scheme,
)
from django.views.decorators.http import require_POST

from accdesk.agency.models import Agency
from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may
from accdesk.core.audit import record_event
from accdesk.evidence import storage
from accdesk.evidence.attach import (
    EvidenceRefused,
    add_evidence,
    max_bytes,
    takes_evidence,
)
from accdesk.evidence.forms import EvidenceForm, SupersedeForm
from accdesk.evidence.models import EvidenceFile, Kind
from accdesk.evidence.uploads import memory_only_uploads
from accdesk.lib.listing import Column, download, filters_used, paginate, wants_download


def _record_or_404(
    request: AgencyRequest, app_label: str, model_name: str, pk: int
) -> models.Model:
    """A record of this agency that takes evidence, or 404."""
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
    except ContentType.DoesNotExist:
        raise Http404("No such record.") from None
    model = content_type.model_class()
    if model is None or not takes_evidence(model):
        raise Http404("No such record.")
    if model is Agency:
        if pk != request.agency.pk:
            raise Http404("No such record.")
        return request.agency
    return agency_object_or_404(request, model, pk=pk)


def _visible(request: AgencyRequest, evidence: EvidenceFile) -> EvidenceFile:
    """404 unless the member's role may see the record the file is attached to:
    a file must not be a way round the record's own rule."""
    model = evidence.content_type.model_class()
    if model is None or not may(request, model.evidence_view_action):
        raise Http404("No such file.")
    return evidence


def _evidence_or_404(request: AgencyRequest, pk: int) -> EvidenceFile:
    evidence = agency_object_or_404(
        request, EvidenceFile.objects.select_related("content_type", "owner"), pk=pk
    )
    return _visible(request, evidence)


def _may_add_to(request: AgencyRequest, record: models.Model) -> None:
    if not may(request, record.evidence_edit_action):
        raise PermissionDenied


def _next_url(request: AgencyRequest, fallback: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}):
        return url
    return fallback


def _detail_url(request: AgencyRequest, evidence: EvidenceFile) -> str:
    return reverse(
        "evidence:detail", kwargs={"ori": request.agency.ori, "pk": evidence.pk}
    )


def _save_upload(
    request: AgencyRequest,
    form: EvidenceForm,
    record: models.Model,
    replaces: EvidenceFile | None = None,
) -> EvidenceFile | None:
    """Validate and store the uploaded file; errors go onto the form."""
    handler = request.evidence_upload  # type: ignore[attr-defined]
    if handler.too_large:
        form.add_error(
            "file",
            f"“{handler.too_large}” is larger than the limit for evidence files "
            f"({max_bytes() // (1024 * 1024)} MB).",
        )
    if not form.is_valid():
        return None
    data = form.cleaned_data
    upload = data["file"]
    try:
        return add_evidence(
            request.agency,
            record,
            filename=upload.name,
            data=upload.read(),
            title=data["title"],
            kind=data["kind"],
            effective_date=data["effective_date"],
            expiry_date=data["expiry_date"],
            owner=data["owner"],
            notes=data["notes"],
            uploaded_by=request.user,
            replaces=replaces,
        )
    except EvidenceRefused as exc:
        form.add_error("file", str(exc))
        return None


@memory_only_uploads(max_bytes)
@agency_view("evidence.add")
def add(
    request: AgencyRequest, app_label: str, model_name: str, pk: int
) -> HttpResponse:
    record = _record_or_404(request, app_label, model_name, pk)
    _may_add_to(request, record)
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        agency=request.agency,
        owner=request.user.pk,
    )
    if request.method == "POST":
        evidence = _save_upload(request, form, record)
        if evidence is not None:
            messages.success(request, f"“{evidence.title}” added as evidence.")
            return redirect(_next_url(request, _detail_url(request, evidence)))
    return render(
        request,
        "evidence/upload.html",
        {
            "form": form,
            "record": record,
            "title": "Add evidence",
            "next": _next_url(request, ""),
            "max_mb": max_bytes() // (1024 * 1024),
        },
        status=400 if form.errors else 200,
    )


@memory_only_uploads(max_bytes)
@agency_view("evidence.add")
def new_version(request: AgencyRequest, pk: int) -> HttpResponse:
    previous = _evidence_or_404(request, pk)
    record = previous.record
    _may_add_to(request, record)
    if not previous.is_current:
        messages.error(request, "This version is superseded: add to the current one.")
        return redirect(_detail_url(request, previous.versions()[0]))
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        agency=request.agency,
        owner=request.user.pk,
        previous=previous,
    )
    if request.method == "POST":
        evidence = _save_upload(request, form, record, replaces=previous)
        if evidence is not None:
            messages.success(
                request,
                f"Version {evidence.version} of “{evidence.title}” added; "
                f"version {previous.version} is kept, superseded.",
            )
            return redirect(_detail_url(request, evidence))
    return render(
        request,
        "evidence/upload.html",
        {
            "form": form,
            "record": record,
            "previous": previous,
            "title": f"New version of “{previous.title}”",
            "max_mb": max_bytes() // (1024 * 1024),
        },
        status=400 if form.errors else 200,
    )


# The upload gate refuses a larger body before it is read (agency/upload_gate.py).
add.upload_limit = "EVIDENCE_MAX_UPLOAD_MB"  # type: ignore[attr-defined]
new_version.upload_limit = "EVIDENCE_MAX_UPLOAD_MB"  # type: ignore[attr-defined]


@agency_view("evidence.view")
def detail(request: AgencyRequest, pk: int) -> HttpResponse:
    evidence = _evidence_or_404(request, pk)
    record = evidence.record
    return render(
        request,
        "evidence/detail.html",
        {
            "evidence": evidence,
            "record": record,
            "record_url": getattr(record, "get_absolute_url", lambda: "")(),
            "versions": evidence.versions(),
            "can_add": may(request, "evidence.add")
            and may(request, record.evidence_edit_action),
            "supersede_form": SupersedeForm(),
            "today": request.agency.today(),
        },
    )


@agency_view("evidence.view")
def download_file(request: AgencyRequest, pk: int) -> HttpResponse:
    evidence = _evidence_or_404(request, pk)
    record_event(
        "evidence.view",
        obj=evidence,
        message=f"downloaded version {evidence.version} ({evidence.filename})",
    )
    response = StreamingHttpResponse(
        storage.chunks(request.agency.ori, evidence.stored_name),
        content_type=evidence.media_type,
    )
    # Always a download, never shown inline: the browser must not render an
    # uploaded file as part of the site.
    response["Content-Disposition"] = content_disposition_header(
        True, evidence.filename
    )
    response["Content-Length"] = str(evidence.size)
    return response


@agency_view("evidence.add")
@require_POST
def supersede(request: AgencyRequest, pk: int) -> HttpResponse:
    evidence = _evidence_or_404(request, pk)
    _may_add_to(request, evidence.record)
    form = SupersedeForm(request.POST)
    if not evidence.is_current:
        messages.info(request, "This version is already superseded.")
    elif form.is_valid():
        evidence.supersede(
            by=request.user.get_username(), note=form.cleaned_data["note"]
        )
        messages.success(
            request, f"“{evidence.title}” marked superseded (kept on file)."
        )
    else:
        messages.error(request, "Say why the file is superseded.")
    return redirect(_detail_url(request, evidence))


# -- the agency's list ----------------------------------------------------------------

COLUMNS = [
    Column("title", "Title"),
    Column("kind", "Kind", value=lambda e: e.get_kind_display()),
    Column("attached_to", "Attached to", sortable=False, value=lambda e: str(e.record)),
    Column("version", "Version"),
    Column("effective_date", "Effective"),
    Column("expiry_date", "Expires"),
    Column("owner", "Owner", order="owner__email", value=lambda e: e.owner.email),
    Column("filename", "File"),
    Column("size", "Bytes"),
    Column("sha256", "SHA-256", sortable=False),
    Column("uploaded_at", "Uploaded"),
    Column(
        "status",
        "Status",
        sortable=False,
        value=lambda e: "current" if e.is_current else "superseded",
    ),
]


def _visible_types(request: AgencyRequest, files: Any) -> list[int]:
    ids = set(files.values_list("content_type_id", flat=True).distinct())
    allowed = []
    for content_type in ContentType.objects.filter(pk__in=ids):
        model = content_type.model_class()
        if model is not None and may(request, model.evidence_view_action):
            allowed.append(content_type.pk)
    return allowed


@agency_view("evidence.view")
def evidence_list(request: AgencyRequest) -> HttpResponse:
    files = EvidenceFile.objects.filter(agency=request.agency)
    files = files.filter(content_type_id__in=_visible_types(request, files))
    show = request.GET.get("show", "current")
    if show != "all":
        files = files.current()
    if (kind := request.GET.get("kind", "")) in Kind.values:
        files = files.filter(kind=kind)
    if q := request.GET.get("q", "").strip():
        files = files.filter(Q(title__icontains=q) | Q(filename__icontains=q))
    files = files.select_related("owner").prefetch_related("record")
    if fmt := wants_download(request):
        record_event(
            "export",
            agency_id=request.agency.pk,
            message=f"evidence list ({fmt}); filters: "
            + (", ".join(filters_used(request.GET)) or "none"),
        )
        return download(
            request,
            files,
            COLUMNS,
            fmt=fmt,
            filename=f"evidence-{request.agency.ori}",
            default_sort="title",
        )
    listing = paginate(request, files, COLUMNS, default_sort="title")
    return render(
        request,
        "evidence/list.html",
        {
            "listing": listing,
            "page": listing.page,
            "query": listing.query,
            "show": show,
            "kind": kind,
            "kinds": Kind.choices,
            "q": q,
            "today": request.agency.today(),
        },
    )
