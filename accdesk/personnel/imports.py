"""The roster's import formats: HR roster, CLETS accounts, NexTEST, training,
background checks and signed forms (docs/formats.md has an example of each).

Each is an ``ImportFormat`` for ``core.imports.run_import``: transactional, row-level
errors, dry runs. Every code column accepts the spelling the source systems use
(e.g. NexTEST's "Less than Full") as well as the code itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import TextChoices

from accdesk.agency.models import Agency
from accdesk.core.audit import record_changes
from accdesk.core.imports import ImportFormat, ImportResult, Row, upsert
from accdesk.lib.tabular import (
    CellError,
    Cells,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_text,
)
from accdesk.personnel.eligibility import is_separated
from accdesk.personnel.models import (
    BackgroundCheck,
    Certification,
    Course,
    OperatorIdHolder,
    Person,
    RoleLevel,
    SignedForm,
    SystemAccount,
    TrainingRecord,
)

ID_LENGTH = 40
MAX_LISTED = 20  # people named in one note; the rest are counted


def _choices(codes: type[TextChoices], **synonyms: str) -> dict[str, str]:
    """Accepted spellings (lower case): each code, its label, and synonyms."""
    accepted = {str(c.value).lower(): str(c.value) for c in codes}
    accepted.update({str(c.label).lower(): str(c.value) for c in codes})
    accepted.update({k.replace("_", " "): v for k, v in synonyms.items()})
    return accepted


ROLE_LEVELS = _choices(
    RoleLevel,
    general_user="general",
    privileged_user="privileged",
    security_personnel="security",
    level_1="unescorted",
    level_2="general",
    level_3="privileged",
    level_4="security",
)
EMPLOYMENT = _choices(
    Person.Status,
    on_leave="leave",
    terminated="separated",
    retired="separated",
    resigned="separated",
)
ACCESS_LEVELS = _choices(
    SystemAccount.Access,
    full_access="full",
    less_than_full="ltf",
    less_than_full_access="ltf",
)
ACCOUNT_STATUS = _choices(SystemAccount.Status, inactive="disabled")
TESTS = _choices(Certification.Test, full_access="full", less_than_full_access="ltf")
COURSES = _choices(Course)
CHECKS = _choices(BackgroundCheck.Check, doj="state", ca_doj="state")
RESULTS = _choices(BackgroundCheck.Result, record_found="record", no_record="no_record")
DECISIONS = _choices(BackgroundCheck.Decision)
CSO_DECISIONS = _choices(BackgroundCheck.CsoDecision)
POST_ACCESS_EVENTS = _choices(BackgroundCheck.PostAccessEvent, arrested="arrest")
FORMS = _choices(
    SignedForm.Form,
    employee_volunteer_statement="employee_statement",
    areas_of_liability_ack="areas_of_liability",
)


def _employee_id(raw: dict[str, str], column: str = "employee_id") -> str:
    return parse_text(raw, column, max_length=ID_LENGTH)


def _ordered(cells: Cells, values: dict[str, Any], first: str, then: str) -> None:
    """``then`` may not be before ``first`` (both dates, either may be blank)."""

    def rule() -> None:
        if values[first] and values[then] and values[then] < values[first]:
            raise CellError(then, f"is before {first} ({values[first]})")

    cells.check((first, then), rule)


def _people(agency: Agency) -> dict[str, int]:
    return dict(Person.objects.filter(agency=agency).values_list("employee_id", "pk"))


def _link_people(agency: Agency, rows: list[Row], result: ImportResult) -> bool:
    """Set ``person_id`` on each row; an unknown employee ID is a row error (these
    records are about someone on the roster: import the roster first)."""
    people = _people(agency)
    for row in rows:
        person_id = people.get(row.values["employee_id"])
        if person_id is None:
            result.error(
                row.number,
                "employee_id",
                f"no one with employee ID {row.values['employee_id']!r} is on the "
                "roster (import the HR roster first)",
            )
        row.values["person_id"] = person_id
    return result.ok


# -- roster ---------------------------------------------------------------------------

ROSTER_FIELDS = (
    "last_name",
    "first_name",
    "employment_status",
    "hire_date",
    "separation_date",
    "role_level",
    "administrator",
    "sworn",
    "employer",
    "supervisor_employee_id",
    "clets_assigned_date",
)


def _parse_person(raw: dict[str, str]) -> dict[str, Any]:
    cells = Cells(raw)
    values = {
        "employee_id": cells(_employee_id, "employee_id"),
        "last_name": cells(parse_text, "last_name", max_length=80),
        "first_name": cells(parse_text, "first_name", max_length=80),
        "employment_status": cells(
            parse_choice, "employment_status", choices=EMPLOYMENT
        ),
        "hire_date": cells(parse_date, "hire_date", required=False),
        "separation_date": cells(parse_date, "separation_date", required=False),
        "role_level": cells(
            parse_choice, "role_level", choices=ROLE_LEVELS, required=False
        ),
        "administrator": cells(parse_bool, "administrator", default=False),
        "sworn": cells(parse_bool, "sworn", default=False),
        "employer": cells(parse_text, "employer", max_length=120),
        "supervisor_employee_id": cells(
            parse_text, "supervisor_employee_id", required=False, max_length=ID_LENGTH
        ),
        "clets_assigned_date": cells(parse_date, "clets_assigned_date", required=False),
        "absent_from_roster_since": None,
    }
    _ordered(cells, values, "hire_date", "separation_date")
    cells.done()
    values["employer"] = values["employer"].strip()
    if values["employer"].lower() == "agency":
        values["employer"] = "agency"
    return values


def _apply_roster(agency: Agency, rows: list[Row], result: ImportResult) -> None:
    upsert(
        Person,
        agency,
        rows,
        result,
        key=("employee_id",),
        fields=(*ROSTER_FIELDS, "absent_from_roster_since"),
    )
    _flag_absent(agency, {row.values["employee_id"] for row in rows}, result)


def _flag_absent(agency: Agency, listed: set[str], result: ImportResult) -> None:
    """People the file omits are kept, not deleted: HR rosters often leave out
    people HR no longer pays, whose CLETS accounts may still be active. They are
    flagged "not in HR roster" for the ACC to resolve. People separated today
    (``is_separated``: status ``separated`` or a separation date passed) are
    expected to drop off, so they are not flagged."""
    today = agency.today()
    missing = [
        person
        for person in Person.objects.filter(agency=agency)
        .exclude(employee_id__in=listed)
        .order_by("employee_id")
        if not is_separated(person, today)
    ]
    flagged = []
    for person in missing:
        if person.absent_from_roster_since is None:
            before = person.snapshot()
            person.absent_from_roster_since = today
            flagged.append((person, before))
    if flagged:
        Person.objects.bulk_update(
            [p for p, _ in flagged], ["absent_from_roster_since"], batch_size=1000
        )
        record_changes(
            [(p, "update", before) for p, before in flagged],
            message="import roster: not in HR roster",
        )
    absent = [p.employee_id for p in missing]
    if absent:
        named = ", ".join(absent[:MAX_LISTED])
        more = (
            f" and {len(absent) - MAX_LISTED} more" if len(absent) > MAX_LISTED else ""
        )
        result.notes.append(
            f"{len(absent)} person(s) not in HR roster, kept for you to resolve "
            f"on the reconciliation page: {named}{more}"
        )


ROSTER = ImportFormat(
    name="roster",
    label="HR roster",
    required=(
        "employee_id",
        "last_name",
        "first_name",
        "employment_status",
        "hire_date",
        "separation_date",
        "role_level",
        "administrator",
        "sworn",
        "employer",
    ),
    optional=("supervisor_employee_id", "clets_assigned_date"),
    key=("employee_id",),
    parse=_parse_person,
    apply=_apply_roster,
    example={
        "employee_id": "E1004",
        "last_name": "Muñoz",
        "first_name": "Dana",
        "employment_status": "active",
        "hire_date": "2021-03-15",
        "separation_date": "",
        "role_level": "general",
        "administrator": "no",
        "sworn": "yes",
        "employer": "agency",
        "supervisor_employee_id": "E1001",
        "clets_assigned_date": "2021-04-01",
    },
)


# -- accounts -------------------------------------------------------------------------


def _parse_account(raw: dict[str, str]) -> dict[str, Any]:
    cells = Cells(raw)
    values = {
        "operator_id": cells(parse_text, "operator_id", max_length=ID_LENGTH),
        "employee_id": cells(
            parse_text, "employee_id", required=False, max_length=ID_LENGTH
        ),
        "access_level": cells(parse_choice, "access_level", choices=ACCESS_LEVELS),
        "status": cells(parse_choice, "status", choices=ACCOUNT_STATUS),
        "created_date": cells(parse_date, "created_date"),
        "last_activity_date": cells(parse_date, "last_activity_date", required=False),
        "disabled_date": cells(parse_date, "disabled_date", required=False),
    }
    _ordered(cells, values, "created_date", "last_activity_date")
    _ordered(cells, values, "created_date", "disabled_date")
    cells.done()
    return values


def _apply_accounts(agency: Agency, rows: list[Row], result: ImportResult) -> None:
    """CLETS is the source of truth for account status: an account the ACC marked
    deactivated that the file still lists as active is reopened, with a note."""
    marked = set(
        SystemAccount.objects.filter(
            agency=agency,
            status=SystemAccount.Status.DISABLED,
            deactivations__isnull=False,
        ).values_list("operator_id", flat=True)
    )
    _keep_previous_holders(agency, rows)
    upsert(
        SystemAccount,
        agency,
        rows,
        result,
        key=("operator_id",),
        fields=(
            "employee_id",
            "access_level",
            "status",
            "created_date",
            "last_activity_date",
            "disabled_date",
        ),
    )
    for row in rows:
        op = row.values["operator_id"]
        if op in marked and row.values["status"] == SystemAccount.Status.ACTIVE:
            result.notes.append(
                f"{op} was marked deactivated in ACC Desk but is still active in "
                "CLETS: it is back on the worklist."
            )
    people = _people(agency)
    orphans = sorted(
        r.values["operator_id"] for r in rows if r.values["employee_id"] not in people
    )
    if orphans:
        result.notes.append(
            f"{len(orphans)} account(s) match no one on the roster (orphans): "
            + ", ".join(orphans[:MAX_LISTED])
        )


def _keep_previous_holders(agency: Agency, rows: list[Row]) -> None:
    """An operator ID the file gives to another employee ID was reused: keep its
    previous holder (CJISSECPOL v5.9.5 IA-4(d): no reuse within 1 year; the
    reconciliation lists ``identifier_reused``)."""
    listed = {row.values["operator_id"]: row.values for row in rows}
    today = agency.today()
    for account in SystemAccount.objects.filter(
        agency=agency, operator_id__in=list(listed)
    ).exclude(employee_id=""):
        new = listed[account.operator_id]
        if new["employee_id"] != account.employee_id:
            OperatorIdHolder.objects.create(
                agency=agency,
                operator_id=account.operator_id,
                employee_id=account.employee_id,
                created_date=account.created_date,
                disabled_date=account.disabled_date,
                replaced_on=today,
            )


ACCOUNTS = ImportFormat(
    name="accounts",
    label="CLETS accounts",
    required=(
        "operator_id",
        "employee_id",
        "access_level",
        "status",
        "created_date",
        "last_activity_date",
    ),
    optional=("disabled_date",),
    key=("operator_id",),
    parse=_parse_account,
    apply=_apply_accounts,
    example={
        "operator_id": "LPD1004",
        "employee_id": "E1004",
        "access_level": "Less than Full",
        "status": "active",
        "created_date": "2024-06-03",
        "last_activity_date": "2026-11-20",
        "disabled_date": "",
    },
)


# -- nextest --------------------------------------------------------------------------


def _parse_certification(raw: dict[str, str]) -> dict[str, Any]:
    cells = Cells(raw)
    operator_id = cells(parse_text, "operator_id", required=False, max_length=ID_LENGTH)
    employee_id = cells(parse_text, "employee_id", required=False, max_length=ID_LENGTH)

    def holder_given() -> None:
        if not operator_id and not employee_id:
            raise CellError(
                "operator_id",
                "an operator ID (or, for staff with none, an employee_id)",
            )

    cells.check(("operator_id", "employee_id"), holder_given)
    values = {
        "operator_id": operator_id,
        # The employee ID only identifies staff without an operator ID.
        "employee_id": "" if operator_id else employee_id,
        "test": cells(parse_choice, "test", choices=TESTS),
        "completed_date": cells(parse_date, "completed_date"),
        "score": cells(parse_decimal, "score"),
        "expiration_date": cells(parse_date, "expiration_date", required=False),
    }
    _ordered(cells, values, "completed_date", "expiration_date")
    cells.done()
    return values


def _apply_certifications(
    agency: Agency, rows: list[Row], result: ImportResult
) -> None:
    upsert(
        Certification,
        agency,
        rows,
        result,
        key=("operator_id", "employee_id", "test", "completed_date"),
        fields=("score", "expiration_date"),
        describe=_describe_certification,
    )
    accounts = set(
        SystemAccount.objects.filter(agency=agency).values_list(
            "operator_id", flat=True
        )
    )
    unknown = sorted(
        {r.values["operator_id"] for r in rows if r.values["operator_id"]} - accounts
    )
    if unknown:
        result.notes.append(
            f"{len(unknown)} NexTEST user(s) have no CLETS account here (see the "
            "reconciliation page): " + ", ".join(unknown[:MAX_LISTED])
        )


def _describe_certification(row: Row) -> str:
    v = row.values
    holder = v["operator_id"] or f"employee {v['employee_id']}"
    return f"{holder} / {v['test']} / {v['completed_date']}"


NEXTEST = ImportFormat(
    name="nextest",
    label="NexTEST certifications",
    required=("test", "completed_date", "expiration_date"),
    optional=("operator_id", "employee_id", "score"),
    key=("operator_id", "employee_id", "test", "completed_date"),
    parse=_parse_certification,
    apply=_apply_certifications,
    example={
        "operator_id": "LPD1004",
        "test": "Less than Full",
        "completed_date": "2026-07-15",
        "score": "88",
        "expiration_date": "2027-07-15",
        "employee_id": "",
    },
    # Headers seen in NexTEST expiration reports (the real layout is not
    # published; --map renames anything else).
    column_map={
        "user_id": "operator_id",
        "test_name": "test",
        "test_type": "test",
        "completion_date": "completed_date",
        "expiration": "expiration_date",
        "expires": "expiration_date",
    },
)


# -- training -------------------------------------------------------------------------


def _parse_training(raw: dict[str, str]) -> dict[str, Any]:
    cells = Cells(raw)
    values = {
        "employee_id": cells(_employee_id, "employee_id"),
        "course": cells(parse_choice, "course", choices=COURSES),
        "level": cells(parse_choice, "level", choices=ROLE_LEVELS, required=False),
        "completed_date": cells(parse_date, "completed_date"),
        "expiration_date": cells(parse_date, "expiration_date", required=False),
        "score": cells(parse_decimal, "score"),
        "hours": cells(parse_decimal, "hours"),
        "workbook_date": cells(parse_date, "workbook_date", required=False),
    }

    def level_given() -> None:
        if values["course"] == Course.SECURITY_AWARENESS and not values["level"]:
            raise CellError(
                "level",
                "security awareness needs its AT-3 level (unescorted, general, "
                "privileged or security)",
            )

    cells.check(("course", "level"), level_given)
    _ordered(cells, values, "completed_date", "expiration_date")
    cells.done()
    return values


def _linked_upsert(
    model: type, key: tuple[str, ...], fields: tuple[str, ...]
) -> Callable[[Agency, list[Row], ImportResult], None]:
    """An ``apply`` for records about a person on the roster, keyed by person."""

    def apply(agency: Agency, rows: list[Row], result: ImportResult) -> None:
        if _link_people(agency, rows, result):
            upsert(
                model,
                agency,
                rows,
                result,
                key=("person_id", *key),
                fields=fields,
                describe=lambda row: " / ".join(
                    str(row.values[k]) for k in ("employee_id", *key)
                ),
            )

    return apply


TRAINING = ImportFormat(
    name="training",
    label="Training records",
    required=("employee_id", "course", "level", "completed_date", "expiration_date"),
    optional=("score", "hours", "workbook_date"),
    key=("employee_id", "course", "level", "completed_date"),
    parse=_parse_training,
    apply=_linked_upsert(
        TrainingRecord,
        ("course", "level", "completed_date"),
        ("expiration_date", "score", "hours", "workbook_date"),
    ),
    example={
        "employee_id": "E1004",
        "course": "security_awareness",
        "level": "general",
        "completed_date": "2026-08-01",
        "expiration_date": "",
        "score": "95",
        "hours": "",
        "workbook_date": "",
    },
)


# -- background -----------------------------------------------------------------------


def _parse_check(raw: dict[str, str]) -> dict[str, Any]:
    cells = Cells(raw)
    values = {
        "employee_id": cells(_employee_id, "employee_id"),
        "check_type": cells(parse_choice, "check", choices=CHECKS),
        "submitted_date": cells(parse_date, "submitted_date"),
        "result": cells(parse_choice, "result", choices=RESULTS),
        "decision": cells(parse_choice, "decision", choices=DECISIONS, required=False),
        "decision_date": cells(parse_date, "decision_date", required=False),
        "rap_back": cells(parse_bool, "rap_back", default=False),
        "rap_back_expires": cells(parse_date, "rap_back_expires", required=False),
        "approved_by": cells(parse_text, "approved_by", required=False, max_length=120),
        "approved_date": cells(parse_date, "approved_date", required=False),
        "cso_decision": cells(
            parse_choice, "cso_decision", choices=CSO_DECISIONS, required=False
        ),
        "post_access_event": cells(
            parse_choice,
            "post_access_event",
            choices=POST_ACCESS_EVENTS,
            required=False,
        ),
        "post_access_reported_date": cells(
            parse_date, "post_access_reported_date", required=False
        ),
        "post_access_cso_decision": cells(
            parse_choice,
            "post_access_cso_decision",
            choices=CSO_DECISIONS,
            required=False,
        ),
        "post_access_decision_date": cells(
            parse_date, "post_access_decision_date", required=False
        ),
    }

    def decided_on_a_date() -> None:
        if values["decision"] and not values["decision_date"]:
            raise CellError("decision_date", "a decision needs its date")
        if values["decision_date"] and not values["decision"]:
            raise CellError("decision", "a decision date needs a decision")

    cells.check(("decision", "decision_date"), decided_on_a_date)
    _both(cells, values, "approved_by", "approved_date", "an approval")
    _both(cells, values, "post_access_event", "post_access_reported_date", "a report")
    _both(
        cells,
        values,
        "post_access_cso_decision",
        "post_access_decision_date",
        "a CSO decision",
    )

    def decision_on_a_report() -> None:
        if values["post_access_cso_decision"] and not values["post_access_event"]:
            raise CellError(
                "post_access_event", "a CSO decision on a report needs the report"
            )

    cells.check(("post_access_event", "post_access_cso_decision"), decision_on_a_report)
    _ordered(cells, values, "submitted_date", "decision_date")
    _ordered(cells, values, "post_access_reported_date", "post_access_decision_date")
    cells.done()
    return values


def _both(
    cells: Cells, values: dict[str, Any], first: str, second: str, what: str
) -> None:
    """``first`` and ``second`` are given together or not at all."""

    def rule() -> None:
        if values[first] and not values[second]:
            raise CellError(second, f"{what} needs its {second.replace('_', ' ')}")
        if values[second] and not values[first]:
            raise CellError(first, f"{what} needs its {first.replace('_', ' ')}")

    cells.check((first, second), rule)


# The columns issue 12 added: all optional, so older files still import.
CHECK_OPTIONAL = (
    "rap_back_expires",
    "approved_by",
    "approved_date",
    "cso_decision",
    "post_access_event",
    "post_access_reported_date",
    "post_access_cso_decision",
    "post_access_decision_date",
)

BACKGROUND = ImportFormat(
    name="background",
    label="Background checks",
    required=(
        "employee_id",
        "check",
        "submitted_date",
        "result",
        "decision",
        "decision_date",
    ),
    optional=(
        "rap_back",
        *CHECK_OPTIONAL,
    ),
    key=("employee_id", "check_type", "submitted_date"),
    parse=_parse_check,
    apply=_linked_upsert(
        BackgroundCheck,
        ("check_type", "submitted_date"),
        ("result", "decision", "decision_date", "rap_back", *CHECK_OPTIONAL),
    ),
    example={
        "employee_id": "E1004",
        "check": "state",
        "submitted_date": "2021-02-01",
        "result": "no_record",
        "decision": "cleared",
        "decision_date": "2021-02-22",
        "rap_back": "yes",
        "rap_back_expires": "2031-02-22",
        "approved_by": "Chief R. Alvarez",
        "approved_date": "2021-02-24",
        "cso_decision": "",
        "post_access_event": "",
        "post_access_reported_date": "",
        "post_access_cso_decision": "",
        "post_access_decision_date": "",
    },
)


# -- forms ----------------------------------------------------------------------------


def _parse_form(raw: dict[str, str]) -> dict[str, Any]:
    cells = Cells(raw)
    values = {
        "employee_id": cells(_employee_id, "employee_id"),
        "form": cells(parse_choice, "form", choices=FORMS),
        "signed_date": cells(parse_date, "signed_date"),
    }
    cells.done()
    return values


FORMS_FORMAT = ImportFormat(
    name="forms",
    label="Signed forms",
    required=("employee_id", "form", "signed_date"),
    optional=(),
    key=("employee_id", "form", "signed_date"),
    parse=_parse_form,
    apply=_linked_upsert(SignedForm, ("form", "signed_date"), ()),
    example={
        "employee_id": "E1004",
        "form": "employee_statement",
        "signed_date": "2021-03-15",
    },
)

# In the order they are best imported: the roster first (the others refer to it).
FORMATS: dict[str, ImportFormat] = {
    fmt.name: fmt
    for fmt in (ROSTER, ACCOUNTS, NEXTEST, TRAINING, BACKGROUND, FORMS_FORMAT)
}
