"""The mock audit: one click runs every check of ACC Desk that a DOJ auditor will
run, and opens a self-audit with what they found as findings (issue 14).

The checks, each with the rule it stands for:

- the deactivation worklist (people to deactivate or remediate), with training
  records (expired training, testing delinquent) and missing statements (the
  employee/volunteer statement, the areas-of-liability acknowledgment) apart;
- the release log's hash chain (11 CCR §707(c): a complete, unaltered log);
- a CORI query-log audit of the last 12 months: an audit set of 50 inquiries
  (the sample size of the seed deck's database audits) is drawn for review;
- agreements on file (Subscriber Agreement, SPOC, vendors, security addenda);
- site self-inspections and their open corrective actions;
- record validations overdue (30 days from the list) and master case records not
  located.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from accdesk.agency.models import Agency
from accdesk.audits import questionnaires
from accdesk.audits.models import Audit, AuditType, Finding, Status
from accdesk.audits.samples import new_seed

# (severity, citation, description)
Check = tuple[str, str, str]
HIGH, MEDIUM, LOW = Finding.Severity.HIGH, Finding.Severity.MEDIUM, Finding.Severity.LOW
QUERY_SAMPLE = 50
TRAINING_CODES = {"TRAINING_EXPIRED", "TESTING_DELINQUENT"}
STATEMENT_CODES = {"MISSING_STATEMENT", "LIABILITY_UNSIGNED"}


def _some(ids: list[str]) -> str:
    shown = ", ".join(ids[:8])
    return shown + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")


def worklist_checks(agency: Agency, day: dt.date) -> list[Check]:
    from accdesk.personnel import worklist

    groups: dict[str, list[str]] = {"training": [], "statements": [], "other": []}
    for item in worklist.compute(agency, day).listed():
        who = item.employee_id or item.operator_id or item.name
        codes = {r.code for r in item.reasons}
        if codes & TRAINING_CODES:
            groups["training"].append(who)
        if codes & STATEMENT_CODES:
            groups["statements"].append(who)
        if codes - TRAINING_CODES - STATEMENT_CODES:
            groups["other"].append(who)
    found = []
    if groups["other"]:
        found.append(
            (
                HIGH,
                "CJISSECPOL v5.9.5 AC-2; PS-4",
                "Worklist: "
                f"{len(groups['other'])} people or accounts to deactivate or "
                f"remediate ({_some(groups['other'])}).",
            )
        )
    if groups["training"]:
        found.append(
            (
                HIGH,
                "CJISSECPOL v5.9.5 AT-2, AT-4; CLETS PPP (operator certification)",
                f"Training records: {len(groups['training'])} people with expired "
                f"training or testing ({_some(groups['training'])}).",
            )
        )
    if groups["statements"]:
        found.append(
            (
                MEDIUM,
                "CLETS PPP (employee/volunteer statement)",
                f"Missing statements: {len(groups['statements'])} people "
                f"({_some(groups['statements'])}).",
            )
        )
    return found


def release_log_checks(agency: Agency, day: dt.date) -> list[Check]:
    from accdesk.releaselogs.verification import verify

    check = verify(agency)
    if check.ok:
        return []
    return [
        (HIGH, "11 CCR §707(c)", f"Release log: the hash chain is {check.summary()}.")
    ]


def query_log_checks(agency: Agency, day: dt.date) -> list[Check]:
    from accdesk.querylogs import archive, storage

    start = day - dt.timedelta(days=365)
    wanted = {f"{start.year}-{start.month:02d}", f"{day.year}-{day.month:02d}"}
    held = set(storage.months(agency))
    if not held:
        return [
            (
                MEDIUM,
                "CJISSECPOL v5.9.5 AU-6, §4.2.1",
                "Query-log audit: no query logs archived for the last 12 months, so "
                "no CORI self-audit sample could be drawn.",
            )
        ]
    audit_set = archive.create_audit_set(agency, start, day, QUERY_SAMPLE, new_seed())
    months_note = "" if wanted <= held else " (some months of the period have no logs)"
    return [
        (
            LOW,
            "CJISSECPOL v5.9.5 §4.2.1; seed deck (CORI audits)",
            f"Query-log audit: a sample of {audit_set.items.count()} inquiries of "
            f"{start} – {day} (seed {audit_set.seed}) awaits review for right and "
            f"need to know{months_note}.",
        )
    ]


def agreement_checks(agency: Agency, day: dt.date) -> list[Check]:
    from accdesk.agreements import rules

    found = [
        (HIGH, "CLETS PPP; HDC 0001/0004/0011", f"Agreements: {f.message}")
        for f in rules.agency_findings(agency, day)
    ]
    missing = rules.missing_addenda(agency, day)
    if missing:
        found.append(
            (
                HIGH,
                "CJISSECPOL v5.9.5 §5.1.1.5 (HDC 0012)",
                f"Agreements: {len(missing)} private-vendor employees without a "
                "Security Addendum in force.",
            )
        )
    return found


def inspection_checks(agency: Agency, day: dt.date) -> list[Check]:
    from accdesk.terminals import rules
    from accdesk.terminals.models import Site

    found = []
    sites = list(Site.objects.filter(agency=agency))
    done = rules.last_done(sites)
    for site in sites:
        due = rules.inspection_due(site, day, done)
        if due.late:
            when = f"last on {due.last}" if due.last else "never inspected"
            found.append(
                (
                    MEDIUM,
                    due.source,
                    f"Inspections: {site.name} is due a self-inspection ({when}).",
                )
            )
    late = [a for a in rules.open_actions(agency) if a.due_date < day]
    if late:
        found.append(
            (
                MEDIUM,
                "CLETS PPP (site inspection)",
                f"Inspections: {len(late)} "
                "corrective actions from self-inspections are overdue.",
            )
        )
    return found


def validation_checks(agency: Agency, day: dt.date) -> list[Check]:
    from accdesk.validations import rules

    found = []
    late = rules.overdue(agency, day)
    if late:
        found.append(
            (
                HIGH,
                "LASD MPP 5-07/130.10 (30 days from the list)",
                f"Validations: {len(late)} listed records overdue "
                f"({_some([f'{r.database} {r.record_id}' for r in late])}).",
            )
        )
    missing = rules.master_case_missing(agency)
    if missing:
        found.append(
            (
                HIGH,
                "CJIS Manual §2.3.1(G)",
                f"Validations: {len(missing)} "
                "records whose master case record was not located: cancel them.",
            )
        )
    return found


CHECKS: list[tuple[str, Callable[[Agency, dt.date], list[Check]]]] = [
    ("worklist, training records and missing statements", worklist_checks),
    ("release-log verification", release_log_checks),
    ("query-log audit of the last 12 months", query_log_checks),
    ("agreements", agreement_checks),
    ("inspections", inspection_checks),
    ("validations overdue", validation_checks),
]


@transaction.atomic
def run(agency: Agency, by: str) -> Audit:
    """Run every check and open a self-audit holding their findings."""
    day = agency.today()
    audit = Audit.objects.create(
        agency=agency,
        type=AuditType.SELF,
        title=f"Mock audit of {day:%b} {day.day}, {day.year}",
        auditor=by,
        auditor_agency="This agency (mock audit)",
        questionnaire=questionnaires.starting(),
        announced_date=day,
        onsite_start=day,
        onsite_end=day,
        status=Status.IN_PROGRESS,
        notes="Checks run: " + "; ".join(name for name, _ in CHECKS) + ".",
    )
    for _, check in CHECKS:
        for severity, citation, description in check(agency, day):
            Finding.objects.create(
                agency=agency,
                audit=audit,
                severity=severity,
                citation=citation,
                description=description,
                source=Finding.Source.MOCK,
                opened_on=day,
            )
    return audit
