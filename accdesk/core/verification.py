"""Verifying a change-record chain (``core/chain.py``): walk its entries in
sequence order, recompute every hash, and compare the end with the stored head
(``ChangeChain``) and with one kept elsewhere (``accdesk changes verify --head``).
It reads the entries (``models.py``), which are written through ``chain.py``: this
module stands above both.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from accdesk.core.chain import (
    GENESIS,
    INSTALLATION,
    ChangeChain,
    Head,
    chain_key,
    entry_hash,
)
from accdesk.core.models import ChangeRecord


@dataclass(frozen=True)
class Verification:
    ok: bool
    head: Head
    entries: int
    first_bad: int | None = None
    problem: str = ""

    def summary(self) -> str:
        if self.ok:
            return f"intact: {self.entries} entries verified; head {self.head}"
        return f"BROKEN at entry {self.first_bad}: {self.problem}"


class _Broken(Exception):
    def __init__(self, sequence: int, problem: str) -> None:
        super().__init__(problem)
        self.sequence, self.problem = sequence, problem


def entries_of(chain: int) -> Any:
    if chain == INSTALLATION:
        return ChangeRecord.objects.filter(agency_id__isnull=True)
    return ChangeRecord.objects.filter(agency_id=chain)


def verify(chain: int, expected_head: Head | None = None) -> Verification:
    """Walk one chain in sequence order and recompute every hash. Reports the first
    entry that does not verify: changed (content or hash), inserted, removed
    (a gap), or cut off at the end (shorter than the stored or the given head)."""
    key = chain_key()
    previous, expected, checked = GENESIS, 1, 0
    try:
        rows = entries_of(chain).order_by("sequence", "id")
        for record in rows.iterator(chunk_size=2000):
            if record.sequence is None or record.sequence < expected:
                raise _Broken(
                    record.sequence or expected,
                    f"entry id {record.pk} was inserted outside ACC Desk (its "
                    "sequence number is missing or repeated)",
                )
            if record.sequence > expected:
                raise _Broken(expected, f"entry {expected} is missing: it was removed")
            if not hmac.compare_digest(entry_hash(key, previous, record), record.hash):
                raise _Broken(
                    record.sequence,
                    "this entry does not verify: its content or hash was changed, "
                    "or it was inserted outside ACC Desk",
                )
            previous, expected, checked = record.hash, expected + 1, checked + 1
        last = Head(expected - 1, previous)
        stored = ChangeChain.objects.filter(chain=chain).first()
        heads = (
            [(Head(stored.sequence, stored.hash), "the stored head")] if stored else []
        )
        if expected_head is not None:
            heads.append((expected_head, "the head you gave"))
        for seen, source in heads:
            _check_head(chain, last, seen, source)
    except _Broken as broken:
        return Verification(
            False,
            Head(expected - 1, previous),
            checked,
            broken.sequence,
            broken.problem,
        )
    return Verification(True, last, checked)


def _check_head(chain: int, last: Head, seen: Head, source: str) -> None:
    if seen.sequence == 0:
        return
    if seen.sequence > last.sequence:
        raise _Broken(
            last.sequence + 1,
            f"the chain ends at entry {last.sequence}, but {source} is entry "
            f"{seen.sequence}: entries at the end were removed",
        )
    stored = (
        entries_of(chain)
        .filter(sequence=seen.sequence)
        .values_list("hash", flat=True)
        .first()
    )
    if stored != seen.hash:
        raise _Broken(
            seen.sequence,
            f"entry {seen.sequence} has a different hash from {source}",
        )
