"""A validation whose master case record was not located opens a finding: the
record must be cancelled (CJIS Manual §2.3.1(G) "Record Maintenance
Requirements"; domain brief §3.7). The validations app knows nothing of audits
(dependencies point one way), so the audits app listens for it.

The finding goes on the agency's open database audit if there is one, else on a
standing self-audit of record validations, opened the first time.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from accdesk.audits.models import Audit, AuditType, Finding, Status
from accdesk.validations.models import ListedRecord

STANDING_TITLE = "Record validations: findings"


def _audit_for(record: ListedRecord) -> Audit:
    open_audits = Audit.objects.filter(agency_id=record.agency_id).exclude(
        status=Status.CLOSED
    )
    found = (
        open_audits.filter(type=AuditType.DATABASE).first()
        or open_audits.filter(type=AuditType.SELF, title=STANDING_TITLE).first()
    )
    if found is None:
        found = Audit.objects.create(
            agency_id=record.agency_id,
            type=AuditType.SELF,
            title=STANDING_TITLE,
            auditor_agency="This agency",
            status=Status.IN_PROGRESS,
        )
    return found


def master_case_missing(sender: Any, instance: ListedRecord, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.master_case_located is not False:
        return
    if Finding.objects.filter(listed_record=instance).exists():
        return
    Finding.objects.create(
        agency_id=instance.agency_id,
        audit=_audit_for(instance),
        severity=Finding.Severity.HIGH,
        citation="CJIS Manual §2.3.1(G) (master case record)",
        description=f"{instance.database} record {instance.record_id}: the master "
        "case record was not located at validation. Cancel the record.",
        source=Finding.Source.VALIDATION,
        listed_record=instance,
        opened_on=instance.agency.today(),
    )


def connect() -> None:
    post_save.connect(
        master_case_missing, sender=ListedRecord, dispatch_uid="audits.master_case"
    )
