"""Demo roster of the fictional Lakemont Police Department, dated relative to today.

The same people are the demo CSV files (``write_files``: roster, accounts, nextest,
training, background, forms), so the demo agency and an upload walk-through agree;
``load`` imports those files through the real import formats. Every status and
almost every reason appears. Names are invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accdesk.access.models import User
from accdesk.agency.models import Agency, Membership, Role
from accdesk.core.imports import run_import
from accdesk.personnel import policy
from accdesk.personnel.imports import FORMATS
from accdesk.personnel.models import (
    Deactivation,
    OperatorIdHolder,
    Person,
    PolicySetting,
    SystemAccount,
)

SUPERVISOR_EMAIL = "sgt.okafor@lakemont.example"
SUPERVISOR_ID = "E1003"  # Sgt. Okafor supervises a few people; Sgt. Greene the rest
OTHER_SUPERVISOR_ID = "E1013"
AGENCY_HEAD = "Chief Maria Alvarez"
# An operator ID given to a new operator 7 months after its previous holder's
# account was disabled (IA-4(d): not within 1 year).
REUSED_ID = ("E4001", "E0950", 240, 210)  # new holder, previous, created, disabled


@dataclass(frozen=True)
class DemoPerson:
    """One person; the defaults make them fully eligible. Counts are days ago."""

    employee_id: str
    first: str
    last: str
    role: str = "general"
    access: str | None = "full"  # None: no CLETS account
    admin: bool = False
    sworn: bool = True
    employer: str = "agency"
    supervisor: str = OTHER_SUPERVISOR_ID
    status: str = "active"
    separated: int | None = None
    created: int = 900
    last_used: int | None = 3
    tested: int | None = 120  # NexTEST, expiring 12 months later
    test_expires: int | None = None  # days from today, overrides the above
    trained: int | None = 120
    awareness_test: int | None = None  # NexTEST Security Awareness, by employee ID
    training_level: str | None = None
    cleared: int | None = 1200  # both fingerprint checks
    fbi_pending: bool = False
    rap_back: bool = False
    statement: bool = True
    liability: bool = True
    # Issue 12.
    score: str = "92"  # NexTEST score ("" : a pass notation)
    initial: int | None = -1  # initial CLETS training, days ago (-1: when created)
    initial_hours: str = ""  # blank counts; below 6 (full) / 4 (ltf) does not
    approved: bool = True  # the agency head approved the clearance
    rap_back_expires: int | None = None  # days from today
    arrest_reported: int | None = None  # arrest reported after access, days ago
    assigned: int | None = None  # CLETS assignment date, days ago


PEOPLE = [
    # Eligible, in several shapes.
    DemoPerson("E1001", "Maria", "Alvarez", role="security", admin=True),
    DemoPerson("E1002", "Dana", "Whitfield", role="general", admin=True, access=None),
    DemoPerson("E1003", "Chidi", "Okafor", role="general", supervisor="E1001"),
    DemoPerson(
        "E1004",
        "Priya",
        "Raman",
        access="ltf",
        sworn=False,
        supervisor=SUPERVISOR_ID,
        tested=300,
    ),
    DemoPerson("E1005", "Tomás", "Ibarra", supervisor=SUPERVISOR_ID),
    DemoPerson("E1006", "Grace", "Holloway", access="ltf", sworn=False, trained=290),
    DemoPerson("E1007", "Wen", "Zhao", status="leave"),
    # Cleared over 5 years ago, but enrolled in Rap Back: no reinvestigation.
    DemoPerson(
        "E1008",
        "Kevin",
        "Osei",
        role="privileged",
        sworn=False,
        cleared=2200,
        rap_back=True,
    ),
    DemoPerson("E1009", "Luis", "Serrano", role="", access=None, sworn=False),
    DemoPerson("E1010", "Hannah", "Brandt", access="ltf", sworn=False, tested=30),
    # Records clerk: security awareness through NexTEST, listed by employee ID.
    DemoPerson(
        "E1011",
        "Samir",
        "Haddad",
        access=None,
        sworn=False,
        trained=None,
        awareness_test=200,
    ),
    DemoPerson("E1012", "Olga", "Petrova", role="unescorted", access=None, sworn=False),
    DemoPerson("E1013", "Marcus", "Greene", supervisor="E1001"),
    DemoPerson("E1014", "Aiko", "Tanaka", access="ltf", sworn=False, tested=310),
    # Must deactivate.
    DemoPerson(
        "E2001",
        "Brian",
        "Kessler",
        status="separated",
        separated=12,
        supervisor=SUPERVISOR_ID,
    ),
    DemoPerson("E2002", "Nina", "Castillo", status="separated", separated=0),
    DemoPerson("E2003", "Victor", "Dunn"),  # access revoked in load()
    DemoPerson("E2004", "Rosa", "Delgado", test_expires=-20, supervisor=SUPERVISOR_ID),
    DemoPerson("E2005", "Ethan", "Marsh", access="ltf", last_used=130, sworn=False),
    DemoPerson(
        "E2006",
        "Leah",
        "Fischer",
        fbi_pending=True,
        cleared=30,
        created=20,
        tested=None,
    ),
    DemoPerson("E2007", "Omar", "Farouk", trained=400),
    DemoPerson("E2008", "Tessa", "Lindqvist", created=200, tested=None),
    DemoPerson("E2009", "Gus", "Pappas", last_used=95, test_expires=-3),
    # Issue 12: initial CLETS training of 3 hours (full access needs 6).
    DemoPerson(
        "E2010", "Irene", "Kowalski", created=300, initial=280, initial_hours="3"
    ),
    DemoPerson("E2011", "Desmond", "Achebe", approved=False),  # no agency head yet
    DemoPerson("E2012", "Lena", "Marsh", tested=100, score="55"),  # failed NexTEST
    # Remediate.
    DemoPerson("E3001", "Ruth", "Abernathy", cleared=6 * 365 + 40),
    DemoPerson("E3002", "Jamal", "Wright", statement=False, supervisor=SUPERVISOR_ID),
    DemoPerson("E3003", "Carmen", "Ochoa", admin=True, liability=False, access=None),
    DemoPerson(
        "E3004",
        "Pete",
        "Novak",
        role="unescorted",
        access=None,
        sworn=False,
        employer="Brightline Janitorial",
        trained=380,
    ),
    DemoPerson(
        "E3005",
        "Imani",
        "Brooks",
        access=None,
        sworn=False,
        fbi_pending=True,
        cleared=40,
        created=30,
    ),
    DemoPerson("E3006", "Rafael", "Quintero", role="", supervisor=SUPERVISOR_ID),
    DemoPerson("E3007", "Mabel", "Oduya", arrest_reported=10),
    DemoPerson(
        "E3008",
        "Stan",
        "Whitaker",
        cleared=2200,
        rap_back=True,
        rap_back_expires=-15,
        sworn=False,
    ),
    # Pending: new operators still within 6 months of appointment.
    DemoPerson(
        "E4001",
        "Felix",
        "Moreau",
        created=25,
        tested=None,
        access="ltf",
        supervisor=SUPERVISOR_ID,
        initial=None,
    ),
    DemoPerson("E4002", "Sofia", "Reyes", created=300, assigned=170, tested=None),
    # Expiring within 30 days.
    DemoPerson("E5001", "Henry", "Caldwell", test_expires=12, supervisor=SUPERVISOR_ID),
    DemoPerson("E5002", "Yara", "Nasser", trained=350, access="ltf", sworn=False),
    DemoPerson("E5003", "Bill", "Thornton", cleared=5 * 365 - 10),
    # Separated long ago, account disabled: nothing to do.
    DemoPerson("E6001", "Alan", "Reese", status="separated", separated=400),
]
# An account whose employee ID is on no roster, and a NexTEST user with no account.
ORPHAN = ("LPD0666", "E9999")
UNKNOWN_NEXTEST_OPERATOR = "LPD0777"


def operator_id(person: DemoPerson) -> str:
    return "LPD" + person.employee_id[1:].rjust(4, "0")


def tables(today: dt.date) -> dict[str, list[dict[str, Any]]]:
    """The six demo files, as rows (column -> value), dated relative to ``today``."""

    def ago(days: int | None) -> str:
        return "" if days is None else (today - dt.timedelta(days=days)).isoformat()

    out: dict[str, list[dict[str, Any]]] = {name: [] for name in FORMATS}
    for p in PEOPLE:
        out["roster"].append(_roster_row(p, ago))
        if p.access:
            out["accounts"].append(_account_row(p, ago))
            out["nextest"] += _nextest_rows(p, today, ago)
        if p.awareness_test is not None:
            out["nextest"].append(
                {
                    "employee_id": p.employee_id,
                    "test": "Security Awareness",
                    "completed_date": ago(p.awareness_test),
                    "score": "90",
                    "expiration_date": "",
                }
            )
        if p.trained is not None and (p.role or p.access):
            out["training"].append(
                {
                    "employee_id": p.employee_id,
                    "course": "security_awareness",
                    "level": p.training_level or p.role or "general",
                    "completed_date": ago(p.trained),
                    "expiration_date": "",
                    "score": "",
                    "hours": "",
                    "workbook_date": "",
                }
            )
        if p.access in ("full", "ltf") and p.initial is not None:
            initial = ago(p.created if p.initial < 0 else p.initial)
            out["training"].append(
                {
                    "employee_id": p.employee_id,
                    "course": f"clets_{p.access}_initial",
                    "level": "",
                    "completed_date": initial,
                    "expiration_date": "",
                    "score": "",
                    "hours": p.initial_hours or ("6" if p.access == "full" else "4"),
                    "workbook_date": initial,
                }
            )
        out["background"] += _check_rows(p, ago)
        out["forms"] += _form_rows(p, ago)
    out["accounts"].append(
        {
            "operator_id": ORPHAN[0],
            "employee_id": ORPHAN[1],
            "access_level": "ltf",
            "status": "active",
            "created_date": ago(700),
            "last_activity_date": ago(40),
            "disabled_date": "",
        }
    )
    out["nextest"].append(
        {
            "operator_id": UNKNOWN_NEXTEST_OPERATOR,
            "test": "Less than Full",
            "completed_date": ago(60),
            "score": "88",
            "expiration_date": policy.add_months(today - dt.timedelta(days=60), 12),
        }
    )
    return out


def _roster_row(p: DemoPerson, ago: Any) -> dict[str, Any]:
    return {
        "employee_id": p.employee_id,
        "last_name": p.last,
        "first_name": p.first,
        "employment_status": p.status,
        "hire_date": ago(max(p.created, 400) + 30),
        "separation_date": ago(p.separated),
        "role_level": p.role,
        "administrator": "yes" if p.admin else "no",
        "sworn": "yes" if p.sworn else "no",
        "employer": p.employer,
        "supervisor_employee_id": p.supervisor,
        "clets_assigned_date": ago(p.assigned),
    }


def _account_row(p: DemoPerson, ago: Any) -> dict[str, Any]:
    long_gone = p.separated is not None and p.separated > 30
    return {
        "operator_id": operator_id(p),
        "employee_id": p.employee_id,
        "access_level": p.access,
        "status": "disabled" if long_gone else "active",
        "created_date": ago(p.created),
        "last_activity_date": ago(
            max(p.last_used or 0, p.separated or 0) if p.last_used else None
        ),
        "disabled_date": ago(p.separated - 1) if long_gone else "",
    }


def _nextest_rows(p: DemoPerson, today: dt.date, ago: Any) -> list[dict[str, Any]]:
    if p.tested is None and p.test_expires is None:
        return []
    if p.test_expires is not None:
        expires = today + dt.timedelta(days=p.test_expires)
        completed = policy.add_months(expires, -12)
    else:
        completed = today - dt.timedelta(days=p.tested or 0)
        expires = policy.add_months(completed, 12)
    return [
        {
            "operator_id": operator_id(p),
            "test": "Full Access" if p.access == "full" else "Less than Full",
            "completed_date": completed.isoformat(),
            "score": p.score,
            "expiration_date": expires.isoformat(),
        }
    ]


def _check_rows(p: DemoPerson, ago: Any) -> list[dict[str, Any]]:
    if p.cleared is None or not (p.role or p.access):
        return []
    rows = []
    for check in ("state", "fbi"):
        pending = check == "fbi" and p.fbi_pending
        decided = p.created if pending else p.cleared
        # Issue 12: the agency head approves each clearance (CJISSECPOL §5.12).
        approved = p.approved and not pending
        reported = p.arrest_reported is not None and check == "state"
        rap_back_expires = ""
        if p.rap_back_expires is not None:
            rap_back_expires = ago(-p.rap_back_expires)
        rows.append(
            {
                "employee_id": p.employee_id,
                "check": check,
                "submitted_date": ago(decided + 21),
                "result": "pending" if pending else "no_record",
                "decision": "" if pending else "cleared",
                "decision_date": "" if pending else ago(decided),
                "rap_back": "yes" if p.rap_back else "no",
                "rap_back_expires": rap_back_expires,
                "approved_by": AGENCY_HEAD if approved else "",
                "approved_date": ago(decided - 2) if approved else "",
                "cso_decision": "",
                "post_access_event": "arrest" if reported else "",
                "post_access_reported_date": ago(p.arrest_reported) if reported else "",
                "post_access_cso_decision": "",
                "post_access_decision_date": "",
            }
        )
    return rows


def _form_rows(p: DemoPerson, ago: Any) -> list[dict[str, Any]]:
    rows = []
    signed = ago(max(p.created, 400))
    if p.statement and (p.role or p.access):
        rows.append(
            {
                "employee_id": p.employee_id,
                "form": "employee_statement",
                "signed_date": signed,
            }
        )
    if p.admin and p.liability:
        rows.append(
            {
                "employee_id": p.employee_id,
                "form": "areas_of_liability",
                "signed_date": signed,
            }
        )
    return rows


def csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    columns = list(dict.fromkeys(column for row in rows for column in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def write_files(directory: Path, today: dt.date) -> list[Path]:
    """Write the demo CSV files (``<kind>.csv``) into ``directory``, in import order."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind, rows in tables(today).items():
        path = directory / f"{kind}.csv"
        path.write_bytes(csv_bytes(rows))
        paths.append(path)
    return paths


