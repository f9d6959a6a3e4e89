"""The operator training and testing record (PDF/XLSX, page and command) and the
unescorted-access list for the CSO (PDF/CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from accdesk import testing
from accdesk.core.models import ChangeRecord
from accdesk.personnel import records

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(agency, frozen_today):
    """Ann: a full-access operator with initial training, two NexTEST results,
    approved checks and a statement."""
    ann, account = testing.make_eligible_operator(
        agency, employee_id="E1", first_name="Ann", last_name="Archer"
    )
    testing.make_training(
        ann,
        course="clets_full_initial",
        level="",
        completed_date=dt.date(2024, 2, 1),
        hours=6,
        workbook_date=dt.date(2024, 2, 3),
    )
    testing.make_certification(account, completed_date=dt.date(2025, 1, 5), score=88)
    ann.background_checks.update(
        approved_by="Chief Whitfield", approved_date=dt.date(2025, 8, 1)
    )
    return ann, account


def test_the_record_holds_what_the_ppp_asks_for(agency, operator):
    ann, account = operator
    (record,) = records.operator_records(agency)
    assert record.person == ann
    assert {t.course for t in record.initial} == {"clets_full_initial"}
    assert dt.date(2024, 2, 1) in [t.completed_date for t in record.initial]
    dates = [d for d, _, _ in record.recertifications]
    assert dates == sorted(dates) and dt.date(2025, 1, 5) in dates
    assert "88" in [s for _, _, s in record.recertifications]
    assert record.awareness and record.checks and record.forms
    (row,) = records.xlsx_rows([record])
    by = dict(zip(records.XLSX_HEADER, row, strict=True))
    assert "2024-02-01 (6 h)" in by["clets_training"]
    assert "2024-02-03" in by["workbook_dates"]
    assert "approved by Chief Whitfield 2025-08-01" in by["background_checks"]
    assert (
        "2025-01-05" in by["recertifications"] and "score 88" in by["recertifications"]
    )


def test_only_people_with_an_active_account_are_operators(agency, operator):
    testing.make_person(agency, employee_id="E9")  # no account
    gone, account = testing.make_eligible_operator(agency, employee_id="E8")
    account.status = "disabled"
    account.disabled_date = dt.date(2026, 6, 1)
    account.save()
    assert [r.person.employee_id for r in records.operator_records(agency)] == ["E1"]


def test_the_command_writes_pdf_and_xlsx(agency, operator, tmp_path):
    out = io.StringIO()
    pdf = tmp_path / "ops.pdf"
    call_command(
        "report",
        "operators",
        "--agency",
        agency.ori,
        "--format",
        "pdf",
        "--output",
        str(pdf),
        stdout=out,
    )
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert "1 operator" in out.getvalue()
    xlsx = tmp_path / "ops.xlsx"
    call_command(
        "report",
        "operators",
        "--agency",
        agency.ori,
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
        stdout=out,
    )
    sheet = load_workbook(xlsx).active
    rows = list(sheet.values)
    assert rows[0] == records.XLSX_HEADER
    assert rows[1][0] == "E1"
    assert (
        ChangeRecord.objects.filter(
            event="export", message__contains="operator training"
        ).count()
        == 2
    )


def test_the_command_refuses_bad_arguments(agency, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "report",
            "operators",
            "--agency",
            agency.ori,
            "--format",
            "csv",
            "--output",
            str(tmp_path / "x"),
        )
    with pytest.raises(CommandError, match="No agency"):
        call_command(
            "report",
            "operators",
            "--agency",
            "CA9999999",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "x"),
        )
    with pytest.raises(CommandError, match="No such directory"):
        call_command(
            "report",
            "operators",
            "--agency",
            agency.ori,
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "missing" / "x.pdf"),
        )


def test_the_page_buttons_download_the_same_record(as_alice, agency, operator):
    ann, _ = operator
    page = as_alice.get(f"/a/{agency.ori}/roster/people/{ann.pk}/").content.decode()
    assert f"/roster/people/{ann.pk}/operator-record.pdf" in page
    response = as_alice.get(
        f"/a/{agency.ori}/roster/people/{ann.pk}/operator-record.pdf"
    )
    assert response.content[:5] == b"%PDF-"
    response = as_alice.get(f"/a/{agency.ori}/roster/operator-records.xlsx")
    assert response.content[:2] == b"PK"
    assert (
        as_alice.get(f"/a/{agency.ori}/roster/operator-records.csv").status_code == 404
    )


@pytest.mark.parametrize(
    ("client", "status"),
    [("as_sam", 200), ("as_bob", 200), ("as_vera", 403), ("as_sue", 403)],
)
def test_who_may_download(request, agency, operator, client, status):
    c = request.getfixturevalue(client)
    assert c.get(f"/a/{agency.ori}/roster/operator-records.xlsx").status_code == status
    assert c.get(f"/a/{agency.ori}/roster/unescorted-access.csv").status_code == status


# -- unescorted access ------------------------------------------------------------


def _listed(client, agency):
    response = client.get(f"/a/{agency.ori}/roster/unescorted-access.csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_unescorted_list_holds_the_cleared_with_a_role_level(
    as_alice, agency, frozen_today
):
    testing.make_eligible_operator(agency, employee_id="E1", last_name="Archer")
    janitor = testing.make_person(
        agency,
        employee_id="E2",
        role_level="unescorted",
        employer="Brightline",
        unit="Facilities",
    )
    testing.make_check(janitor, check_type="state")
    testing.make_check(janitor, check_type="fbi", decided=dt.date(2026, 1, 5))
    no_fbi = testing.make_person(agency, employee_id="E3")
    testing.make_check(no_fbi, check_type="state")
    no_level = testing.make_person(agency, employee_id="E4", role_level="")
    testing.make_check(no_level, check_type="state")
    testing.make_check(no_level, check_type="fbi")
    left = testing.make_person(
        agency,
        employee_id="E5",
        employment_status="separated",
        separation_date=dt.date(2026, 6, 1),
    )
    testing.make_check(left, check_type="state")
    testing.make_check(left, check_type="fbi")
    rows = _listed(as_alice, agency)
    assert [r["employee_id"] for r in rows] == ["E1", "E2"]
    janitor_row = rows[1]
    assert (
        janitor_row["role_level"],
        janitor_row["employer"],
        janitor_row["unit"],
    ) == (
        "unescorted",
        "Brightline",
        "Facilities",
    )
    # The later of the two approvals (the rules' clearance date).
    assert janitor_row["cleared_on"] == "2026-01-05"
    pdf = as_alice.get(f"/a/{agency.ori}/roster/unescorted-access.pdf")
    assert pdf.content[:5] == b"%PDF-"
    assert (
        ChangeRecord.objects.filter(
            event="export", message__contains="unescorted-access"
        ).count()
        == 2
    )


def test_a_clearance_without_the_agency_heads_approval_is_not_listed(
    as_alice, agency, frozen_today
):
    person, _ = testing.make_eligible_operator(agency, employee_id="E1")
    person.background_checks.filter(check_type="fbi").update(
        approved_by="", approved_date=None
    )
    assert _listed(as_alice, agency) == []


def test_a_denied_check_leaves_the_list(as_alice, agency, frozen_today):
    person, _ = testing.make_eligible_operator(agency, employee_id="E1")
    testing.make_check(
        person,
        check_type="fbi",
        decision="denied",
        decided=dt.date(2026, 6, 1),
        submitted_date=dt.date(2026, 5, 1),
    )
    assert _listed(as_alice, agency) == []
