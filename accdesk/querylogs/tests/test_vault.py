"""The archive's encryption at rest (CJISSECPOL SC-28)."""

from __future__ import annotations

import os

import duckdb
import pytest

from accdesk.querylogs.vault import (
    CHUNK_BYTES,
    HEADER_BYTES,
    VaultError,
    VaultFileSystem,
)

KEY = b"k" * 40


@pytest.fixture
def fs(tmp_path):
    return VaultFileSystem(tmp_path, KEY)


@pytest.mark.parametrize(
    "size", [0, 5, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES - 7]
)
def test_it_reads_back_what_it_wrote(fs, size):
    data = os.urandom(size)
    with fs.open("a/f.parquet", "wb") as handle:
        for start in range(0, size, 100_000):
            handle.write(data[start : start + 100_000])
    assert fs.info("a/f.parquet")["size"] == size
    with fs.open("a/f.parquet", "rb") as handle:
        assert handle.read() == data
        handle.seek(max(0, size - 10))
        assert handle.read() == data[max(0, size - 10) :]


def test_the_file_on_disk_holds_no_plaintext(fs, tmp_path):
    with fs.open("f.parquet", "wb") as handle:
        handle.write(b"DOE,JOHN 1980-01-01" * 100)
    stored = (tmp_path / "f.parquet").read_bytes()
    assert b"DOE,JOHN" not in stored
    assert stored.startswith(b"ACCQLA1")


def test_it_refuses_a_wrong_key(fs, tmp_path):
    with fs.open("f.parquet", "wb") as handle:
        handle.write(b"secret")
    with pytest.raises(VaultError, match="does not decrypt"):
        VaultFileSystem(tmp_path, b"x" * 40).open("f.parquet", "rb").read()


@pytest.mark.parametrize("damage", ["flip", "truncate_chunk", "truncate_tag"])
def test_it_detects_tampering(fs, tmp_path, damage):
    with fs.open("f.parquet", "wb") as handle:
        handle.write(os.urandom(2 * CHUNK_BYTES))
    path = tmp_path / "f.parquet"
    stored = bytearray(path.read_bytes())
    if damage == "flip":
        stored[HEADER_BYTES + 10] ^= 1
    elif damage == "truncate_chunk":
        stored = stored[:-16]  # the empty last chunk: the full one before it is
    else:  # not marked last, so it no longer decrypts
        stored = stored[:-1]
    path.write_bytes(bytes(stored))
    with pytest.raises(VaultError):
        fs.open("f.parquet", "rb").read()


def test_duckdb_writes_and_reads_parquet_through_it(fs):
    con = duckdb.connect()
    con.register_filesystem(fs)
    con.execute(
        f"COPY (SELECT range AS i FROM range(100000)) TO '{fs.url('t/x.parquet')}' "
        "(FORMAT parquet)"
    )
    assert con.execute(
        f"SELECT count(*), sum(i) FROM read_parquet('{fs.url('t/x.parquet')}')"
    ).fetchone() == (100000, 4999950000)


def test_paths_cannot_leave_the_root(fs):
    with pytest.raises(VaultError, match="outside"):
        fs.open("../escape.parquet", "wb")
