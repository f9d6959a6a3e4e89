"""The hash chains that make the change record tamper-evident (CJISSECPOL v5.9.5
AU-9: protect audit information from unauthorized modification and deletion;
AU-5: act when audit logging fails).

There is one chain per agency (the entries filed under it) and one for the
installation (entries under no agency: sign-ins of people without an agency,
unlocks by the operator, commands). Each entry gets the next ``sequence`` of its
chain and a ``hash``: an HMAC-SHA-256, under a key kept outside the database, of

    b"accdesk-changerecord-entry-v1\\n" + <previous entry's hash, hex> + b"\\n"
    + <the entry's canonical JSON>

where the first entry's "previous hash" is the empty string -- the same
construction as the release log (``releaselogs/chain.py``). The canonical JSON is
``CANONICAL_FIELDS`` with sorted keys, no spaces, time stamps as UTC
``YYYY-MM-DDTHH:MM:SS.ffffffZ``, so SQLite and PostgreSQL give the same bytes.
A row changed, inserted or removed in the database breaks the chain from there
on; recomputing hashes needs the key; a tail cut off is caught by comparing with
a head kept elsewhere (``accdesk changes verify --head``) and with ``ChangeChain``.

Writers of one chain are serialised by locking its ``ChangeChain`` row, so
concurrent writers wait rather than fork the chain. If an entry cannot be written,
the action it records is refused (the exception propagates, and ``Audited.save``
runs the save and its entry in one transaction) and the agency's ACC and SPOC are
alerted at once (AU-5: within one hour).

The entries are ``core.models.ChangeRecord`` rows, which call ``write`` when they are
saved: ``models.py`` imports this module, and this one takes them as the Django
models they are. Walking a chain to verify it is ``verification.py``'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction

from accdesk.lib.env import ConfigurationError, env_secret, env_str

logger = logging.getLogger("accdesk.changes")

KEY_VARIABLE = "ACCDESK_CHANGES_KEY"
ENTRY_PREFIX = b"accdesk-changerecord-entry-v1\n"
GENESIS = ""
INSTALLATION = 0  # the chain of entries filed under no agency

CANONICAL_FIELDS = (
    "sequence",
    "at",
    "actor_id",
    "actor_label",
    "request_id",
    "agency_id",
    "action",
    "event",
    "object_type",
    "object_id",
    "object_repr",
    "changed_fields",
    "changes",
    "restricted",
    "message",
)


class ChangeRecordUnavailable(RuntimeError):
    """An entry of the change record could not be written: the action it would
    have recorded is refused (AU-5)."""


@dataclass(frozen=True)
class Head:
    sequence: int
    hash: str

    def __str__(self) -> str:
        return f"{self.sequence}:{self.hash}" if self.sequence else "0: (empty)"

    @classmethod
    def parse(cls, text: str) -> Head:
        """``SEQUENCE:HASH`` as printed by ``accdesk changes verify``."""
        sequence, sep, value = text.strip().partition(":")
        if not sep or not sequence.isdigit() or len(value) != 64:
            raise ValueError(
                f"{text!r} is not a head: expected SEQUENCE:HASH, e.g. 42:3fa1... "
                "(64 hex digits), as printed by `accdesk changes verify`"
            )
        return cls(int(sequence), value.lower())


class ChangeChain(models.Model):
    """The head of one change-record chain: an agency's (``chain`` = its id) or the
    installation's (0). Writers lock this row, so entries of one chain are
    numbered one after another; ``accdesk changes verify`` also compares the chain
    with it, so entries cut off the end are noticed."""

    chain = models.BigIntegerField(primary_key=True)
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"chain {self.chain} at {self.sequence}"


def chain_of(agency_id: int | None) -> int:
    return INSTALLATION if agency_id is None else int(agency_id)


def key_file() -> Path:
    return Path(settings.DATA_DIR) / "keys" / "changes.key"


def chain_key() -> bytes:
    """``ACCDESK_CHANGES_KEY``(``_FILE``), or a file generated under
    ``DATA_DIR/keys/`` on first use; never in the database, so that a copy of the
    database is not enough to rewrite the chain."""
    configured = env_str(KEY_VARIABLE) or env_str(f"{KEY_VARIABLE}_FILE")
    if not configured and not key_file().exists() and ChangeChain.objects.exists():
        raise ConfigurationError(
            f"The change-record key {key_file()} is missing but the change record "
            f"has entries: restore it from your backup (or set {KEY_VARIABLE}_FILE)."
        )
    return env_secret(KEY_VARIABLE, generated_file=key_file()).encode()


def utc_iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(record: models.Model) -> bytes:
    values: dict[str, Any] = {name: getattr(record, name) for name in CANONICAL_FIELDS}
    values["at"] = utc_iso(record.at)
    values["restricted"] = int(bool(record.restricted))
    return json.dumps(
        values, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def entry_hash(key: bytes, previous_hash: str, record: models.Model) -> str:
    message = ENTRY_PREFIX + previous_hash.encode() + b"\n" + canonical(record)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def link(records: Sequence[models.Model]) -> None:
    """Number and hash ``records`` (not saved yet) on their chains, and move the
    chains' heads. Call inside the transaction that inserts them."""
    key = chain_key()
    by_chain: dict[int, list[models.Model]] = defaultdict(list)
    for record in records:
        by_chain[chain_of(record.agency_id)].append(record)
    for chain in sorted(by_chain):  # one order for every writer: no deadlock
        heads = ChangeChain.objects.select_for_update()
        head = heads.filter(chain=chain).first()
        if head is None:  # the chain's first entry; two first writers may race
            ChangeChain.objects.bulk_create(
                [ChangeChain(chain=chain)], ignore_conflicts=True
            )
            head = heads.get(chain=chain)
        for record in by_chain[chain]:
            record.sequence = head.sequence + 1
            record.hash = entry_hash(key, head.hash, record)
            head.sequence, head.hash = record.sequence, record.hash
        head.save(update_fields=["sequence", "hash"])


