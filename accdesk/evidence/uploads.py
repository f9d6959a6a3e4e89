"""Evidence uploads stay in memory until they are encrypted.

Django writes an upload over 2.5 MB to a temporary file in the system's temp folder:
a plaintext copy of the document on disk, outside ``DATA_DIR`` and its
encryption. The evidence upload views use this handler instead: it keeps the file
in memory up to the evidence size limit (``ACCDESK_EVIDENCE_MAX_UPLOAD_MB``) and
stops reading past it, so that a too-large file is refused without being stored
anywhere.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect


class MemoryOnlyUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large: str | None = None  # the name of a file that was
        self._buffer: io.BytesIO | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self._buffer is None:
            return
        if start + len(raw_data) > self.limit:
            self.too_large = self.file_name
            self._buffer = None
            return
        self._buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self._buffer is None:
            return None
        self._buffer.seek(0)
        return InMemoryUploadedFile(
            self._buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )


def memory_only_uploads(
    limit: Callable[[], int],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view that receives evidence files; the view finds the handler on
    ``request.evidence_upload``. Upload handlers can only be swapped before the
    CSRF check reads the body, hence exempt-then-protect (Django's documented way)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            handler = MemoryOnlyUploadHandler(request, limit())
            request.upload_handlers = [handler]
            request.evidence_upload = handler  # type: ignore[attr-defined]
            return protected(request, *args, **kwargs)

        return wrapper

    return decorate
