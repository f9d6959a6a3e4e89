"""Encryption at rest for files ACC Desk keeps under DATA_DIR (the query-log archive,
evidence files): an fsspec file system that DuckDB reads and writes Parquet through,
and that the other apps read and write whole files through, so that no plaintext
copy ever touches the disk.

Why not DuckDB's own Parquet encryption: DuckDB 2.0 writes encrypted files only with
the OpenSSL module of its ``httpfs`` extension, which cannot be installed offline;
its built-in mbedTLS fallback is refused for writing because its nonces do not come
from a secure random source (duckdb/duckdb#20148). So the files are encrypted here,
with the ``cryptography`` package (OpenSSL).

Format (one stored file = one plaintext file, written once, never modified):

    header  = b"ACCQLA1\\0" + salt (16 random bytes) + chunk size (uint32, big-endian)
    body    = chunk 0 .. chunk n-1, each AES-256-GCM(plaintext chunk) + 16-byte tag

- CJISSECPOL v5.9.5 SC-28: CJI at rest outside a physically secure location is
  encrypted with AES (FIPS 197) and a key of at least 256 bits.
- Each file has its own key, HKDF-SHA256(master key, salt, info), so a counter nonce
  is unique per key; ``info`` names the purpose (``b"accdesk querylog archive v1"``,
  ``b"accdesk evidence v1"``...), so that one master key given to two purposes
  still yields unrelated file keys. The nonce carries the chunk number and a "last
  chunk" flag and the header is authenticated with every chunk: reordered, swapped
  or truncated chunks fail to decrypt (the STREAM construction of Hoang,
  Reyhanitabar, Rogaway and Vizar).
- Chunks give random access: DuckDB reads a Parquet footer and single column chunks
  without decrypting the whole file.

The master key and the purpose (``info``) come from the caller (``querylogs/vault.py``,
``evidence/storage.py``); keys live in settings, outside the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import struct
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from fsspec.spec import AbstractBufferedFile, AbstractFileSystem

PROTOCOL = "accdesk-vault"
MAGIC = b"ACCQLA1\0"
SALT_BYTES = 16
TAG_BYTES = 16
CHUNK_BYTES = 1 << 20
HEADER_BYTES = len(MAGIC) + SALT_BYTES + 4
SUFFIX = ".enc"


class ChunkCache:
    """Decrypted chunks kept in memory, least recently used first out, up to
    ``limit`` bytes; thread-safe (DuckDB reads from several threads). Keyed by the
    file's random salt and the chunk's number: a file is written once and never
    changed, so a cached chunk never goes stale, and a rewritten file has a new
    salt; and by the file system's key fingerprint. Plaintext stays in this
    process's memory, never on disk."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self._chunks: OrderedDict[tuple[bytes, int], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[bytes, int]) -> bytes | None:
        with self._lock:
            found = self._chunks.get(key)
            if found is not None:
                self._chunks.move_to_end(key)
            return found

    def put(self, key: tuple[bytes, int], plain: bytes) -> None:
        if len(plain) > self.limit:
            return
        with self._lock:
            if key in self._chunks:
                return
            self._chunks[key] = plain
            self.size += len(plain)
            while self.size > self.limit:
                _, dropped = self._chunks.popitem(last=False)
                self.size -= len(dropped)


class VaultError(Exception):
    """An archive file is damaged, was tampered with, or needs another key."""


def _cipher(master_key: bytes, salt: bytes, info: bytes) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,  # AES-256
        salt=salt,
        info=info,
    ).derive(master_key)
    return AESGCM(key)


def _nonce(index: int, last: bool) -> bytes:
    return struct.pack(">QB3x", index, 1 if last else 0)