def write(records: Sequence[models.Model], insert: Any) -> None:
    """Link and insert ``records`` (``insert`` does the INSERT) in one savepoint;
    on any failure, alert and raise ``ChangeRecordUnavailable``."""
    try:
        with transaction.atomic():
            link(records)
            insert()
    except Exception as exc:
        alert_logging_failure(records, exc)
        raise ChangeRecordUnavailable(
            "The change record could not be written, so this action was refused "
            "and nothing was saved. The ACC and SPOC have been alerted."
        ) from exc


def alert_logging_failure(records: Iterable[models.Model], exc: BaseException) -> None:
    """AU-5: tell the people responsible now. Plain mail, not ``core.mail.send``
    (which records the sending in the change record that just failed)."""
    records = list(records)
    agency_ids = sorted({r.agency_id for r in records if r.agency_id is not None})
    what = ", ".join(sorted({r.event or r.action for r in records})) or "an entry"
    logger.critical(
        "change record could not be written (%s, agencies %s): %r",
        what,
        agency_ids or "none",
        exc,
    )
    try:
        recipients = _responsible(agency_ids)
        if recipients:
            send_mail(
                f"{settings.EMAIL_SUBJECT_PREFIX}ACC Desk could not write its change "
                "record",
                "ACC Desk could not write an entry of its change record "
                f"({what}) at {utc_iso(dt.datetime.now(dt.UTC))}. The action was "
                "refused. Until this is fixed, every change is refused.\n\n"
                "Check the server's log and its database and disk, then run "
                "`accdesk changes verify` (CJIS Security Policy AU-5: respond to an "
                "audit logging failure within one hour).",
                None,
                recipients,
            )
    except Exception:  # the alert must never hide the original failure
        logger.exception("could not send the change-record failure alert")


def _responsible(agency_ids: list[int]) -> list[str]:
    """The ACCs and SPOCs of the agencies concerned; for the installation's
    chain, of every agency, and the superusers."""
    membership = apps.get_model("agency", "Membership")
    user = apps.get_model("access", "User")
    members = membership.objects.filter(
        role__in=["acc", "spoc"], suspended_at__isnull=True, user__is_active=True
    )
    if agency_ids:
        members = members.filter(agency_id__in=agency_ids)
    emails = set(members.values_list("user__email", flat=True))
    if not agency_ids:
        emails |= set(
            user.objects.filter(is_superuser=True, is_active=True).values_list(
                "email", flat=True
            )
        )
    return sorted(emails)


def head(chain: int) -> Head:
    stored = ChangeChain.objects.filter(chain=chain).first()
    return Head(stored.sequence, stored.hash) if stored else Head(0, GENESIS)
