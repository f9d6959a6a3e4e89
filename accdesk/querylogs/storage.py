"""Where the agency's query-log archive lives: encrypted Parquet under ``DATA_DIR``,
one folder per month, with the audit results of each month beside it.

    DATA_DIR/querylogs/<ORI>/archive/month=YYYY-MM/import<id>_<n>.parquet
    DATA_DIR/querylogs/<ORI>/results/month=YYYY-MM/findings.parquet, stats.parquet
    DATA_DIR/querylogs/<ORI>/manifest.json

Every file is encrypted (``vault.py``). This module owns that layout -- the folders
and files of each month, the vault they are read through, the lock that keeps one
writer per agency, and the manifest of every file's SHA-256 -- and imports nothing
that reads or writes them: the import (``archive.py``), the results (``results.py``),
the rule-set versions (``ruleset.py``), the summaries and the pages' readers call it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from accdesk.agency.models import Agency
from accdesk.querylogs import duck
from accdesk.querylogs.vault import VaultFileSystem

MONTH_PREFIX = "month="
STAGING = ".staging"  # results/.staging/month=YYYY-MM/: see results.recompute()
MANIFEST = "manifest.json"  # SHA-256 of every archive and results file


def vault() -> VaultFileSystem:
    root = Path(settings.DATA_DIR) / "querylogs"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return VaultFileSystem(root, settings.QUERYLOG_ARCHIVE_KEY.encode())


def root(agency: Agency) -> Path:
    return vault().root / agency.ori


def folder(agency: Agency, kind: str, stage: Path | None = None) -> Path:
    return (stage or root(agency)) / kind


def months(agency: Agency, stage: Path | None = None) -> list[str]:
    """The archive's months; with ``stage``, also those of an import's staged
    rows (not yet committed: readers never see them)."""
    folders = [folder(agency, "archive")] + (
        [folder(agency, "archive", stage)] if stage else []
    )
    return sorted(
        {
            p.name.removeprefix(MONTH_PREFIX)
            for place in folders
            if place.is_dir()
            for p in place.iterdir()
            if p.name.startswith(MONTH_PREFIX) and any(p.glob("*.parquet"))
        }
    )


def _urls(place: Path) -> list[str]:
    fs = vault()
    return [
        fs.url(str(p.relative_to(fs.root))) for p in sorted(place.glob("*.parquet"))
    ]


def archive_files(
    agency: Agency, month_list: list[str] | None = None, stage: Path | None = None
) -> list[str]:
    wanted = months(agency, stage) if month_list is None else month_list
    bases = [root(agency)] + ([stage] if stage else [])
    return [
        url
        for m in wanted
        for base in bases
        for url in _urls(base / "archive" / f"{MONTH_PREFIX}{m}")
    ]


def result_files(agency: Agency, kind: str, month_list: list[str]) -> list[str]:
    fs = vault()
    found = []
    for m in month_list:
        path = folder(agency, "results") / f"{MONTH_PREFIX}{m}" / f"{kind}.parquet"
        if path.is_file():
            found.append(fs.url(str(path.relative_to(fs.root))))
    return found


def connect(agency: Agency) -> duck.Connection:
    return duck.connect(agency.time_zone, vault=vault())


@contextmanager
def locked(agency: Agency) -> Iterator[None]:
    """One writer per agency archive at a time (an upload and a cron import could
    otherwise both miss each other's rows when checking for duplicates)."""
    place = vault().root / agency.ori
    place.mkdir(parents=True, exist_ok=True)
    with (place / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- Manifest ---------------------------------------------------------------------


def write_json(target: Path, data: object) -> None:
    """Write ``target`` whole or not at all (a rename is atomic)."""
    part = target.with_name(target.name + ".part")
    with part.open("w") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    part.replace(target)


def read_manifest(agency: Agency) -> dict[str, str]:
    path = root(agency) / MANIFEST
    return json.loads(path.read_text())["files"] if path.is_file() else {}


def update_manifest(
    agency: Agency, added: list[Path], removed: list[Path] | None = None
) -> None:
    """Record the SHA-256 of ``added`` (paths under the agency's folder) and drop
    ``removed``; ``verify`` compares every file with it."""
    top = root(agency)
    files = read_manifest(agency)
    for path in removed or []:
        files.pop(str(path.relative_to(top)), None)
    for path in added:
        files[str(path.relative_to(top))] = sha256_of(path)
    write_json(top / MANIFEST, {"files": dict(sorted(files.items()))})


def stored_files(agency: Agency) -> list[Path]:
    top = root(agency)
    return sorted(
        p
        for kind in ("archive", "results")
        for p in (top / kind).glob(f"{MONTH_PREFIX}*/*.parquet")
    )
