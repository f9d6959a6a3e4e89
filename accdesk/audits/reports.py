"""The ACC Desk records a question can link to, generated as a report on the spot
for the audit binder (dated: what the records said the day the binder was made).

Each report is a title, a note, a header and rows; restricted contents (release-log
information given, query subjects, case descriptions) are left out: counts and
identifiers only, as the auditor sees them in the app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from accdesk.agency.models import Agency
from accdesk.audits.models import Link
from accdesk.lib.text import us_date


@dataclass
class Report:
    title: str
    note: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    MAX_ROWS = 200


def _d(day: dt.date | None) -> str:
    return us_date(day) if day else ""


def _roster(agency: Agency, day: dt.date) -> Report:
    from accdesk.personnel import worklist

    items = worklist.compute(agency, day).items
    return Report(
        "Roster and deactivation worklist",
        f"{len(items)} people and accounts; the reasons are the worklist's codes.",
        ["Employee ID", "Name", "Status", "Reasons", "Due"],
        [
            [
                item.employee_id or "",
                item.name,
                item.status,
                ", ".join(r.code for r in item.reasons),
                _d(item.due_date),
            ]
            for item in items
        ],
    )


def _training(agency: Agency, day: dt.date) -> Report:
    from accdesk.personnel.models import TrainingRecord

    rows = TrainingRecord.objects.filter(agency=agency).select_related("person")
    return Report(
        "Operator training records",
        "Kept at least 3 years (CJISSECPOL v5.9.5 AT-4).",
        ["Employee ID", "Name", "Course", "Completed", "Expires", "Status"],
        [
            [
                t.person.employee_id,
                f"{t.person.first_name} {t.person.last_name}",
                t.get_course_display(),
                _d(t.completed_date),
                _d(t.expiration_date),
                "expired"
                if t.expiration_date and t.expiration_date < day
                else "current",
            ]
            for t in rows.order_by("person__last_name", "-completed_date")
        ],
    )


def _release_log(agency: Agency, day: dt.date) -> Report:
    from accdesk.releaselogs.models import ReleaseLogEntry
    from accdesk.releaselogs.verification import verify

    check = verify(agency)
    since = day - dt.timedelta(days=3 * 365)
    rows = ReleaseLogEntry.objects.filter(agency=agency, released_at__date__gte=since)
    return Report(
        "Third-party release log (11 CCR §707(c))",
        f"Hash chain {check.summary()}. {rows.count()} releases in the last 3 years; "
        "the information given is in the log itself.",
        [
            "Sequence",
            "Released",
            "Requesting agency",
            "Requesting terminal",
            "Receiving terminal",
        ],
        [
            [
                str(e.sequence),
                _d(e.released_at.astimezone(agency.tz).date()),
                e.requesting_agency,
                e.requesting_terminal,
                e.receiving_terminal,
            ]
            for e in rows.order_by("-sequence")[: Report.MAX_ROWS]
        ],
    )


def _agreements(agency: Agency, day: dt.date) -> Report:
    from accdesk.agreements.models import Agreement

    rows = Agreement.objects.filter(agency=agency).select_related("kind", "vendor")
    return Report(
        "Agreements register",
        "",
        ["Reference", "Kind", "Party", "Signed", "Expires", "Status today"],
        [
            [
                a.reference,
                a.kind.form_number or a.kind.name,
                a.party_label,
                _d(a.signed_date),
                _d(a.expiry_date),
                a.status_on(day),
            ]
            for a in rows
        ],
    )


def _documents(
    kinds: tuple[str, ...], title: str
) -> Callable[[Agency, dt.date], Report]:
    def report(agency: Agency, day: dt.date) -> Report:
        from accdesk.terminals.models import SystemDocument

        rows = SystemDocument.objects.filter(agency=agency, kind__in=kinds)
        return Report(
            title,
            "" if rows else "None on record in ACC Desk.",
            ["Document", "Version", "Effective", "Last reviewed"],
            [
                [d.title, d.version, _d(d.effective_date), _d(d.reviewed_on)]
                for d in rows
            ],
        )

    return report


def _query_log_audit(agency: Agency, day: dt.date) -> Report:
    from accdesk.querylogs.models import AuditSet

    sets = AuditSet.objects.filter(agency=agency)
    rows = []
    for s in sets:
        done, total = s.progress()
        rows.append(
            [
                f"{_d(s.date_from)} – {_d(s.date_to)}",
                str(s.size),
                s.seed,
                f"{done} of {total}",
            ]
        )
    return Report(
        "Query-log audit sets (CORI self-audit)",
        "Each set is a reproducible random sample of inquiries (seed recorded).",
        ["Period", "Size", "Seed", "Reviewed"],
        rows,
    )


def _validations(agency: Agency, day: dt.date) -> Report:
    from accdesk.validations import rules

    done = rules.completed(agency)
    late = rules.overdue(agency, day)
    return Report(
        "Validation files",
        f"{len(done)} completed validations; {len(late)} overdue (30 days from the "
        "list).",
        ["Database", "Record", "List", "Result", "Validated", "Second-party check"],
        [
            [
                r.database,
                r.record_id,
                _d(r.list_date),
                r.get_result_display(),
                _d(r.validated_on),
                _d(r.second_party_on),
            ]
            for r in done[-Report.MAX_ROWS :]
        ],
    )


def _inspections(agency: Agency, day: dt.date) -> Report:
    from accdesk.terminals.models import Inspection

    rows = Inspection.objects.filter(agency=agency).select_related("site")
    return Report(
        "Site self-inspections",
        "",
        ["Site", "Inspected", "Inspector", "Signed off"],
        [
            [i.site.name, _d(i.inspected_on), i.inspector, _d(i.signed_off_on)]
            for i in rows
        ],
    )


REPORTS: dict[str, Callable[[Agency, dt.date], Report]] = {
    Link.ROSTER: _roster,
    Link.TRAINING: _training,
    Link.RELEASE_LOG: _release_log,
    Link.AGREEMENTS: _agreements,
    Link.NETWORK_DIAGRAM: _documents(
        ("network_diagram", "system_configuration"), "Network diagram and documents"
    ),
    Link.INCIDENT_PLAN: _documents(
        ("incident_response_plan",), "Incident response plan"
    ),
    Link.QUERY_LOG_AUDIT: _query_log_audit,
    Link.VALIDATIONS: _validations,
    Link.INSPECTIONS: _inspections,
}


def generate(link: str, agency: Agency, day: dt.date) -> Report:
    report = REPORTS[link](agency, day)
    if len(report.rows) > Report.MAX_ROWS:
        report.note += f" The first {Report.MAX_ROWS} of {len(report.rows)} rows."
        report.rows = report.rows[: Report.MAX_ROWS]
    return report
