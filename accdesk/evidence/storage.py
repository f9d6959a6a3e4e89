"""Where evidence files live: encrypted under ``DATA_DIR/evidence/<ORI>/``, never
under the web root, in the format of ``lib/vault.py`` (AES-256-GCM, one key per
file derived from ``ACCDESK_EVIDENCE_KEY``; CJISSECPOL v5.9.5 SC-28).

Files are written once and never rewritten: a new version is a new file. The
stored name is random, so it tells nothing about the document. ``accdesk backup``
and operators' backups of ``DATA_DIR`` carry them, with the key in
``DATA_DIR/keys/`` unless it is given from outside.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from accdesk.lib.vault import CHUNK_BYTES, VaultFileSystem

PURPOSE = b"accdesk evidence v1"


def vault() -> VaultFileSystem:
    return VaultFileSystem(
        Path(settings.DATA_DIR) / "evidence",
        settings.EVIDENCE_KEY.encode(),
        purpose=PURPOSE,
    )


@dataclass(frozen=True)
class Stored:
    stored_name: str
    sha256: str
    size: int


def _relative(ori: str, stored_name: str) -> str:
    return f"{ori}/{stored_name}.enc"


def store(ori: str, data: bytes) -> Stored:
    """Encrypt ``data`` into a new file of the agency's folder."""
    stored_name = secrets.token_hex(16)
    fs = vault()
    with fs.open(_relative(ori, stored_name), "wb") as handle:
        for start in range(0, len(data), CHUNK_BYTES):
            handle.write(data[start : start + CHUNK_BYTES])
    return Stored(stored_name, hashlib.sha256(data).hexdigest(), len(data))


def path_on_disk(ori: str, stored_name: str) -> Path:
    return vault().os_path(_relative(ori, stored_name))


def chunks(ori: str, stored_name: str) -> Iterator[bytes]:
    """The decrypted file, a chunk at a time (each chunk is authenticated)."""
    with vault().open(_relative(ori, stored_name), "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


def read(ori: str, stored_name: str) -> bytes:
    return b"".join(chunks(ori, stored_name))
