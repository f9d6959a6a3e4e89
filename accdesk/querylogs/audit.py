"""Auditing one log file: the orchestration around ``duck.py`` shared by
``accdesk querylog audit`` and the import."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accdesk.lib.text import counted
from accdesk.querylogs import crossrules, duck, reader
from accdesk.querylogs.logfile import LogFormatError, LogLayout
from accdesk.querylogs.rules import ROSTER_RULES, RULES, RuleSet
from accdesk.querylogs.vault import VaultFileSystem

if TYPE_CHECKING:
    from accdesk.agency.models import Agency

NO_ROSTER = (
    "no roster and accounts (give --roster and --accounts, or --agency for an "
    "agency whose accounts are in ACC Desk)"
)
NO_SHIFTS = "no shift schedules: ACC Desk does not hold them yet"


@dataclass
class AuditResult:
    rows: int
    chri_rows: int
    skipped: list[tuple[int, str]]
    rows_with_findings: int
    by_rule: dict[str, int]
    seconds: float
    not_checked: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The contract of ``accdesk querylog audit --json`` (issue 4)."""
        return {
            "rows": self.rows,
            "chri_rows": self.chri_rows,
            "skipped_rows": len(self.skipped),
            "rows_with_findings": self.rows_with_findings,
            "by_rule": self.by_rule,
            "seconds": round(self.seconds, 3),
            "skipped": [{"row": r, "reason": why} for r, why in self.skipped],
            "not_checked": self.not_checked,
        }


Then = Callable[[duck.Connection, LogLayout, duck.FileLoad], None]


@dataclass(frozen=True)
class Archived:
    """What an audit needs of an agency's archive (``archive.py`` gives it; this
    module never imports it): the vault DuckDB reads through, the archived files
    REPEAT_SUBJECT counts, and the ORIs the agency answers for."""

    vault: VaultFileSystem
    files: list[str]
    oris: tuple[str, ...]


class ForeignOriError(LogFormatError):
    """Rows carry an ORI the agency does not answer for (issue 10): the file is
    refused whole, whatever ``--skip-bad-rows`` says."""


class BadRowsError(LogFormatError):
    """An import refused for its unreadable rows (all or nothing, issue 10)."""

    def __init__(self, rows: list[tuple[int, str]]) -> None:
        self.rows = rows
        super().__init__(
            f"The file is refused: {counted(len(rows), 'row')} cannot be read, and "
            "nothing was stored. Correct them and import the file again, or import "
            'with --skip-bad-rows (the upload page\'s "skip unreadable rows") '
            "to store the other rows."
        )

    def lines(self) -> list[str]:
        return [bad_row_line(row, reason) for row, reason in self.rows]


def skipped_cells(row: int, reason: str) -> tuple[int, str, str]:
    """(row number, column, what is wrong). Only the timestamp is checked field by
    field; the other reasons are the reader's, about the whole row."""
    if reason.startswith("timestamp "):
        return row, "timestamp", reason.removeprefix("timestamp ")
    return row, "whole row", reason


def bad_row_line(row: int, reason: str) -> str:
    """``row 4, timestamp: 'yesterday' is not an ISO 8601 date and time``."""
    number, column, what = skipped_cells(row, reason)
    return f"row {number}, {column}: {what}"


NO_DATA_ROWS = "The file is refused: it has a header and no data rows."


def foreign_message(found: list[tuple[str, int]], oris: tuple[str, ...]) -> str:
    """``412 rows carry ORI CA0190000, which is not CA0199999 or one of its
    additional ORIs`` (the agency's ORI first in ``oris``), one clause an ORI."""
    own = f"{oris[0]} or one of its additional ORIs"
    parts = []
    for ori, n in found:
        rows = f"{n:,} rows carry" if n != 1 else "1 row carries"
        what = f"ORI {ori}" if ori else "no ORI"
        parts.append(f"{rows} {what}, which is not {own}")
    return (
        "The file is refused, and nothing was stored: "
        + "; ".join(parts)
        + ". Add a sub-ORI the agency answers for to the additional ORIs of the "
        "agency profile."
    )


def audit_file(
    path: Path,
    *,
    rules: RuleSet,
    tz: str,
    people: duck.People | None = None,
    archived: Archived | None = None,
    agency: Agency | None = None,
    column_map: dict[str, str] | None = None,
    findings_out: Path | None = None,
    exact: bool = False,
) -> AuditResult:
    """Audit ``path`` (``accdesk querylog audit``). With ``archived``, rows of
    other ORIs refuse the file and REPEAT_SUBJECT also counts the archived
    queries; unreadable rows are reported and the rest audited."""
    with reader.scratch() as tmp:
        layout = reader.prepare(path, tmp, column_map)
        return audit_layout(
            layout,
            tmp,
            rules=rules,
            tz=tz,
            people=people,
            archived=archived,
            agency=agency,
            findings_out=findings_out,
            exact=exact,
        )


def audit_layout(
    layout: LogLayout,
    tmp: Path,
    *,
    rules: RuleSet,
    tz: str,
    people: duck.People | None = None,
    archived: Archived | None = None,
    agency: Agency | None = None,
    findings_out: Path | None = None,
    then: Then | None = None,
    strict: bool = False,
    exact: bool = False,
) -> AuditResult:
    """Audit a file ``reader.prepare`` made ready. ``strict`` (the import without
    --skip-bad-rows): any unreadable row refuses the file (``BadRowsError``), as
    does a file without data rows. ``then(con, layout, load)`` runs before the
    database closes (the import uses it to store the rows). ``agency`` is for the
    rules that read its other records (``crossrules.py``)."""
    started = time.monotonic()
    vault = archived.vault if archived is not None else None
    oris = archived.oris if archived is not None else None
    with closing(duck.connect(tz, vault=vault)) as con:
        load, layout = reader.load(con, layout, rules, tmp, oris, exact=exact)
        if load.foreign:
            raise ForeignOriError(foreign_message(load.foreign, oris or ()))
        if then is not None and load.rows == 0:
            raise LogFormatError(NO_DATA_ROWS)
        if strict and load.skipped:
            raise BadRowsError(load.skipped)
        if archived is not None:
            duck.add_context(con, archived.files, rules, rules.repeat_hours)
        if people is not None:
            duck.load_people(con, people)
        duck.check(con, rules, with_people=people is not None)
        crossrules.apply(con, rules, agency, with_people=people is not None)
        chri, flagged, counts = duck.summary(con)
        if findings_out is not None:
            duck.write_findings_csv(con, tmp / "findings.csv")
            shutil.move(tmp / "findings.csv", findings_out)
        if then is not None:
            then(con, layout, load)
    not_checked = {"OFF_SHIFT": NO_SHIFTS, **crossrules.not_checked(rules, agency)}
    if people is None:
        not_checked.update(dict.fromkeys(ROSTER_RULES, NO_ROSTER))
    return AuditResult(
        rows=load.rows,
        chri_rows=chri,
        skipped=load.skipped,
        rows_with_findings=flagged,
        by_rule={name: counts.get(name, 0) for name in RULES},
        seconds=time.monotonic() - started,
        not_checked=not_checked,
    )