def plaintext_size(stored_size: int, chunk: int = CHUNK_BYTES) -> int:
    body = stored_size - HEADER_BYTES
    if body < TAG_BYTES:
        raise VaultError("archive file too short: damaged or not an archive file")
    chunks = -(-body // (chunk + TAG_BYTES))
    if body - (chunks - 1) * (chunk + TAG_BYTES) < TAG_BYTES:
        raise VaultError("archive file cut short: damaged or tampered with")
    return body - chunks * TAG_BYTES


class _VaultFile(AbstractBufferedFile):
    """One encrypted file, read with random access or written sequentially."""

    fs: VaultFileSystem

    def __init__(self, fs: VaultFileSystem, path: str, mode: str, **kwargs: Any):
        self._os_path = fs.os_path(path)
        if mode == "rb":
            self._handle = open(self._os_path, "rb")  # closed in close()
            header = self._handle.read(HEADER_BYTES)
            if len(header) != HEADER_BYTES or not header.startswith(MAGIC):
                self._handle.close()
                raise VaultError(f"{self._os_path.name} is not an archive file")
            self._header = header
            self._chunk = struct.unpack(">I", header[-4:])[0]
            stored = os.fstat(self._handle.fileno()).st_size
            kwargs["size"] = plaintext_size(stored, self._chunk)
            self._chunks = -(-(stored - HEADER_BYTES) // (self._chunk + TAG_BYTES))
        else:
            self._chunk = CHUNK_BYTES
            self._header = (
                MAGIC + os.urandom(SALT_BYTES) + struct.pack(">I", CHUNK_BYTES)
            )
            self._pending = b""
            self._sealed = 0
            self._tmp = self._os_path.with_name(self._os_path.name + ".part")
            self._handle = open(self._tmp, "wb")  # closed in close()
            self._handle.write(self._header)
        self._aead = _cipher(fs.master_key, self._header[len(MAGIC) : -4], fs.purpose)
        kwargs["block_size"] = self._chunk
        # No read-ahead cache: its state is not safe to share between DuckDB's
        # threads, and DuckDB asks for whole column chunks anyway.
        kwargs["cache_type"] = "none"
        super().__init__(fs, path, mode, **kwargs)

    # -- reading -----------------------------------------------------------------
    def _fetch_range(self, start: int, end: int) -> bytes:
        if start >= end:
            return b""
        first, last = start // self._chunk, (end - 1) // self._chunk
        stride = self._chunk + TAG_BYTES
        cache = self.fs.chunk_cache
        # The key's fingerprint is part of the entry's name: a reader with another
        # key (or purpose) never gets a chunk that its key would not decrypt.
        salt = self.fs.cache_scope + self._header[len(MAGIC) : -4]
        indexes = range(first, last + 1)
        parts = [cache.get((salt, i)) if cache else None for i in indexes]
        if None in parts:
            # pread, not seek + read: DuckDB reads one file from several threads.
            sealed = os.pread(
                self._handle.fileno(),
                (last - first + 1) * stride,
                HEADER_BYTES + first * stride,
            )
            for i, index in enumerate(indexes):
                if parts[i] is None:
                    parts[i] = self._open_chunk(
                        index, sealed[i * stride : (i + 1) * stride]
                    )
                    if cache is not None:
                        cache.put((salt, index), parts[i])
        offset = first * self._chunk
        return b"".join(parts)[start - offset : end - offset]

    def _open_chunk(self, index: int, box: bytes) -> bytes:
        try:
            return self._aead.decrypt(
                _nonce(index, index == self._chunks - 1), box, self._header
            )
        except InvalidTag:
            raise VaultError(
                f"{self._os_path.name}: chunk {index} does not decrypt "
                "(wrong key, or the file was damaged or tampered with)"
            ) from None

    # -- writing -----------------------------------------------------------------
    def _upload_chunk(self, final: bool = False) -> bool:
        data = self._pending + self.buffer.getvalue()
        whole = len(data) - len(data) % self._chunk
        for start in range(0, whole, self._chunk):
            self._seal(data[start : start + self._chunk], last=False)
        self._pending = data[whole:]
        if final:
            # Always end with a "last" chunk, empty when the size is a multiple of
            # the chunk size, so that cutting whole chunks off the end is detected.
            self._seal(self._pending, last=True)
            self._pending = b""
        return True

    def _seal(self, plain: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._sealed, last), plain, self._header)
        self._handle.write(sealed)
        self._sealed += 1

    def close(self) -> None:
        if self.closed:
            return
        try:
            super().close()
        finally:
            self._handle.close()
        if self.mode == "wb":
            os.replace(self._tmp, self._os_path)


class VaultFileSystem(AbstractFileSystem):
    """Encrypted files under ``root``, addressed as ``accdesk-vault://<relative>``;
    ``purpose`` is the HKDF ``info`` their keys are derived with."""

    protocol = PROTOCOL
    cachable = False

    def __init__(
        self,
        root: Path,
        master_key: bytes,
        *,
        purpose: bytes,
        chunk_cache: ChunkCache | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.root = Path(root)
        self.master_key = master_key
        self.purpose = purpose
        self.chunk_cache = chunk_cache
        self.cache_scope = hashlib.sha256(master_key + b"\0" + purpose).digest()

    def url(self, relative: str) -> str:
        return f"{PROTOCOL}://{relative}"

    def os_path(self, path: str) -> Path:
        relative = self._strip_protocol(path).lstrip("/")
        resolved = (self.root / relative).resolve()
        if not resolved.is_relative_to(self.root.resolve()):
            raise VaultError(f"{path!r} is outside the archive")
        return resolved

    def _open(self, path: str, mode: str = "rb", **kwargs: Any) -> _VaultFile:
        if mode not in ("rb", "wb"):
            raise ValueError(f"archive files open as rb or wb, not {mode!r}")
        if mode == "wb":
            self.os_path(path).parent.mkdir(parents=True, exist_ok=True)
        return _VaultFile(self, path, mode, **kwargs)

    def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        target = self.os_path(path)
        if target.is_dir():
            return {"name": self._strip_protocol(path), "size": 0, "type": "directory"}
        if not target.is_file():
            raise FileNotFoundError(path)
        with target.open("rb") as handle:
            header = handle.read(HEADER_BYTES)
        chunk = (
            struct.unpack(">I", header[-4:])[0] if len(header) == HEADER_BYTES else 1
        )
        return {
            "name": self._strip_protocol(path),
            "size": plaintext_size(target.stat().st_size, chunk),
            "type": "file",
            "mtime": target.stat().st_mtime,
        }

    def ls(self, path: str, detail: bool = True, **kwargs: Any) -> list[Any]:
        target = self.os_path(path)
        if target.is_file():
            entries = [self.info(path)]
        else:
            base = self._strip_protocol(path).rstrip("/")
            entries = [
                self.info(f"{base}/{child.name}")
                for child in sorted(target.iterdir())
                if not child.name.endswith(".part")
            ]
        return entries if detail else [e["name"] for e in entries]

    def modified(self, path: str) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.os_path(path).stat().st_mtime, dt.UTC)

    def rm_file(self, path: str) -> None:
        self.os_path(path).unlink(missing_ok=True)

    def mv(self, path1: str, path2: str, **kwargs: Any) -> None:
        # DuckDB writes a replacement beside the old file, then renames it.
        os.replace(self.os_path(path1), self.os_path(path2))

    def mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        self.os_path(path).mkdir(parents=create_parents, exist_ok=True)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        self.os_path(path).mkdir(parents=True, exist_ok=exist_ok)