def load(agency: Agency, today: dt.date) -> None:
    """Import the demo files, then add what only the pages create. Idempotent."""
    if Person.objects.filter(agency=agency).exists():
        return
    for kind, rows in tables(today).items():
        result = run_import(
            FORMATS[kind], io.BytesIO(csv_bytes(rows)), f"{kind}.csv", agency
        )
        if not result.ok:
            raise RuntimeError(f"demo {kind}: {result.errors[0]}")
    _history(agency, today)
    _supervisor(agency)


def _history(agency: Agency, today: dt.date) -> None:
    people = {p.employee_id: p for p in Person.objects.filter(agency=agency)}
    people["E2003"].revoke_access(
        on=today - dt.timedelta(days=4),
        reason="Suspended pending misuse investigation",
        by="acc@lakemont.example",
    )
    # The ACC marked an account deactivated last week, but the CLETS list imported
    # since still shows it active: it is back on the worklist with a note.
    reopened = SystemAccount.objects.get(agency=agency, operator_id="LPD2005")
    Deactivation.objects.create(
        agency=agency,
        account=reopened,
        deactivated_on=today - dt.timedelta(days=6),
        marked_by="acc@lakemont.example",
        reasons="INACTIVE_90D",
        note="Disabled in CLETS by phone with the DOJ help desk",
    )
    new, previous, created, disabled = REUSED_ID
    OperatorIdHolder.objects.create(
        agency=agency,
        operator_id="LPD" + new[1:].rjust(4, "0"),
        employee_id=previous,
        created_date=today - dt.timedelta(days=created),
        disabled_date=today - dt.timedelta(days=disabled),
        replaced_on=today - dt.timedelta(days=25),
    )
    person = people["E1013"]
    person.absent_from_roster_since = today - dt.timedelta(days=2)
    person.save(update_fields=["absent_from_roster_since"])
    PolicySetting.objects.create(
        agency=agency,
        name=policy.NEXTEST_MONTHS,
        value=24,
        effective_from=dt.date(2010, 1, 1),
        citation="CA DOJ CLETS Operator Proficiency Exam: biennial recertification",
        note="Before the agency moved to annual nexTEST testing.",
    )
    PolicySetting.objects.create(
        agency=agency,
        name=policy.NEXTEST_MONTHS,
        value=12,
        effective_from=dt.date(2024, 1, 1),
        citation="CLETS PPP, as quoted in SFPD Department Notice 24-096",
        note="Annual nexTEST recertification.",
    )


def _supervisor(agency: Agency) -> None:
    """A supervisor (sees only the people assigned to them); no usable password."""
    user = User.objects.filter(email=SUPERVISOR_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            SUPERVISOR_EMAIL, None, first_name="Chidi", last_name="Okafor"
        )
    Membership.objects.get_or_create(
        user=user,
        agency=agency,
        defaults={"role": Role.SUPERVISOR, "employee_id": SUPERVISOR_ID},
    )
