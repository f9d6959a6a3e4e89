"""Verifying an agency's release-log chain (see ``chain.py`` for how it is built).

``verify`` walks the entries in sequence order and recomputes every hash with the
key. It reports the first sequence number that does not verify:

- a row whose content or hash was changed (or that was inserted) does not match;
- a removed row leaves a gap that no purge certificate covers;
- a chain rewritten without the key fails at its first entry;
- a cut-off tail leaves no gap, so the head is also compared with the head seen by
  the last successful verification and, when given, with a head exported earlier.

Each run is stored as a ``ChainCheck`` (the page shows the latest) and recorded in
the change record.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.utils import timezone

from accdesk.agency.models import Agency
from accdesk.core.actor import current_actor
from accdesk.core.audit import record_event
from accdesk.releaselogs.chain import GENESIS, Head, certificate_mac, chain_key, head
from accdesk.releaselogs.chain import entry_hash as compute_hash
from accdesk.releaselogs.models import ChainCheck, PurgeCertificate, ReleaseLogEntry


@dataclass(frozen=True)
class Verification:
    ok: bool
    head: Head
    entries: int
    first_bad: int | None = None
    problem: str = ""

    def summary(self) -> str:
        if self.ok:
            return f"intact: {self.entries} entries verified"
        return f"BROKEN at sequence {self.first_bad}: {self.problem}"


class _Broken(Exception):
    def __init__(self, sequence: int, problem: str, checked: int | None = None) -> None:
        super().__init__(problem)
        self.sequence = sequence
        self.problem = problem
        self.checked = checked  # entries verified before the walk stopped


def verify(agency: Agency, *, expected_head: Head | None = None) -> Verification:
    """Verify the chain, store the result as a ``ChainCheck`` and return it."""
    checked = 0
    try:
        key = chain_key()
        covered = _covered_by_certificates(agency, key)
        last, checked = _walk(agency, key, covered)
        for seen, source in _heads_seen(agency, expected_head):
            _check_head(agency, last, covered, seen, source)
        result = Verification(True, last, checked)
    except _Broken as broken:
        if broken.checked is not None:
            checked = broken.checked
        result = Verification(
            False, head(agency), checked, broken.sequence, broken.problem
        )
    _store(agency, result)
    return result


def _heads_seen(agency: Agency, expected_head: Head | None) -> list[tuple[Head, str]]:
    """Heads the chain must still contain: the last successful verification's, and
    one given by the caller (exported or printed earlier)."""
    heads = []
    previous = (
        ChainCheck.objects.filter(agency=agency, ok=True, head_sequence__gt=0)
        .order_by("-checked_at", "-id")
        .first()
    )
    if previous is not None:
        heads.append(
            (
                Head(previous.head_sequence, previous.head_hash),
                f"the verification of {previous.checked_at:%Y-%m-%d %H:%M} UTC",
            )
        )
    if expected_head is not None:
        heads.append((expected_head, "the head you gave"))
    return heads


def _covered_by_certificates(agency: Agency, key: bytes) -> dict[int, str]:
    """Sequence -> hash of every purged entry, from certificates that verify."""
    covered: dict[int, str] = {}
    for certificate in PurgeCertificate.objects.filter(agency=agency).order_by("id"):
        if not hmac.compare_digest(certificate_mac(key, certificate), certificate.mac):
            raise _Broken(
                _first_listed(certificate),
                f"the purge certificate of {certificate.purged_at:%Y-%m-%d} does not "
                "verify: it was altered or forged",
            )
        covered.update(certificate.covered)
    return covered


def _first_listed(certificate: PurgeCertificate) -> int:
    """The first sequence number a (possibly mangled) certificate lists."""
    try:
        return min(certificate.covered)
    except (TypeError, ValueError):
        return certificate.last_sequence


def _walk(agency: Agency, key: bytes, covered: dict[int, str]) -> tuple[Head, int]:
    previous, expected, checked = GENESIS, 1, 0
    entries = ReleaseLogEntry.objects.filter(agency=agency).order_by("sequence")
    for entry in entries.iterator(chunk_size=2000):
        while expected < entry.sequence and expected in covered:
            previous, expected = covered[expected], expected + 1
        if entry.sequence > expected:
            raise _Broken(
                expected,
                f"entry {expected} is missing: it was removed without a purge "
                "certificate",
                checked,
            )
        if entry.sequence < expected or entry.sequence in covered:
            raise _Broken(
                entry.sequence,
                "this entry was inserted outside the app (its sequence number is "
                "out of place or was purged)",
                checked,
            )
        if not hmac.compare_digest(compute_hash(key, previous, entry), entry.hash):
            raise _Broken(
                entry.sequence,
                "this entry does not verify: its content or hash was changed, or it "
                "was inserted outside the app",
                checked,
            )
        previous, expected, checked = entry.hash, expected + 1, checked + 1
    while expected in covered:
        previous, expected = covered[expected], expected + 1
    if any(sequence > expected for sequence in covered):
        raise _Broken(expected, f"entry {expected} is missing", checked)
    return Head(expected - 1, previous), checked


def _check_head(
    agency: Agency, last: Head, covered: dict[int, str], seen: Head, source: str
) -> None:
    """The chain must still contain a head seen earlier, with the same hash."""
    if seen.sequence == 0:
        return
    if seen.sequence > last.sequence:
        raise _Broken(
            last.sequence + 1,
            f"the chain ends at entry {last.sequence}, but {source} saw entry "
            f"{seen.sequence}: entries at the end were removed",
        )
    stored = covered.get(seen.sequence) or (
        ReleaseLogEntry.objects.filter(agency=agency, sequence=seen.sequence)
        .values_list("hash", flat=True)
        .first()
    )
    if stored != seen.hash:
        raise _Broken(
            seen.sequence,
            f"entry {seen.sequence} has a different hash from the one {source} saw",
        )


def _store(agency: Agency, result: Verification) -> None:
    ChainCheck.objects.create(
        agency=agency,
        checked_at=timezone.now(),
        checked_by=current_actor().label,
        ok=result.ok,
        head_sequence=result.head.sequence,
        head_hash=result.head.hash,
        entries=result.entries,
        first_bad_sequence=result.first_bad,
        problem=result.problem,
    )
    record_event(
        "releaselog.verify",
        agency_id=agency.pk,
        message=f"{result.summary()}; head {result.head}",
    )
