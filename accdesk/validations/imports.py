"""``accdesk import validations FILE --agency ORI [--dry-run]``: the monthly DOJ
validation list (CSV or .xlsx; docs/formats.md). All or nothing; every bad row and
field is named. The natural key is ``(database, record_id, list_date)``: the same
record on next year's list is a new row, and importing the same list again
updates the rows it holds (never the validation the agency recorded)."""

from __future__ import annotations

from typing import Any

from accdesk.agency.models import Agency
from accdesk.core.imports import ImportFormat, ImportResult, Row, upsert
from accdesk.lib.tabular import CellError, Cells, parse_choice, parse_date, parse_text
from accdesk.validations.models import Database, ListedRecord, RecordFile

HEADER = (
    "database",
    "record_id",
    "record_file",
    "entered_date",
    "list_date",
    "description",
    "entered_by",
)
DATABASES = {d.value.lower(): d.value for d in Database}
# ``MPS`` is the older name of the Missing/Unidentified Persons System (brief §3.7).
DATABASES["mps"] = Database.MUPS
FILES = {f.value: f.value for f in RecordFile}
FIELDS = ("record_file", "entered_date", "description", "entered_by")


def parse(raw: dict[str, str]) -> dict[str, Any]:
    cells = Cells(raw)
    values: dict[str, Any] = {
        "database": cells(parse_choice, "database", choices=DATABASES),
        "record_id": cells(parse_text, "record_id", max_length=40),
        "record_file": cells(parse_choice, "record_file", choices=FILES),
        "entered_date": cells(parse_date, "entered_date"),
        "list_date": cells(parse_date, "list_date"),
        "description": cells(parse_text, "description", required=False, max_length=300),
        "entered_by": cells(parse_text, "entered_by", required=False, max_length=120),
    }

    def entered_before_list() -> None:
        if values["entered_date"] > values["list_date"]:
            raise CellError(
                "entered_date", f"is after the list date ({values['list_date']})"
            )

    cells.check(("entered_date", "list_date"), entered_before_list)
    cells.done()
    values["record_id"] = values["record_id"].strip().upper()
    return values


def apply(agency: Agency, rows: list[Row], result: ImportResult) -> None:
    upsert(
        ListedRecord,
        agency,
        rows,
        result,
        key=("database", "record_id", "list_date"),
        fields=FIELDS,
    )


VALIDATIONS = ImportFormat(
    name="validations",
    label="Record validation list (DOJ, monthly)",
    required=HEADER,
    optional=(),
    key=("database", "record_id", "list_date"),
    parse=parse,
    apply=apply,
    example={
        "database": "WPS",
        "record_id": "W123456789",
        "record_file": "wanted_person",
        "entered_date": "2026-09-14",
        "list_date": "2026-11-02",
        "description": "Felony warrant, case 26-001234",
        "entered_by": "Records Clerk 12",
    },
)
