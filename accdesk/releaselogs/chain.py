"""The hash chain that makes the release log tamper-evident (CJISSECPOL v5.9.5
AU-9: protect audit information from unauthorized modification and deletion).

Each entry's ``hash`` is an HMAC-SHA-256, under a key kept outside the database, of

    b"accdesk-releaselog-entry-v1\\n" + <previous entry's hash, hex> + b"\\n"
    + <the entry's canonical JSON>

where the first entry's "previous hash" is the empty string. The canonical JSON is
the entry's fields (``CANONICAL_FIELDS``) as one UTF-8 object with sorted keys and
no spaces; timestamps are UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` and null is ``""`` --
so SQLite and PostgreSQL give the same bytes. Changing, inserting or removing a row
breaks the chain from that row on; recomputing the hashes needs the key.

Sequence numbers are allocated as "head + 1" under a unique constraint: when two
saves pick the same number, one insert fails and retries on the new head, so the
chain never forks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accdesk.agency.models import Agency
from accdesk.core.actor import current_actor
from accdesk.lib.env import ConfigurationError, env_secret, env_str
from accdesk.releaselogs.models import (
    CONTENT_FIELDS,
    PurgeCertificate,
    ReleaseLogEntry,
)
from accdesk.releaselogs.roster import RosterNames

KEY_VARIABLE = "ACCDESK_RELEASELOG_KEY"
ENTRY_PREFIX = b"accdesk-releaselog-entry-v1\n"
CERTIFICATE_PREFIX = b"accdesk-releaselog-purge-v1\n"
GENESIS = ""  # the "previous hash" of sequence 1
APPEND_ATTEMPTS = 5

# Every stored field of an entry except ``id`` and ``hash`` itself. Foreign keys
# appear as their id, under the field's name ("agency": 7). (The order does not
# matter: the canonical JSON sorts its keys.)
CANONICAL_FIELDS = (
    "agency_id",
    "sequence",
    *CONTENT_FIELDS,
    "released_by_person_id",
    "corrects_sequence",
    "correction_reason",
    "recorded_at",
    "recorded_by",
)


class ChainBusy(RuntimeError):
    """Other writers kept taking the next sequence number; try again."""


@dataclass(frozen=True)
class Head:
    """The last link of the chain: anyone holding a copy can later tell whether
    entries after it were cut off."""

    sequence: int
    hash: str

    def __str__(self) -> str:
        return f"{self.sequence}:{self.hash}" if self.sequence else "0: (empty)"


def key_file() -> Path:
    return Path(settings.DATA_DIR) / "keys" / "releaselog.key"


def chain_key() -> bytes:
    """The HMAC key: ``ACCDESK_RELEASELOG_KEY``(``_FILE``), or a file generated
    under ``DATA_DIR/keys/`` on first use. A copy of the database alone must not be
    enough to rewrite the chain, so the key is never stored in it."""
    configured = env_str(KEY_VARIABLE) or env_str(f"{KEY_VARIABLE}_FILE")
    if not configured and not key_file().exists() and _chain_exists():
        # A new key would make every existing entry (and purge certificate) fail
        # verification.
        raise ConfigurationError(
            f"The release-log key {key_file()} is missing but entries exist: restore "
            f"it from your backup (or set {KEY_VARIABLE}_FILE)."
        )
    return env_secret(KEY_VARIABLE, generated_file=key_file()).encode()


def _chain_exists() -> bool:
    return ReleaseLogEntry.objects.exists() or PurgeCertificate.objects.exists()


def utc_iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canonical_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, list | tuple):
        return [_canonical_value(item) for item in value]
    return str(value)


def canonical_json(obj: object, fields: tuple[str, ...]) -> bytes:
    values = {
        name.removesuffix("_id"): _canonical_value(getattr(obj, name))
        for name in fields
    }
    return json.dumps(
        values,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")


def canonical(entry: ReleaseLogEntry) -> bytes:
    """The bytes an entry's hash covers (besides the previous hash)."""
    return canonical_json(entry, CANONICAL_FIELDS)


def entry_hash(key: bytes, previous_hash: str, entry: ReleaseLogEntry) -> str:
    message = ENTRY_PREFIX + previous_hash.encode() + b"\n" + canonical(entry)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


CERTIFICATE_FIELDS = (
    "agency_id",
    "purged_at",
    "purged_by",
    "before",
    "retention_years",
    "released_from",
    "released_to",
    "count",
    "entries",
    "last_sequence",
    "last_hash",
)


def certificate_mac(key: bytes, certificate: PurgeCertificate) -> str:
    message = CERTIFICATE_PREFIX + canonical_json(certificate, CERTIFICATE_FIELDS)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def head(agency: Agency) -> Head:
    """The chain's last link, counting entries removed by a purge: sequence numbers
    are never reused, and an exported head stays comparable after a purge."""
    last = (
        ReleaseLogEntry.objects.filter(agency=agency)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    purged = (
        PurgeCertificate.objects.filter(agency=agency)
        .order_by("-last_sequence")
        .values_list("last_sequence", "last_hash")
        .first()
    )
    links = [Head(*link) for link in (last, purged) if link is not None]
    return max(links, key=lambda link: link.sequence, default=Head(0, GENESIS))


def append(
    entry: ReleaseLogEntry, *, roster: RosterNames | None = None
) -> ReleaseLogEntry:
    """Validate ``entry``, link it to the roster, number it, chain it and save it.

    Raises ``ValidationError`` for a bad entry, ``ChainBusy`` if the sequence number
    kept being taken.
    """
    entry.recorded_at = timezone.now()
    entry.recorded_by = current_actor().label
    if entry.released_by_person_id is None:
        roster = roster or RosterNames.of(entry.agency)
        entry.released_by_person_id = roster.match(entry.released_by)
    entry.full_clean(exclude={"sequence", "hash"}, validate_constraints=False)
    key = chain_key()
    for _ in range(APPEND_ATTEMPTS):
        try:
            with transaction.atomic():
                link = head(entry.agency)
                entry.sequence = link.sequence + 1
                entry.hash = entry_hash(key, link.hash, entry)
                entry.save()
            return entry
        except IntegrityError:
            taken = ReleaseLogEntry.objects.filter(
                agency=entry.agency, sequence=entry.sequence
            ).exists()
            if not taken:
                raise
    raise ChainBusy(
        "The release log is busy: another entry kept taking the next sequence "
        "number. Try again."
    )
