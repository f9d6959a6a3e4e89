"""Demo audits of the Lakemont Police Department (fictional, dated from today): a
CLETS security audit of 14 months ago with three findings from the auditor's
report, two corrected with closure evidence and one still open (its corrective
action overdue); and a database audit announced for next month."""

from __future__ import annotations

import datetime as dt

from accdesk.agency.models import Agency, Membership, Role
from accdesk.audits import questionnaires, rules
from accdesk.audits.models import Answer, Audit, AuditType, Finding, Status
from accdesk.evidence.demo import attach_pdf

FINDINGS = [
    (
        "high",
        "CJISSECPOL v5.9.5 PE-5; seed deck (terminals accessible to the public)",
        "The front-counter terminal's monitor faces the public lobby.",
        "Move the monitor and fit a privacy filter.",
        True,
    ),
    (
        "medium",
        "CJISSECPOL v5.9.5 AT-2, AT-4",
        "Four operators' security awareness training expired.",
        "Enrol the four operators and record their certificates.",
        True,
    ),
    (
        "medium",
        "CLETS PPP (employee/volunteer statement)",
        "Two employee/volunteer statements missing from personnel files.",
        "Have both employees sign the statement and file it.",
        False,
    ),
]


def load(agency: Agency, today: dt.date) -> None:
    if agency.audits.filter(type=AuditType.CLETS_SECURITY).exists():
        return
    owner = Membership.objects.filter(agency=agency, role=Role.ACC).first().user

    def days(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    onsite = days(-14 * 30)
    audit = Audit.objects.create(
        agency=agency,
        type=AuditType.CLETS_SECURITY,
        title=f"CLETS security audit {onsite.year}",
        auditor="J. Rivera",
        auditor_agency="CA DOJ, CLETS Inspections and Database Audits Section",
        questionnaire=questionnaires.starting(),
        announced_date=onsite - dt.timedelta(days=30),
        questionnaire_received=onsite - dt.timedelta(days=25),
        onsite_start=onsite,
        onsite_end=onsite + dt.timedelta(days=1),
        preliminary_report=onsite + dt.timedelta(days=1),
        final_report=onsite + dt.timedelta(days=45),
        status=Status.REPORT_RECEIVED,
    )
    first = audit.questionnaire.questions.get(number="1.2")
    Answer.objects.create(
        agency=agency,
        audit=audit,
        question=first,
        value=Answer.Value.NO,
        note="Front-counter monitor visible from the lobby.",
        answered_by="Maria Alvarez",
    )
    for severity, citation, description, fix, corrected in FINDINGS:
        finding = Finding.objects.create(
            agency=agency,
            audit=audit,
            severity=severity,
            citation=citation,
            description=description,
            source=Finding.Source.AUDITOR,
            opened_on=audit.final_report,
        )
        action = rules.add_action(
            finding,
            description=fix,
            owner=owner,
            due_date=audit.final_report + dt.timedelta(days=60 if corrected else 90),
        )
        if corrected:
            attach_pdf(
                agency,
                action,
                title=f"Closure evidence: {fix}",
                lines=(f"Done: {fix}", "Checked by the ACC."),
                kind="report",
                effective_date=audit.final_report + dt.timedelta(days=50),
            )
            rules.close_action(
                action, audit.final_report + dt.timedelta(days=50), "Done and checked."
            )
    Audit.objects.create(
        agency=agency,
        type=AuditType.DATABASE,
        title=f"DOJ database audit {days(35).year}",
        databases=["WPS", "SVS"],
        auditor_agency="CA DOJ",
        questionnaire=questionnaires.starting(),
        announced_date=days(-5),
        onsite_start=days(35),
        status=Status.PREPARING,
    )
