"""Limits on what an uploaded file may cost to read (issue 11 item 8).

A gzip "bomb" is a small file that expands to gigabytes. ``guarded_gzip`` reads a
gzip stream and stops as soon as the output grows past ``max_bytes`` or past
``max_ratio`` times the compressed bytes read so far, so a bomb is refused after a
few megabytes of work -- before any lock is taken or anything is stored.
"""

from __future__ import annotations

import gzip
import io
from typing import IO

# Below this much output the ratio is not checked: a small file of repeated rows
# compresses very well and is harmless.
RATIO_FLOOR_BYTES = 1024 * 1024


class LimitExceeded(Exception):
    """A file is larger, or expands further, than the limit allows. ``limit`` names
    which (``"max_ratio"`` or ``"max_bytes"``) so callers can say how to change it."""

    def __init__(self, message: str, limit: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.limit = limit


class _CountingReader(io.RawIOBase):
    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


class _GuardedGzip(io.RawIOBase):
    def __init__(self, fileobj: IO[bytes], max_ratio: float, max_bytes: int) -> None:
        self._compressed = _CountingReader(fileobj)
        self._gzip = gzip.GzipFile(fileobj=self._compressed)  # type: ignore[arg-type]
        self._max_ratio = max_ratio
        self._max_bytes = max_bytes
        self.expanded = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        # Never ask for more than one byte past the limit.
        room = self._max_bytes + 1 - self.expanded
        data = self._gzip.read(max(1, min(len(buffer), room)))
        self.expanded += len(data)
        if self.expanded > self._max_bytes:
            raise LimitExceeded(
                f"the compressed file expands to more than {_mib(self._max_bytes)}",
                "max_bytes",
            )
        if self.expanded > RATIO_FLOOR_BYTES and self.expanded > self._max_ratio * max(
            1, self._compressed.count
        ):
            raise LimitExceeded(
                f"the compressed file expands more than {self._max_ratio:g} times "
                "its size (a compression bomb?)",
                "max_ratio",
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._gzip.close()
        super().close()


def guarded_gzip(
    fileobj: IO[bytes], *, max_ratio: float, max_bytes: int
) -> io.BufferedReader:
    """A readable stream of ``fileobj``'s decompressed bytes that raises
    ``LimitExceeded`` once they pass ``max_bytes`` or ``max_ratio`` times the
    compressed bytes consumed. ``gzip.BadGzipFile``/``EOFError`` come through for
    a damaged file."""
    return io.BufferedReader(_GuardedGzip(fileobj, max_ratio, max_bytes))


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MiB"
