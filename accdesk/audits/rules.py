"""The rules of audits, findings and corrective actions.

- **Next expected audit**: CA DOJ audits every agency with direct access at least
  every 3 years (CJISSECPOL v5.9.5 §5.11.2): 3 years after the on-site start of
  the last audit of the same type.
- **Closing** (issue 14): a corrective action closes with closure evidence (an
  evidence file attached to it); closing the last open action of a finding closes
  the finding; the ACC may close the audit once every finding is closed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accdesk.agency.models import Agency
from accdesk.audits.models import Audit, AuditType, CorrectiveAction, Finding, Status
from accdesk.evidence.models import EvidenceFile

CYCLE_YEARS = 3  # CJISSECPOL v5.9.5 §5.11.2
# Seed deck ("Database audits"): the agency hears of its selection about 30 days
# before, and the final report reaches the agency head 30-60 days after the audit.
NOTICE_DAYS = 30
FINAL_REPORT_DAYS = (30, 60)


class ClosingRefused(ValueError):
    """A record cannot be closed yet: the message says why."""


def _plus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def next_expected(agency: Agency, audit_type: str) -> dt.date | None:
    """When the next audit of ``audit_type`` is expected: 3 years after the on-site
    start of the last one (None when none is on record, or for a self-audit)."""
    if audit_type == AuditType.SELF:
        return None
    last = (
        Audit.objects.filter(agency=agency, type=audit_type, onsite_start__isnull=False)
        .order_by("-onsite_start")
        .first()
    )
    return _plus_years(last.onsite_start, CYCLE_YEARS) if last else None


def expected_final_report(audit: Audit) -> tuple[dt.date, dt.date] | None:
    end = audit.onsite_end or audit.onsite_start
    if end is None:
        return None
    first, last = FINAL_REPORT_DAYS
    return end + dt.timedelta(days=first), end + dt.timedelta(days=last)


def open_findings(audit: Audit) -> list[Finding]:
    return [f for f in audit.findings.all() if f.is_open]


def open_actions(audit: Audit) -> list[CorrectiveAction]:
    return list(
        CorrectiveAction.objects.filter(finding__audit=audit).exclude(
            status=CorrectiveAction.State.DONE
        )
    )


def overdue_actions(agency: Agency, day: dt.date) -> list[CorrectiveAction]:
    return list(
        CorrectiveAction.objects.filter(agency=agency, due_date__lt=day)
        .exclude(status=CorrectiveAction.State.DONE)
        .select_related("finding__audit", "owner")
    )


def has_closure_evidence(action: CorrectiveAction) -> bool:
    return (
        EvidenceFile.objects.filter(agency_id=action.agency_id)
        .attached_to(action)
        .current()
        .exists()
    )


@transaction.atomic
def add_action(finding: Finding, **fields: object) -> CorrectiveAction:
    """A corrective action on a finding; a finding with an open action reopens,
    and its audit shows actions open (unless still being audited)."""
    action = CorrectiveAction.objects.create(
        agency_id=finding.agency_id, finding=finding, **fields
    )
    if finding.closed_on is not None:
        finding.closed_on = None
        finding.save(update_fields=["closed_on"])
    audit = finding.audit
    if audit.status in (Status.REPORT_RECEIVED, Status.CLOSED):
        audit.status = Status.ACTIONS_OPEN
        audit.closed_on = None
        audit.save(update_fields=["status", "closed_on"])
    return action


@transaction.atomic
def close_action(action: CorrectiveAction, on: dt.date, note: str) -> bool:
    """Close a corrective action; refused without closure evidence. Returns whether
    its finding closed too (it was the finding's last open action)."""
    if not has_closure_evidence(action):
        raise ClosingRefused(
            "Attach the closure evidence (an evidence file) before closing the "
            "corrective action."
        )
    action.status = CorrectiveAction.State.DONE
    action.closed_on = on
    action.closure_note = note
    action.save(update_fields=["status", "closed_on", "closure_note"])
    finding = action.finding
    if finding.actions.exclude(status=CorrectiveAction.State.DONE).exists():
        return False
    finding.closed_on = on
    finding.save(update_fields=["closed_on"])
    return True


def may_close(audit: Audit) -> str:
    """Why the audit cannot be closed yet ("" when it can)."""
    if audit.status == Status.CLOSED:
        return "The audit is closed."
    still = open_findings(audit)
    if still:
        return (
            f"{len(still)} finding(s) still open: close their corrective actions first."
        )
    return ""


@transaction.atomic
def close_audit(audit: Audit, on: dt.date) -> None:
    if reason := may_close(audit):
        raise ClosingRefused(reason)
    audit.status = Status.CLOSED
    audit.closed_on = on
    audit.save(update_fields=["status", "closed_on"])


def counts(audit: Audit) -> tuple[int, int]:
    """(open findings, open corrective actions)."""
    return len(open_findings(audit)), len(open_actions(audit))
