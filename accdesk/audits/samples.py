"""Samples of a database's records for a database audit.

DOJ's database auditors draw about 50 of the agency's records at random (seed deck,
"Database audits": random selection of database records, approx. 50); the agency
draws the same kind of sample to prepare. Reproducible like the query-log audit
set: each record is ranked by SHA-256 of the seed and its key, so the same seed
over the same records gives the same sample, and the seed is recorded.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from accdesk.audits.models import Audit, Finding, Sample, SampleItem
from accdesk.core.actor import current_actor
from accdesk.core.audit import record_changes
from accdesk.validations.models import ListedRecord


def new_seed() -> str:
    return secrets.token_hex(8)


def _rank(seed: str, record: ListedRecord) -> str:
    key = f"{seed}:{record.database}:{record.record_id}"
    return hashlib.sha256(key.encode()).hexdigest()


def candidates(audit: Audit, database: str) -> list[ListedRecord]:
    """Each record of the agency in ``database`` once: its latest listing."""
    latest: dict[str, ListedRecord] = {}
    for row in ListedRecord.objects.filter(
        agency_id=audit.agency_id, database=database
    ).order_by("list_date"):
        latest[row.record_id] = row
    return list(latest.values())


def choose(records: list[ListedRecord], size: int, seed: str) -> list[ListedRecord]:
    return sorted(records, key=lambda r: (_rank(seed, r), r.record_id))[:size]


@transaction.atomic
def draw(audit: Audit, database: str, size: int, seed: str) -> Sample:
    chosen = choose(candidates(audit, database), size, seed)
    sample = Sample.objects.create(
        audit=audit,
        database=database,
        size=size,
        seed=seed,
        drawn_by=current_actor().label,
    )
    items = SampleItem.objects.bulk_create(
        SampleItem(sample=sample, position=i, record=record)
        for i, record in enumerate(chosen, start=1)
    )
    record_changes(((item, "create", None) for item in items), message=str(sample))
    return sample


CHECK_LABELS = {
    "master_case": "master case record not located",
    "second_party": "no second-party check",
    "validation_current": "validation not current",
    "accurate": "entry not accurate",
}


@transaction.atomic
def record_check(item: SampleItem, values: dict[str, object], by: str) -> None:
    """Save the checks of one sampled record; a failed one opens a finding (once)."""
    for name in (*SampleItem.CHECKS, "note"):
        setattr(item, name, values.get(name))
    item.note = item.note or ""
    item.checked_by = by
    item.save()
    if item.result != "fail" or hasattr(item, "finding"):
        return
    audit = item.sample.audit
    failed = [CHECK_LABELS[n] for n in SampleItem.CHECKS if getattr(item, n) is False]
    Finding.objects.create(
        agency_id=audit.agency_id,
        audit=audit,
        severity=Finding.Severity.HIGH
        if item.master_case is False
        else Finding.Severity.MEDIUM,
        citation="CJIS Manual §2.3.1(G); NCIC OM (quality control, validation)",
        description=f"Sampled {item.record.database} record {item.record.record_id}: "
        + "; ".join(failed)
        + (". Cancel the record." if item.master_case is False else "."),
        source=Finding.Source.SAMPLE,
        sample_item=item,
        opened_on=audit.agency.today(),
    )
