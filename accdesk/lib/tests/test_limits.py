"""lib/limits.py: a gzip bomb is refused after a few megabytes of work."""

from __future__ import annotations

import gzip
import io

import pytest

from accdesk.lib.limits import LimitExceeded, guarded_gzip

MIB = 1024 * 1024


def _read_all(stream):
    while stream.read(MIB):
        pass


def test_it_reads_an_ordinary_file_whole():
    data = b"employee_id,last_name\n" + b"E1,Archer\n" * 10_000
    stream = guarded_gzip(io.BytesIO(gzip.compress(data)), max_ratio=100, max_bytes=MIB)
    assert stream.read() == data


def test_it_stops_a_bomb_on_its_ratio_long_before_its_size():
    bomb = gzip.compress(b"\0" * (64 * MIB))  # 64 MiB of zeros in about 64 kB
    stream = guarded_gzip(io.BytesIO(bomb), max_ratio=100, max_bytes=1024 * MIB)
    with pytest.raises(LimitExceeded) as info:
        _read_all(stream)
    assert info.value.limit == "max_ratio"
    assert "100 times" in info.value.message


def test_it_stops_at_the_expanded_size():
    data = bytes(range(256)) * (8 * 1024)  # 2 MiB that hardly compresses
    stream = guarded_gzip(io.BytesIO(gzip.compress(data)), max_ratio=100, max_bytes=MIB)
    with pytest.raises(LimitExceeded) as info:
        _read_all(stream)
    assert info.value.limit == "max_bytes"
    assert "more than 1 MiB" in info.value.message


def test_a_damaged_file_is_a_gzip_error_not_a_limit():
    with pytest.raises((OSError, EOFError)):
        guarded_gzip(
            io.BytesIO(b"\x1f\x8bnot really"), max_ratio=100, max_bytes=MIB
        ).read()
