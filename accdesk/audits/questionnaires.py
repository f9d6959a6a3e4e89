"""Questionnaires as data: the starting questionnaire ACC Desk ships, and the
import of the one DOJ sends (CSV or .xlsx: ``section,number,question,source``).

The starting questionnaire (``data/starting_questionnaire.csv``) is drawn from the
seed deck (CLETS audits: site inspection, physical security, forms,
administrative, records, training; the most common errors of CLETS, CORI and
database audits) and domain brief §3.8 and §3.9. Each question cites its source
and may name the ACC Desk record that answers it (``Link``). When the file
changes, ``STARTING_VERSION`` goes up and a new version is written: audits keep
the version they were answered on.

An import is all or nothing through the shared import engine; it writes a new
version of the agency's questionnaire with that title (the first is version 1).
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.text import slugify

from accdesk.agency.models import Agency
from accdesk.audits.models import Link, Question, Questionnaire
from accdesk.core.audit import record_changes
from accdesk.core.imports import ImportFormat, ImportResult, Row, run_import
from accdesk.lib.tabular import Cells, parse_choice, parse_text

STARTING_CODE = "acc-desk-starting"
STARTING_TITLE = "ACC Desk starting questionnaire (CLETS, CORI and database audits)"
STARTING_VERSION = 1
STARTING_FILE = Path(__file__).with_name("data") / "starting_questionnaire.csv"
LINKS = {**{v.value: v.value for v in Link}, "": ""}


def install_standard_questionnaire(apps: Any = None, **kwargs: Any) -> None:
    """Write the starting questionnaire's current version (a ``post_migrate``
    receiver; idempotent). Through the migration state's models, like the standard
    agreement kinds: data that comes with ACC Desk is not an agency's change."""
    if apps is None:
        from django.apps import apps
    try:
        questionnaire_model = apps.get_model("audits", "Questionnaire")
        question_model = apps.get_model("audits", "Question")
    except LookupError:  # migrating backwards, before the tables exist
        return
    if questionnaire_model.objects.filter(
        agency__isnull=True, code=STARTING_CODE, version=STARTING_VERSION
    ).exists():
        return
    with open(STARTING_FILE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with transaction.atomic():
        questionnaire = questionnaire_model.objects.create(
            code=STARTING_CODE,
            title=STARTING_TITLE,
            version=STARTING_VERSION,
            source="ACC Desk, from the DOJ ACC deck, CJISSECPOL v5.9.5, 11 CCR",
        )
        question_model.objects.bulk_create(
            _questions(question_model, questionnaire, rows)
        )


def _questions(model: Any, questionnaire: Any, rows: list[dict[str, str]]) -> list:
    return [
        model(
            questionnaire=questionnaire,
            position=i,
            section=row["section"],
            number=row["number"],
            text=row["question"],
            source=row.get("source", ""),
            link=row.get("link", ""),
        )
        for i, row in enumerate(rows, start=1)
    ]


def _write_questions(questionnaire: Questionnaire, rows: list[dict[str, str]]) -> None:
    questions = Question.objects.bulk_create(_questions(Question, questionnaire, rows))
    record_changes(
        ((q, "create", None) for q in questions),
        message=f"questionnaire {questionnaire}",
    )


def starting() -> Questionnaire:
    return Questionnaire.objects.get(
        agency__isnull=True, code=STARTING_CODE, version=STARTING_VERSION
    )


def available(agency: Agency) -> Any:
    """The standard questionnaires and the agency's own, every version."""
    from django.db.models import Q

    return Questionnaire.objects.filter(Q(agency__isnull=True) | Q(agency=agency))


# -- the import of DOJ's questionnaire -------------------------------------------------


def parse(raw: dict[str, str]) -> dict[str, Any]:
    cells = Cells(raw)
    values = {
        "section": cells(parse_text, "section", max_length=120),
        "number": cells(parse_text, "number", max_length=20),
        "question": cells(parse_text, "question"),
        "source": cells(parse_text, "source", required=False, max_length=300),
        "link": cells(parse_choice, "link", choices=LINKS, required=False),
    }
    cells.done()
    return values


def _apply(title: str, agency: Agency, rows: list[Row], result: ImportResult) -> None:
    code = slugify(title)[:60] or "questionnaire"
    latest = (
        Questionnaire.objects.filter(agency=agency, code=code)
        .order_by("-version")
        .first()
    )
    questionnaire = Questionnaire.objects.create(
        agency=agency,
        code=code,
        title=title,
        version=(latest.version + 1) if latest else 1,
        source="Imported",
    )
    _write_questions(questionnaire, [row.values for row in rows])
    result.created = len(rows)
    result.notes.append(f"{questionnaire}: {len(rows)} question(s)")


QUESTIONNAIRE = ImportFormat(
    name="questionnaire",
    label="Audit questionnaire",
    required=("section", "number", "question"),
    optional=("source", "link"),
    key=("number",),
    parse=parse,
    apply=lambda agency, rows, result: None,  # replaced per title, see below
    example={
        "section": "Physical Security",
        "number": "2.1",
        "question": "Are CLETS terminals out of public view?",
        "source": "CLETS PPP 1.6.4",
        "link": "inspections",
    },
)


def import_questionnaire(
    agency: Agency,
    title: str,
    source: Path | IO[bytes],
    filename: str,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Import a questionnaire as the next version of ``title`` (all or nothing)."""
    fmt = replace(
        QUESTIONNAIRE,
        apply=lambda agency, rows, result: _apply(title, agency, rows, result),
    )
    return run_import(fmt, source, filename, agency, dry_run=dry_run)
