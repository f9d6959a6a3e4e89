"""Receiving a log upload. The file holds subject names and dates of birth, so it is
written to a private folder under DATA_DIR (not the system's /tmp) and removed as
soon as the import is done; its size is capped (``ACCDESK_QUERYLOG_MAX_UPLOAD_MB``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler


def private_dir() -> Path:
    path = Path(settings.DATA_DIR) / "tmp" / "uploads"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


class _PrivateFile(TemporaryUploadedFile):
    def __init__(self, name: str, content_type: str, size: int, charset: Any) -> None:
        handle = tempfile.NamedTemporaryFile(suffix=".upload", dir=private_dir())
        UploadedFile.__init__(self, handle, name, content_type, size, charset)


class PrivateUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler, writing under DATA_DIR, with a size cap."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = _PrivateFile(self.file_name, self.content_type, 0, self.charset)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > settings.QUERYLOG_MAX_UPLOAD_MB * 1024 * 1024:
            self.file.close()
            self.request.upload_too_large = True  # type: ignore[attr-defined]
            raise StopUpload(connection_reset=False)
        self.file.write(raw_data)
