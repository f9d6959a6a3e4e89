"""Demo query log for the demo agency: a few weeks of fictional CLETS inquiries by
the operators whose accounts exist when the demo loads (the personnel demo creates
them), with the kinds of findings an ACC meets: RTE gaps, an FBI-only purpose code,
a self query, a coworker query, one subject looked up by several operators."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from accdesk.agency.models import Agency
from accdesk.personnel.models import Person, SystemAccount
from accdesk.querylogs import archive, reader
from accdesk.querylogs.logfile import COLUMNS
from accdesk.querylogs.models import LogImport

SURNAMES = [
    "HARLOW",
    "MERCER",
    "QUILL",
    "VANCE",
    "TAMSIN",
    "ORTEGA",
    "BRANDT",
    "KESTREL",
    "LOWRY",
    "PEMBER",
    "ASHBY",
    "NAKAMURA",
    "FENWICK",
    "DORAN",
]
GIVEN = ["DEAN", "LINA", "OSCAR T", "RUBY", "EZRA", "MAYA", "JONAH", "IRIS", "CALEB"]
RTES = [
    "DET HOLLIS BURGLARY 26-{n:06}",
    "SGT PRAKASH DUI SO26-{n:06}",
    "#4471 WARRANT CR{n:06}",
    "OFC LUNA PROBATION SEARCH 26-{n:06}",
    "INVESTIGATION",
    "CHECK",
    "",
    "DET HOLLIS ROBBERY",
]
KEYS = ["QW", "QW", "QV", "QV", "DQ", "QH", "QR", "IQ"]


def load(agency: Agency, today: dt.date) -> None:
    if LogImport.objects.filter(agency=agency).exists():
        return
    operators = list(
        SystemAccount.objects.filter(agency=agency).values_list(
            "operator_id", "employee_id"
        )
    ) or [("LKM-OP1", ""), ("LKM-OP2", ""), ("LKM-OP3", "")]
    with reader.scratch() as tmp:
        path = tmp / "lakemont-clets-log.csv"
        _write(path, _rows(agency, today, operators))
        archive.import_log(agency, path, path.name)


def _rows(agency: Agency, today: dt.date, operators: list[tuple[str, str]]) -> list:
    rng = random.Random(f"{agency.ori}-querylog-demo")  # the same demo every time
    start = dt.datetime.combine(today - dt.timedelta(days=45), dt.time(7), agency.tz)
    rows = []
    for i in range(400):
        op, _ = rng.choice(operators)
        subject = f"{rng.choice(SURNAMES)},{rng.choice(GIVEN)}"
        dob = (
            dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
        ).isoformat()
        rows.append(
            _row(
                start + dt.timedelta(minutes=157 * i),
                op,
                rng.choice(KEYS),
                rng.choice("CCCCCCJR"),
                rng.choice(RTES).format(n=i),
                subject,
                dob,
            )
        )
    rows.extend(_patterns(agency, today, operators))
    # The agency's own log: rows of another ORI would be refused (issue 10).
    return [{**row, "ori": agency.ori} for row in rows]


def _patterns(agency: Agency, today: dt.date, operators: list) -> list:
    """The leads: a self query, a coworker query and a much-queried subject."""
    at = dt.datetime.combine(today - dt.timedelta(days=6), dt.time(14), agency.tz)
    # Three operators (padded with an unknown one) within two days.
    three = ([op for op, _ in operators] + ["LKM-TEMP9", "LKM-TEMP8"])[:3]
    rows = [
        _row(
            at + dt.timedelta(hours=20 * i),
            op,
            "QH",
            "C",
            "DET HOLLIS FRAUD 26-004411",
            "CALLOWAY,JUNO",
            "1990-08-08",
        )
        for i, op in enumerate(three)
    ]
    people = {p.employee_id: p for p in Person.objects.filter(agency=agency)}
    named = [(op, people[emp]) for op, emp in operators if emp in people]
    if len(named) >= 2:
        (op1, person), (op2, _) = named[0], named[1]
        name = f"{person.last_name},{person.first_name}"
        rows.append(_row(at, op1, "QR", "C", "DET HOLLIS THEFT 26-000999", name, ""))
        rows.append(_row(at, op2, "QH", "C", "CHECK", name, ""))
    return rows


def _row(
    at: dt.datetime, op: str, key: str, purpose: str, rte: str, name: str, dob: str
) -> dict:
    return {
        "timestamp": at.isoformat(timespec="milliseconds"),
        "terminal": f"LKM{sum(map(ord, op)) % 7:03}",
        "operator_id": op,
        "message_key": key,
        "purpose_code": purpose,
        "attention": "",
        "rte": rte,
        "case_number": "",
        "subject_name": name,
        "subject_dob": dob,
    }


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
