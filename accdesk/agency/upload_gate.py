"""Uploads are checked before their body is read (issue 11 item 8).

Django reads a multipart body -- and writes its files to disk -- the first time
anything touches ``request.POST``, and ``CsrfViewMiddleware`` does that before any
view runs. So ``UploadGateMiddleware``, listed before it, checks a multipart POST
in ``process_view`` (after sign-in and URL resolution, before the CSRF check):

- an anonymous request goes to the sign-in page, an outsider gets a 404 and a
  member whose role lacks the view's action a 403 (``tenancy.check_access``, the
  same rule as ``agency_view``);
- a body larger than the view's limit gets a 413 naming the setting;

in each case before one byte of the body is read. What is let in is written by
``PendingUploadHandler`` straight into the private pending-uploads folder (mode
0600 in a 0700 folder), never to the system's /tmp, and stopped at the limit.

A view states its limit in an ``upload_limit`` attribute: the name of a setting in
MiB (``ACCDESK_<SETTING>`` in the environment); the default is ``MAX_UPLOAD_MB``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict

from accdesk.agency.tenancy import check_access
from accdesk.lib.htmx import is_htmx

MIB = 1024 * 1024
# A multipart body is the file plus boundaries and the other fields.
MULTIPART_ALLOWANCE = 64 * 1024
DEFAULT_LIMIT = "MAX_UPLOAD_MB"


def upload_dir() -> Path:
    """``DATA_DIR/uploads``: files waiting between preview and confirm. They hold
    personal data (rosters, misuse cases), so only the service account may read
    them (issue 11 item 10)."""
    path = Path(settings.DATA_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)  # also when an older version made it with the umask's mode
    return path


def too_large_message(setting: str) -> str:
    """Which limit refused the file, and how to change it."""
    return (
        f"The file is larger than the {getattr(settings, setting):,} MiB this server "
        f"accepts here (setting ACCDESK_{setting}, see docs/configuration.md). Ask "
        "the administrator to raise it, or import the file on the server with the "
        "accdesk command."
    )


class UploadGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        if getattr(view, "login_required", True) and not request.user.is_authenticated:
            _leave_unread(request)
            return redirect_to_login(request.get_full_path())
        action = getattr(view, "agency_action", None)
        if action is not None and "ori" in kwargs:
            try:
                check_access(request.user, kwargs["ori"], action)
            except (Http404, PermissionDenied):
                _leave_unread(request)
                raise
        setting = getattr(view, "upload_limit", DEFAULT_LIMIT)
        max_bytes = getattr(settings, setting) * MIB
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_bytes + MULTIPART_ALLOWANCE:
            _leave_unread(request)
            return _too_large(request, setting)
        request.upload_handlers = [PendingUploadHandler(request, max_bytes, setting)]
        return None


def _too_large(request: HttpRequest, setting: str) -> HttpResponse:
    context = {"message": too_large_message(setting)}
    if not is_htmx(request):
        return render(request, "imports/too_large.html", context, status=413)
    # htmx swaps only 2xx answers, into the form's own target: show the refusal in
    # place of the page's content instead.
    response = render(request, "imports/too_large.html", context)
    response["HX-Retarget"] = response["HX-Reselect"] = "main"
    response["HX-Reswap"] = "outerHTML"
    return response


def _leave_unread(request: HttpRequest) -> None:
    """A refused request has no form data: nothing may read its body afterwards --
    not even Django's 403/404 pages, which check CSRF (reading ``request.POST``)
    to render their own forms."""
    request._post = QueryDict()  # type: ignore[attr-defined]
    request._files = MultiValueDict()  # type: ignore[attr-defined]


class _PendingFile(TemporaryUploadedFile):
    """An uploaded file in the pending-uploads folder (``tempfile`` makes it 0600)."""

    def __init__(self, name: str, content_type: str, charset: Any) -> None:
        handle = tempfile.NamedTemporaryFile(
            prefix="incoming-", suffix=".part", dir=upload_dir()
        )
        UploadedFile.__init__(self, handle, name, content_type, 0, charset)


class PendingUploadHandler(FileUploadHandler):
    """Write each file of the body to the pending-uploads folder; stop at the
    limit, leaving ``request.upload_refused`` (the message) for the view."""

    def __init__(self, request: HttpRequest, max_bytes: int, setting: str) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.setting = setting
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = _PendingFile(self.file_name, self.content_type, self.charset)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.file.close()
            self.request.upload_refused = too_large_message(self.setting)  # type: ignore[union-attr]
            raise StopUpload(connection_reset=True)
        self.file.write(raw_data)

    def file_complete(self, file_size: int) -> UploadedFile:
        self.file.seek(0)
        self.file.size = file_size
        return self.file
