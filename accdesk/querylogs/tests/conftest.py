from __future__ import annotations

import csv
from pathlib import Path

import pytest

from accdesk import testing
from accdesk.personnel.models import Person, SystemAccount
from accdesk.querylogs.audit import audit_file
from accdesk.querylogs.duck import People
from accdesk.querylogs.rules import default_rules

DATA = Path(__file__).parent / "data"


def run_audit(path: Path, people: People | None = None, rules=None, **kwargs):
    """Audit ``path``; returns (result, [(row, rule, detail)]).

    Every audit runs on both read paths (reader.py), which must agree on every
    row: the same counts, the same skipped rows with the same reasons, and the
    same findings CSV, byte for byte (issue 17)."""
    if "agency" in kwargs:
        from accdesk.querylogs import archive

        kwargs["archived"] = archive.archived(
            testing.allow_querylog_ori(kwargs.pop("agency"))
        )
    out = path.with_suffix(".findings.csv")
    exact_out = path.with_suffix(".exact-findings.csv")
    results = [
        audit_file(
            path,
            rules=rules or default_rules(),
            tz="America/Los_Angeles",
            people=people,
            findings_out=target,
            exact=exact,
            **kwargs,
        )
        for target, exact in ((out, False), (exact_out, True))
    ]
    result, exact_result = results
    assert (result.rows, result.chri_rows, result.skipped, result.by_rule) == (
        exact_result.rows,
        exact_result.chri_rows,
        exact_result.skipped,
        exact_result.by_rule,
    )
    assert out.read_bytes() == exact_out.read_bytes()
    with out.open() as handle:
        found = [
            (int(r["row"]), r["rule"], r["detail"]) for r in csv.DictReader(handle)
        ]
    return result, found


@pytest.fixture
def agency(agency):
    """The test agency answers for the ORI of the test logs (``QUERYLOG_ROW``)."""
    return testing.allow_querylog_ori(agency)


@pytest.fixture
def audit(tmp_path):
    """``audit(rows, people=None, rules=None) -> {(row, rule): detail}``."""

    def run(rows, people=None, rules=None):
        path = testing.make_querylog(tmp_path / "log.csv", rows)
        _, found = run_audit(path, people, rules)
        return {(row, rule): detail for row, rule, detail in found}

    return run


@pytest.fixture
def roster(agency):
    """Two people with accounts, one separated and disabled."""
    Person.objects.create(
        agency=agency, employee_id="E1", last_name="Alvarez", first_name="Maria"
    )
    Person.objects.create(
        agency=agency,
        employee_id="E2",
        last_name="Osei",
        first_name="Kevin",
        employment_status="separated",
        separation_date="2026-02-15",
    )
    SystemAccount.objects.create(
        agency=agency,
        operator_id="OP1",
        employee_id="E1",
        access_level="full",
        created_date="2020-01-01",
    )
    SystemAccount.objects.create(
        agency=agency,
        operator_id="OP2",
        employee_id="E2",
        access_level="full",
        created_date="2020-01-01",
        status="disabled",
        disabled_date="2026-02-20",
    )
    return agency


@pytest.fixture
def imported(roster, tmp_path):
    """``agency`` with accounts and an imported log: a violation, a self query
    (a lead) and a compliant row, all in March 2026."""
    rows = [
        {"timestamp": "2026-03-02T08:00:00", "purpose_code": "R"},
        {
            "timestamp": "2026-03-03T08:00:00",
            "subject_name": "ALVAREZ,MARIA",
            "subject_dob": "1985-05-05",
        },
        {"timestamp": "2026-03-04T08:00:00"},
    ]
    return testing.make_querylog_import(
        roster, testing.make_querylog(tmp_path / "march.csv", rows)
    )


def url(name, agency, **kwargs):
    from django.urls import reverse

    return reverse(f"querylogs:{name}", kwargs={"ori": agency.ori, **kwargs})


MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


@pytest.fixture
def varied(roster, tmp_path):
    """``agency`` with an imported March 2026 whose findings differ in every column
    of the lists: operators OP1, OP2 (disabled) and ZED9 (no account), terminals,
    rules and severities, and three leads (ZED9's with two inquiries)."""
    rows = [
        {"timestamp": "2026-03-02T08:00:00", "purpose_code": "R"},
        {
            "timestamp": "2026-03-03T08:00:00",
            "subject_name": "ALVAREZ,MARIA",
            "subject_dob": "1985-05-05",
        },
        {
            "timestamp": "2026-03-05T08:00:00",
            "operator_id": "OP2",
            "terminal": "T2",
            "rte": "",
            "subject_name": "ROE,RICHARD",
            "subject_dob": "1970-07-07",
        },
        {"timestamp": "2026-03-06T08:00:00", "operator_id": "ZED9", "terminal": "A0"},
        {"timestamp": "2026-03-07T08:00:00", "operator_id": "ZED9", "terminal": "A0"},
    ]
    return testing.make_querylog_import(
        roster, testing.make_querylog(tmp_path / "varied.csv", rows)
    )
