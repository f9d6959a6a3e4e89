"""One encrypted archive of a whole installation: the database and the data folder.

``accdesk backup FILE --key-file K`` writes, and ``accdesk restore FILE --key-file
K`` reads, a tar stream encrypted with AES-256-GCM in authenticated chunks (the
format of ``lib/vault.py``, purpose ``accdesk backup v1``), so no plaintext copy
touches the disk (CJISSECPOL v5.9.5 SC-28, MP-4; CP-9 system backup). Members:

- ``database/NNN-<app.model>.json``: every table, in dependency order, through
  Django's serializer (content types by natural key, so the archive loads into
  any migrated database; times to the microsecond, as the chains hash them);
- ``data/<path>``: every file under ``DATA_DIR`` -- the query-log archive, the
  evidence files, pending uploads and the keys (``keys/``, ``secret_key``) --
  except the SQLite database itself (it is in ``database/``), collected static
  files and ``tmp/``;
- ``manifest.json`` (last): rows per table, every chain head (change record and
  release log, per agency), and each file's size and SHA-256.

The snapshot is consistent: the backup runs in one transaction (REPEATABLE READ
on PostgreSQL; SQLite's IMMEDIATE transaction holds the write lock) that first
locks every change-record chain head, so no change can be recorded -- and so
none made -- until it ends.

The key file is 32 random bytes, hex; it is created 0600 when missing. Whoever
holds the key and an archive holds the installation: keep the key apart from the
archives (SECURITY.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import secrets
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from accdesk.lib.vault import VaultError, VaultFileSystem

FORMAT = "accdesk-backup-1"
PURPOSE = b"accdesk backup v1"
KEY_BYTES = 32
# Not worth backing up (the database file is dumped as data; static files are
# rebuilt by collectstatic; tmp/ holds work files of running jobs).
SKIPPED_TOP = ("static", "tmp")
SKIPPED_NAMES = ("accdesk.sqlite3", "accdesk.sqlite3-wal", "accdesk.sqlite3-shm")
# Files a freshly started installation writes itself: present in the "empty"
# data folder a restore goes into, and replaced by the archive's.
GENERATED = ("secret_key", "keys")
# Rows that are per database, not per installation: made by ``migrate``.
SKIPPED_MODELS = ("contenttypes.contenttype", "auth.permission", "sessions.session")


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


# -- the key ------------------------------------------------------------------
def load_key(path: Path, *, create: bool) -> tuple[bytes, bool]:
    """The key in ``path``; created (0600) when missing and ``create``."""
    created = False
    if not path.exists():
        if not create:
            raise BackupError(f"No key file {path}: the key the backup was made with.")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(KEY_BYTES) + "\n")
        created = True
    try:
        key = bytes.fromhex(path.read_text().strip())
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise BackupError(f"{path} is not a backup key (64 hex digits).")
    return key, created


def _vault(file: Path, key: bytes) -> tuple[VaultFileSystem, str]:
    file = file.resolve()
    return VaultFileSystem(file.parent, key, purpose=PURPOSE), file.name


# -- what is in an installation -----------------------------------------------------
def backed_up_models() -> list[type[models.Model]]:
    app_list = {config: None for config in apps.get_app_configs()}
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [
        model
        for model in ordered
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in SKIPPED_MODELS
    ]


def counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}


def chain_heads() -> dict[str, dict[str, str]]:
    """Every chain's head: the change record's (per agency and the
    installation's) and the release log's (per agency)."""
    from accdesk.agency.models import Agency
    from accdesk.core import chain
    from accdesk.releaselogs.chain import head as release_head

    agencies = list(Agency.objects.order_by("ori"))
    changes = {a.ori: str(chain.head(a.pk)) for a in agencies}
    changes["installation"] = str(chain.head(chain.INSTALLATION))
    return {
        "change_record": changes,
        "release_log": {a.ori: str(release_head(a)) for a in agencies},
    }


def data_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or relative.parts[0] in SKIPPED_TOP:
            continue
        if relative.name in SKIPPED_NAMES or relative.name.endswith(".part"):
            continue
        yield relative.as_posix(), path


class ExactEncoder(DjangoJSONEncoder):
    """Django's JSON encoder cuts times to milliseconds (ECMA-262); the chains
    hash microseconds, so the archive keeps them all."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


# -- backup ---------------------------------------------------------------------------
def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def backup(file: Path, key: bytes) -> dict[str, Any]:
    """Write the archive; returns its manifest."""
    from accdesk.core.chain import ChangeChain

    fs, name = _vault(file, key)
    root = Path(settings.DATA_DIR)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        list(ChangeChain.objects.select_for_update().order_by("chain"))
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "counts": counts(),
            "heads": chain_heads(),
            "files": {},
        }
        with (
            fs.open(name, "wb") as handle,
            tarfile.open(fileobj=handle, mode="w|gz") as tar,
        ):
            for n, model in enumerate(backed_up_models()):
                rows = model._base_manager.order_by("pk")
                objects = serializers.serialize(
                    "python", rows, use_natural_foreign_keys=True
                )
                data = json.dumps(objects, cls=ExactEncoder).encode()
                _add(tar, f"database/{n:03d}-{model._meta.label_lower}.json", data)
            for relative, path in data_files(root):
                content = path.read_bytes()
                manifest["files"][relative] = {
                    "size": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                }
                _add(tar, f"data/{relative}", content)
            _add(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
    os.chmod(file, 0o600)
    return manifest


# -- restore --------------------------------------------------------------------------
@dataclass
class Restored:
    manifest: dict[str, Any]
    counts: dict[str, int]
    problems: list[str] = field(default_factory=list)


def check_empty() -> None:
    """Restore only into a migrated database with no agencies and no users, and a
    data folder holding nothing but what a fresh start writes itself."""
    from accdesk.access.models import User
    from accdesk.agency.models import Agency

    if Agency.objects.exists() or User.objects.exists():
        raise BackupError(
            "The database is not empty (it has agencies or users). Restore into a "
            "new database: create it, run `accdesk migrate`, then restore."
        )
    root = Path(settings.DATA_DIR)
    present = [
        relative
        for relative, _ in data_files(root)
        if relative.split("/")[0] not in GENERATED
    ]
    if present:
        raise BackupError(
            f"The data folder {root} is not empty ({len(present)} files, e.g. "
            f"{present[0]}). Restore into a new, empty DATA_DIR."
        )


def restore(file: Path, key: bytes) -> Restored:
    check_empty()
    fs, name = _vault(file, key)
    root = Path(settings.DATA_DIR)
    manifest: dict[str, Any] | None = None
    written: dict[str, str] = {}
    loaded: list[type[models.Model]] = []
    try:
        with transaction.atomic(), connection.constraint_checks_disabled():
            _clear_seeds()
            with (
                fs.open(name, "rb") as handle,
                tarfile.open(fileobj=handle, mode="r|gz") as tar,
            ):
                for member in tar:
                    data = tar.extractfile(member)
                    content = data.read() if data is not None else b""
                    if member.name == "manifest.json":
                        manifest = json.loads(content)
                    elif member.name.startswith("database/"):
                        loaded.extend(_load(content))
                    elif member.name.startswith("data/"):
                        relative = member.name.removeprefix("data/")
                        _write(root, relative, content)
                        written[relative] = hashlib.sha256(content).hexdigest()
            if manifest is None or manifest.get("format") != FORMAT:
                raise BackupError(f"{file} has no ACC Desk manifest: not a backup.")
            connection.check_constraints()
            _reset_sequences(set(loaded))
    except (VaultError, tarfile.TarError) as exc:
        raise BackupError(
            f"{file} does not decrypt with this key, or is damaged: {exc}"
        ) from None
    _reload_secrets(root, written)
    result = Restored(manifest, counts())
    for label, expected in manifest["counts"].items():
        found = result.counts.get(label, 0)
        if found != expected:
            result.problems.append(f"{label}: {found} rows, the backup had {expected}")
    for relative, meta in manifest["files"].items():
        if written.get(relative) != meta["sha256"]:
            result.problems.append(f"data/{relative} is missing or differs")
    if chain_heads() != manifest["heads"]:
        result.problems.append("the chain heads differ from the backup's")
    return result


def _clear_seeds() -> None:
    """``migrate`` wrote standard rows (agreement kinds, terminal questions) and
    their change-record entries; the backup has its own copies, in its chains.
    The database holds no agency and no user (``check_empty``), so emptying the
    backed-up tables loses nothing. ``sql_flush`` truncates on PostgreSQL: the
    append-only triggers are row triggers on UPDATE and DELETE, not TRUNCATE."""
    tables = set()
    for model in backed_up_models():
        tables.add(model._meta.db_table)
        for m2m in model._meta.local_many_to_many:
            if m2m.remote_field.through._meta.auto_created:
                tables.add(m2m.remote_field.through._meta.db_table)
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), sorted(tables)):
            cursor.execute(sql)


def _load(content: bytes) -> list[type[models.Model]]:
    models_seen = []
    for obj in serializers.deserialize(
        "python", json.loads(content), handle_forward_references=True
    ):
        obj.save()  # raw: no signals write new change-record entries
        models_seen.append(type(obj.object))
    return models_seen


def _write(root: Path, relative: str, content: bytes) -> None:
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise BackupError(f"the archive names a file outside DATA_DIR: {relative}")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)


def _reset_sequences(loaded: set[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(loaded))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _reload_secrets(root: Path, written: dict[str, str]) -> None:
    """This process started with the fresh installation's generated secrets; take
    the restored ones (when they come from DATA_DIR, not from the environment)."""
    for setting, variable, relative in (
        ("SECRET_KEY", "SECRET_KEY", "secret_key"),
        ("QUERYLOG_ARCHIVE_KEY", "ACCDESK_QUERYLOG_KEY", "keys/querylog_archive.key"),
        ("EVIDENCE_KEY", "ACCDESK_EVIDENCE_KEY", "keys/evidence.key"),
    ):
        configured = os.environ.get(variable) or os.environ.get(f"{variable}_FILE")
        if relative in written and not configured:
            setattr(settings, setting, (root / relative).read_text().strip())
