"""Upload pages for imports: upload -> preview of changes and errors -> confirm.

ACCs rarely have a shell on the server, so every ``accdesk ... import`` has a page
too. ``upload_view(fmt, action=..., done=...)`` builds the view for one
``ImportFormat``. Between preview and confirm the file waits under
``DATA_DIR/uploads/``; the session remembers which file belongs to whom, and files
are removed once imported, cancelled, or a day old.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accdesk.agency.tenancy import AgencyRequest, agency_view
from accdesk.core.imports import ImportFormat, run_import
from accdesk.lib.tabular import SUPPORTED_SUFFIXES

SESSION_KEY = "pending_uploads"
MAX_AGE_SECONDS = 24 * 3600


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


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
        }
        if request.method != "POST":
            return render(request, "imports/upload.html", context)
        if "cancel" in request.POST:
            _discard(request, request.POST.get("token", ""))
            return redirect(request.path)
        if "confirm" in request.POST:
            return _confirm(request, fmt, done)
        upload = request.FILES.get("file")
        if upload is None:
            context["problem"] = "Choose a file to upload."
            return render(request, "imports/upload.html", context, status=400)
        token, path = _store(request, fmt.name, upload.name, upload.chunks())
        result = run_import(fmt, path, upload.name, request.agency, dry_run=True)
        if not result.ok:
            _discard(request, token)
        context.update(result=result, token=token, filename=upload.name)
        return render(
            request, "imports/upload.html", context, status=200 if result.ok else 400
        )

    return view


def _confirm(request: AgencyRequest, fmt: ImportFormat, done: str) -> HttpResponse:
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if (
        not pending
        or pending["format"] != fmt.name
        or pending["agency"] != request.agency.pk
    ):
        messages.error(request, "That upload has expired: upload the file again.")
        return redirect(request.path)
    path = upload_dir() / pending["stored"]
    result = run_import(fmt, path, pending["filename"], request.agency)
    _discard(request, token)
    if not result.ok:  # the data changed since the preview
        return render(
            request,
            "imports/upload.html",
            {"fmt": fmt, "result": result, "filename": pending["filename"]},
            status=400,
        )
    messages.success(request, f"{fmt.label}: {result.summary()}")
    for note in result.notes[:20]:
        messages.info(request, note)
    return redirect(reverse(done, kwargs={"ori": request.agency.ori}))


def _store(
    request: AgencyRequest, fmt_name: str, filename: str, chunks: Iterable[bytes]
) -> tuple[str, Path]:
    _prune()
    token = secrets.token_urlsafe(16)
    suffix = next(
        (s for s in SUPPORTED_SUFFIXES if filename.lower().endswith(s)), ".bin"
    )
    stored = f"{token}{suffix}"
    path = upload_dir() / stored
    with path.open("wb") as handle:
        for chunk in chunks:
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


def _prune() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in upload_dir().iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
