"""The query-log archive's encryption at rest: the format of ``lib/vault.py``, with
the archive's own key derivation (CJISSECPOL v5.9.5 SC-28). The master key comes
from settings (``ACCDESK_QUERYLOG_KEY``), outside the database.

Decrypted chunks are cached in this process's memory, up to
``QUERYLOG_CHUNK_CACHE_MB`` (issue 18: the pages read the same result files over
and over); never on disk."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from django.conf import settings

from accdesk.lib import vault
from accdesk.lib.vault import CHUNK_BYTES, HEADER_BYTES, ChunkCache, VaultError

__all__ = [
    "CHUNK_BYTES",
    "HEADER_BYTES",
    "INFO",
    "VaultError",
    "VaultFileSystem",
    "chunk_cache",
]

INFO = b"accdesk querylog archive v1"

_cache: ChunkCache | None = None
_lock = threading.Lock()


def chunk_cache() -> ChunkCache | None:
    """The process's cache of decrypted archive chunks (None when the setting is
    0); one for every ``VaultFileSystem`` of the process."""
    global _cache
    limit = settings.QUERYLOG_CHUNK_CACHE_MB << 20
    with _lock:
        if limit == 0:
            return None
        if _cache is None or _cache.limit != limit:
            _cache = ChunkCache(limit)
        return _cache


class VaultFileSystem(vault.VaultFileSystem):
    """The archive's encrypted files under ``root``."""

    def __init__(self, root: Path, master_key: bytes, **kwargs: Any):
        kwargs.setdefault("chunk_cache", chunk_cache())
        super().__init__(root, master_key, purpose=INFO, **kwargs)
