"""The annual report's definitions (issue 5): counts for year Y, the per-case
table as it stood on 31 December Y, and zero-case years."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.investigations.report import build_report, csv_rows, display, due_date
from accdesk.testing import make_misuse_case

pytestmark = pytest.mark.django_db
D = dt.date
FINDINGS = {"sustained", "not_sustained", "unfounded", "exonerated"}
ACTIONS = {
    "none",
    "counseling",
    "reprimand",
    "suspension",
    "resigned",
    "terminated",
    "criminal_charges",
}


def _closed(agency, opened, closed, finding="sustained", action="suspension", **kw):
    return make_misuse_case(
        agency, opened_on=opened, closed_on=closed, finding=finding, action=action, **kw
    )


def _counts(report):
    return report["opened"], report["closed"], report["open_at_year_end"]


def test_it_is_due_on_february_first_of_the_next_year():
    assert due_date(2025) == D(2026, 2, 1)


def test_a_case_opened_in_one_year_and_closed_in_the_next(agency):
    _closed(agency, D(2024, 11, 5), D(2025, 1, 20), referred_for_prosecution=True)

    first = build_report(agency, 2024)
    assert _counts(first) == (1, 0, 1)
    assert set(first["by_finding"].values()) == {0}
    # As it stood on 31 December 2024: still open, no finding, no action yet.
    [row] = first["cases"]
    assert (row["closed_date"], row["finding"], row["action"]) == (
        None,
        "pending",
        None,
    )

    second = build_report(agency, 2025)
    assert _counts(second) == (0, 1, 0)
    assert second["by_finding"]["sustained"] == 1
    assert second["by_action"]["suspension"] == 1
    [row] = second["cases"]
    assert row == {
        "case_number": row["case_number"],
        "opened_date": "2024-11-05",
        "closed_date": "2025-01-20",
        "source": "audit",
        "systems": ["CLETS"],
        "finding": "sustained",
        "action": "suspension",
        "referred_for_prosecution": True,
    }


def test_a_case_open_across_several_years_is_listed_in_each(agency):
    _closed(agency, D(2021, 6, 1), D(2024, 3, 1), finding="unfounded", action="none")
    make_misuse_case(agency, opened_on=D(2022, 2, 2))  # still open today

    assert _counts(build_report(agency, 2021)) == (1, 0, 1)
    assert _counts(build_report(agency, 2022)) == (1, 0, 2)
    assert _counts(build_report(agency, 2023)) == (0, 0, 2)
    assert len(build_report(agency, 2023)["cases"]) == 2
    last = build_report(agency, 2024)
    assert _counts(last) == (0, 1, 1)
    assert last["by_finding"]["unfounded"] == last["by_action"]["none"] == 1
    assert len(build_report(agency, 2026)["cases"]) == 1
    assert build_report(agency, 2020)["cases"] == []


def test_the_year_boundaries_are_december_31_and_january_1(agency):
    _closed(agency, D(2025, 12, 31), D(2025, 12, 31))
    make_misuse_case(agency, opened_on=D(2026, 1, 1))
    _closed(agency, D(2025, 6, 1), D(2026, 1, 1))
    report = build_report(agency, 2025)
    assert _counts(report) == (2, 1, 1)
    assert len(report["cases"]) == 2


def test_a_year_with_no_cases_still_makes_a_report_saying_so(agency, other_agency):
    make_misuse_case(other_agency, opened_on=D(2025, 5, 5))
    _closed(agency, D(2023, 1, 1), D(2023, 2, 1))
    report = build_report(agency, 2025)
    assert report == {
        "agency": agency.ori,
        "year": 2025,
        "due_date": "2026-02-01",
        "opened": 0,
        "closed": 0,
        "open_at_year_end": 0,
        "by_finding": dict.fromkeys(FINDINGS, 0),
        "by_action": dict.fromkeys(ACTIONS, 0),
        "cases": [],
    }
    statement = "No misuse investigations were opened, closed or open during 2025."
    assert display(report)["empty_statement"] == statement
    assert ["note", statement] in list(csv_rows(report))


def test_every_finding_and_action_key_is_present_and_counts_closed_cases_only(agency):
    _closed(agency, D(2025, 1, 1), D(2025, 2, 1), "sustained", "terminated")
    _closed(agency, D(2025, 1, 1), D(2025, 3, 1), "sustained", "resigned")
    _closed(agency, D(2025, 1, 1), D(2025, 4, 1), "exonerated", "none")
    make_misuse_case(agency, opened_on=D(2025, 5, 1), finding="sustained")  # open
    report = build_report(agency, 2025)
    assert list(report) == [
        "agency",
        "year",
        "due_date",
        "opened",
        "closed",
        "open_at_year_end",
        "by_finding",
        "by_action",
        "cases",
    ]
    assert report["by_finding"] == {
        "sustained": 2,
        "not_sustained": 0,
        "unfounded": 0,
        "exonerated": 1,
    }
    assert set(report["by_action"]) == ACTIONS
    assert sum(report["by_action"].values()) == 3
    assert report["by_action"]["terminated"] == report["by_action"]["resigned"] == 1


def test_the_case_table_names_no_subject(agency, person):
    make_misuse_case(
        agency, opened_on=D(2025, 5, 1), subject=person, subject_description="X Y"
    )
    text = str(build_report(agency, 2025))
    assert "Doe" not in text and "E1042" not in text and "X Y" not in text


def test_it_reads_the_cases_in_one_query(agency, django_assert_num_queries):
    for day in range(1, 6):
        make_misuse_case(agency, opened_on=D(2025, 1, day))
    with django_assert_num_queries(1):
        build_report(agency, 2025)


def test_the_csv_has_the_counts_then_the_case_table(agency):
    _closed(
        agency,
        D(2025, 1, 1),
        D(2025, 2, 1),
        case_number="IA-7",
        systems=["CLETS", "DMV"],
    )
    rows = list(csv_rows(build_report(agency, 2025)))
    assert rows[:6] == [
        ["agency", agency.ori],
        ["year", 2025],
        ["due_date", "2026-02-01"],
        ["opened", 1],
        ["closed", 1],
        ["open_at_year_end", 0],
    ]
    assert ["by_finding.sustained", 1] in rows
    assert ["by_action.suspension", 1] in rows
    blank = rows.index([])
    assert rows[blank + 1][0] == "case_number"
    assert rows[blank + 2] == [
        "IA-7",
        "2025-01-01",
        "2025-02-01",
        "audit",
        "CLETS;DMV",
        "sustained",
        "suspension",
        "no",
    ]
