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

from accdesk.querylogs import crossrules, duck
from accdesk.querylogs.logfile import LogLayout, read_layout
from accdesk.querylogs.rules import ROSTER_RULES, RULES, RuleSet

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


Then = Callable[[duck.Connection, LogLayout, Path], None]


def audit_file(
    path: Path,
    *,
    rules: RuleSet,
    tz: str,
    people: duck.People | None = None,
    agency: Agency | None = None,
    column_map: dict[str, str] | None = None,
    findings_out: Path | None = None,
    then: Then | None = None,
) -> AuditResult:
    """Audit ``path``. With ``agency``, REPEAT_SUBJECT also counts the agency's
    archived queries; ``then(con, layout, sentinel)`` runs before the database
    closes (the import uses it to store the rows)."""
    from accdesk.querylogs import archive  # archive imports this module

    started = time.monotonic()
    layout = read_layout(path, column_map)
    vault = archive.vault() if agency is not None else None
    with archive.scratch() as tmp, closing(duck.connect(tz, vault=vault)) as con:
        sentinel = duck.write_sentinel(layout, tmp / "end.csv")
        load = duck.load_file(con, layout, rules, sentinel)
        if agency is not None:
            duck.add_context(
                con, archive.archive_files(agency), rules, rules.repeat_hours
            )
        if people is not None:
            duck.load_people(con, people)
        duck.check(con, rules, with_people=people is not None)
        crossrules.apply(con, rules, agency, with_people=people is not None)
        chri, flagged, counts = duck.summary(con)
        if findings_out is not None:
            duck.write_findings_csv(con, tmp / "findings.csv")
            shutil.move(tmp / "findings.csv", findings_out)
        if then is not None:
            then(con, layout, sentinel)
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
