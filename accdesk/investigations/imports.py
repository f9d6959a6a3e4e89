"""Importing existing misuse cases (``accdesk misuse import`` and the upload page).

Columns (issue 5): ``case_number,opened_date,closed_date,subject_employee_id,
source,systems,allegation,finding,action,referred_for_prosecution``; the key is
``case_number``. ``systems`` are separated by ``;``. A given
``subject_employee_id`` must match someone on the agency's roster. The rules of
``case_problems`` apply, so a closed case needs a finding and an action, and an
open case has no action. A blank ``closed_date`` reopens a closed case only if it
was closed this year, as ``MisuseCase.reopen`` does. The format is documented in
docs/formats.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from accdesk.agency.models import Agency
from accdesk.core.actor import current_actor
from accdesk.core.imports import ImportFormat, ImportResult, Row, upsert
from accdesk.investigations.models import (
    CaseNote,
    Finding,
    MisuseCase,
    Outcome,
    Source,
    System,
    case_problems,
    normalize_systems,
)
from accdesk.lib.tabular import (
    CellError,
    Cells,
    parse_bool,
    parse_choice,
    parse_date,
    parse_text,
)
from accdesk.personnel.models import Person

# Model field -> file column, for the messages of ``case_problems``.
COLUMN_OF = {
    "opened_on": "opened_date",
    "closed_on": "closed_date",
    "finding": "finding",
    "action": "action",
}
FIELDS = (
    "opened_on",
    "closed_on",
    "subject_id",
    "source",
    "systems",
    "allegation",
    "finding",
    "action",
    "referred_for_prosecution",
)


def _spellings(choices: type[Any]) -> dict[str, str]:
    """Codes and labels, case-insensitive: ``not_sustained``, ``Not sustained``."""
    spellings = {}
    for code, label in choices.choices:
        spellings[code.lower()] = code
        spellings[label.lower()] = code
    return spellings


SOURCES = _spellings(Source)
FINDINGS = _spellings(Finding)
ACTIONS = _spellings(Outcome)


def parse(raw: dict[str, str]) -> dict[str, Any]:
    cells = Cells(raw)
    values = {
        "case_number": cells(parse_text, "case_number", max_length=40),
        "opened_on": cells(parse_date, "opened_date"),
        "closed_on": cells(parse_date, "closed_date", required=False),
        "subject_employee_id": cells(
            parse_text, "subject_employee_id", required=False, max_length=40
        ),
        "source": cells(parse_choice, "source", choices=SOURCES),
        "systems": cells(_parse_systems, "systems"),
        "allegation": cells(parse_text, "allegation"),
        "finding": cells(parse_choice, "finding", choices=FINDINGS, required=False)
        or Finding.PENDING,
        "action": cells(parse_choice, "action", choices=ACTIONS, required=False),
        "referred_for_prosecution": cells(
            parse_bool, "referred_for_prosecution", default=False
        ),
    }
    cells.check(tuple(COLUMN_OF.values()), lambda: _check(values))
    cells.done()
    return values


def _parse_systems(raw: dict[str, str], column: str = "systems") -> list[str]:
    codes = [code.strip() for code in raw[column].split(";") if code.strip()]
    if not codes:
        raise CellError("systems", "name at least one system, separated by ;")
    unknown = sorted({c for c in codes if c.upper() not in System.values})
    if unknown:
        raise CellError(
            "systems",
            f"unknown system(s) {', '.join(unknown)}; expected some of: "
            f"{';'.join(System.values)}",
        )
    return normalize_systems(codes)


def _check(values: dict[str, Any], today: dt.date | None = None) -> None:
    problems = case_problems(
        opened_on=values["opened_on"],
        closed_on=values["closed_on"],
        finding=values["finding"],
        action=values["action"],
        today=today,
    )
    if problems:
        field, message = next(iter(problems.items()))
        raise CellError(COLUMN_OF[field], message)


def apply(agency: Agency, rows: list[Row], result: ImportResult) -> None:
    """Match subjects to the roster and check dates against today (both need the
    agency), then create or update the cases."""
    wanted = {row.values["subject_employee_id"] for row in rows} - {""}
    people = dict(
        Person.objects.filter(agency=agency, employee_id__in=wanted).values_list(
            "employee_id", "pk"
        )
    )
    today = agency.today()
    for row in rows:
        employee_id = row.values["subject_employee_id"]
        if employee_id and employee_id not in people:
            result.error(
                row.number,
                "subject_employee_id",
                f"no one with employee ID {employee_id!r} is on the roster",
            )
        try:
            _check(row.values, today)
        except CellError as exc:
            result.error(row.number, exc.column, exc.message)
        row.values["subject_id"] = people.get(employee_id)
    reopened = _reopened(agency, rows, today, result)
    if result.errors:
        return
    cases = upsert(
        MisuseCase,
        agency,
        rows,
        result,
        key=("case_number",),
        fields=FIELDS,
        describe=lambda row: f"case {row.values['case_number']}",
    )
    author_id = current_actor().user_id
    for number, was in reopened.items():
        CaseNote.objects.create(
            case=cases[(number,)],
            written_on=today,
            text=f"Case reopened by import (was {was}).",
            author_id=author_id,
        )


def _reopened(
    agency: Agency, rows: list[Row], today: dt.date, result: ImportResult
) -> dict[str, str]:
    """The cases the file reopens (a blank ``closed_date`` for a closed case), with
    what they were. As in ``MisuseCase.reopen``, a case closed in an earlier year
    stays closed -- that year's report counts it as closed -- and the row is an
    error; a case closed this year is reopened and its journal says so."""
    opening = {
        row.values["case_number"]: row
        for row in rows
        if row.values["closed_on"] is None
    }
    closed = MisuseCase.objects.filter(
        agency=agency, case_number__in=opening, closed_on__isnull=False
    )
    reopened = {}
    for case in closed:
        row = opening[case.case_number]
        if case.closed_on.year < today.year:
            result.error(
                row.number,
                "closed_date",
                f"case {case.case_number} was closed on {case.closed_on:%Y-%m-%d}, "
                f"and the report for {case.closed_on.year} counts it as closed: it "
                "cannot be reopened. Keep its closed_date, and open a new case that "
                "refers to it.",
            )
            continue
        reopened[case.case_number] = (
            f"closed {case.closed_on:%Y-%m-%d}, {case.get_finding_display()}, "
            f"{case.get_action_display()}"
        )
        result.notes.append(
            f"Row {row.number}: case {case.case_number} is reopened (it was closed "
            f"on {case.closed_on:%Y-%m-%d}); a note in its journal records it."
        )
    return reopened


# Every column must be in the header, even where its cells may be blank: a file
# without ``finding`` or ``subject_employee_id`` would otherwise reset those of the
# cases it updates.
COLUMNS = (
    "case_number",
    "opened_date",
    "closed_date",
    "subject_employee_id",
    "source",
    "systems",
    "allegation",
    "finding",
    "action",
    "referred_for_prosecution",
)

MISUSE_CASES = ImportFormat(
    name="misuse_cases",
    label="Misuse investigations",
    required=COLUMNS,
    optional=(),
    key=("case_number",),
    parse=parse,
    apply=apply,
    example={
        "case_number": "IA-2025-001",
        "opened_date": "2025-02-10",
        "closed_date": "2025-05-20",
        "subject_employee_id": "E1042",
        "source": "audit",
        "systems": "CLETS;DMV",
        "allegation": "DMV look-ups of a neighbour's vehicle with no case number",
        "finding": "sustained",
        "action": "reprimand",
        "referred_for_prosecution": "no",
    },
)
