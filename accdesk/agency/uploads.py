"""Upload pages for imports: upload -> preview of changes and errors -> confirm.

ACCs rarely have a shell on the server, so every ``accdesk ... import`` has a page
too. ``upload_view(fmt, action=..., done=...)`` builds the view for one
``ImportFormat``; ``?template=csv`` (or ``xlsx``) on it downloads the format's
header and example row. Who may upload, and how much, is checked before the body
is read (``upload_gate``). Between preview and confirm the file waits under
``DATA_DIR/uploads/`` (0600 in a 0700 folder); the session remembers which file
belongs to whom, and files are removed once imported or cancelled, and by
``remove_stale_uploads`` (``accdesk uploads clean``) a day after they arrived.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from django.contrib import messages
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accdesk.agency.tenancy import AgencyRequest, agency_view
from accdesk.agency.upload_gate import upload_dir
from accdesk.core.imports import (
    MAX_LISTED_ERRORS,
    ImportFormat,
    run_import,
    template_csv,
    template_xlsx,
)
from accdesk.lib.exports import XLSX_TYPE
from accdesk.lib.tabular import SUPPORTED_SUFFIXES

SESSION_KEY = "pending_uploads"
MAX_AGE = dt.timedelta(hours=24)
TEMPLATES = {
    "csv": ("text/csv; charset=utf-8", template_csv),
    "xlsx": (XLSX_TYPE, template_xlsx),
}


def upload_view(
    fmt: ImportFormat, *, action: str, done: str, help_template: str = ""
) -> Callable[..., HttpResponse]:
    """The upload page for ``fmt``; ``done`` is the URL name to go to afterwards."""

    @agency_view(action)
    def view(request: AgencyRequest) -> HttpResponse:
        context = {
            "fmt": fmt,
            "help_template": help_template,
            "accept": ",".join(SUPPORTED_SUFFIXES),
            "max_errors": MAX_LISTED_ERRORS,
        }
        if request.method != "POST":
            if request.GET.get("template") in TEMPLATES:
                return _template(fmt, request.GET["template"])
            return render(request, "imports/upload.html", context)
        if "cancel" in request.POST:
            _discard(request, request.POST.get("token", ""))
            return redirect(request.path)
        if "confirm" in request.POST:
            return _confirm(request, fmt, done)
        upload = request.FILES.get("file")
        refused = getattr(request, "upload_refused", None)
        if upload is None or refused:
            context["problem"] = refused or "Choose a file to upload."
            return render(
                request, "imports/upload.html", context, status=413 if refused else 400
            )
        token, path = _store(request, fmt.name, upload)
        result = run_import(fmt, path, upload.name, request.agency, dry_run=True)
        if not result.ok:
            _discard(request, token)
        context.update(result=result, token=token, filename=upload.name)
        return render(
            request, "imports/upload.html", context, status=200 if result.ok else 400
        )

    return view


def _template(fmt: ImportFormat, kind: str) -> HttpResponse:
    content_type, build = TEMPLATES[kind]
    response = HttpResponse(build(fmt), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{fmt.name}-template.{kind}"'
    )
    return response


def _confirm(request: AgencyRequest, fmt: ImportFormat, done: str) -> HttpResponse:
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {}).get(token)
    path = upload_dir() / pending["stored"] if pending else None
    if (
        path is None
        or pending["format"] != fmt.name
        or pending["agency"] != request.agency.pk
        or not path.is_file()  # removed a day after it arrived
    ):
        messages.error(request, "That upload has expired: upload the file again.")
        return redirect(request.path)
    result = run_import(fmt, path, pending["filename"], request.agency)
    _discard(request, token)
    if not result.ok:  # the data changed since the preview
        return render(
            request,
            "imports/upload.html",
            {
                "fmt": fmt,
                "result": result,
                "filename": pending["filename"],
                "max_errors": MAX_LISTED_ERRORS,
            },
            status=400,
        )
    messages.success(request, f"{fmt.label}: {result.summary()}")
    for note in result.notes[:20]:
        messages.info(request, note)
    return redirect(reverse(done, kwargs={"ori": request.agency.ori}))


def _store(
    request: AgencyRequest, fmt_name: str, upload: UploadedFile
) -> tuple[str, Path]:
    remove_stale_uploads()
    token = secrets.token_urlsafe(16)
    filename = upload.name or ""
    suffix = next(
        (s for s in SUPPORTED_SUFFIXES if filename.lower().endswith(s)), ".bin"
    )
    stored = f"{token}{suffix}"
    path = upload_dir() / stored
    if (
        isinstance(upload, TemporaryUploadedFile)
        and Path(upload.temporary_file_path()).parent == upload_dir()
    ):
        # PendingUploadHandler wrote it here already (0600): keep that one copy.
        os.replace(upload.temporary_file_path(), path)
    else:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {
        "stored": stored,
        "filename": filename,
        "format": fmt_name,
        "agency": request.agency.pk,
    }
    request.session[SESSION_KEY] = pending
    return token, path


def _discard(request: AgencyRequest, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if entry:
        (upload_dir() / entry["stored"]).unlink(missing_ok=True)


def remove_stale_uploads(now: dt.datetime | None = None) -> int:
    """Remove the pending uploads (and any upload cut off mid-way) that arrived
    more than 24 hours before ``now``; return how many were removed. Run by
    ``accdesk uploads clean`` (and the background worker) and before each new
    upload is stored, so that personal data does not linger (issue 11 item 10)."""
    cutoff = ((now or timezone.now()) - MAX_AGE).timestamp()
    removed = 0
    for path in upload_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # imported or cancelled meanwhile
            continue
    return removed
