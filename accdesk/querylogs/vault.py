"""The query-log archive's encryption at rest: the format of ``lib/vault.py``, with
the archive's own key derivation (CJISSECPOL v5.9.5 SC-28). The master key comes
from settings (``ACCDESK_QUERYLOG_KEY``), outside the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accdesk.lib import vault
from accdesk.lib.vault import CHUNK_BYTES, HEADER_BYTES, VaultError

__all__ = ["CHUNK_BYTES", "HEADER_BYTES", "INFO", "VaultError", "VaultFileSystem"]

INFO = b"accdesk querylog archive v1"


class VaultFileSystem(vault.VaultFileSystem):
    """The archive's encrypted files under ``root``."""

    def __init__(self, root: Path, master_key: bytes, **kwargs: Any):
        super().__init__(root, master_key, purpose=INFO, **kwargs)
