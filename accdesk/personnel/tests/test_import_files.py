"""The roster imports read the files agencies really have (issue 10): Excel's CSV
encodings, US dates, workbooks with formulas; and a bad file is reported in full."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from accdesk.personnel.models import Person, TrainingRecord
from accdesk.testing import make_person

from .files import errors, run

pytestmark = pytest.mark.django_db

HEADER = (
    "employee_id,last_name,first_name,employment_status,hire_date,separation_date,"
    "role_level,administrator,sworn,employer\r\n"
)


def _import(path, agency, *extra):
    out = io.StringIO()
    call_command(
        "import", "roster", str(path), "--agency", agency.ori, *extra, stdout=out
    )
    return out.getvalue()


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_muñoz_arrives_intact_in_every_encoding_excel_writes(agency, tmp_path, codec):
    path = tmp_path / "roster.csv"
    path.write_bytes(
        (HEADER + "E1,Muñoz,José,active,2020-01-06,,general,no,yes,agency\r\n").encode(
            codec
        )
    )
    assert "1 new" in _import(path, agency)
    person = Person.objects.get(agency=agency, employee_id="E1")
    assert (person.last_name, person.first_name) == ("Muñoz", "José")


@pytest.mark.parametrize("codec", ["utf-8", "utf-16"])
def test_vietnamese_names_arrive_intact_in_unicode_files(agency, codec):
    text = HEADER + "E1,Nguyễn,Thị,active,2020-01-06,,general,no,yes,agency\r\n"
    result = run("roster", agency, text.encode(codec))
    assert result.ok, errors(result)
    assert Person.objects.get(employee_id="E1").last_name == "Nguyễn"


def test_a_binary_file_fails_the_command_with_one_sentence(agency, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(bytes(range(256)) * 16)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import", "roster", str(path), "--agency", agency.ori, stdout=out)
    (line,) = out.getvalue().splitlines()
    assert line.startswith("error: roster.csv: this is not a CSV text file: byte 0x")
    assert not Person.objects.exists()


@pytest.mark.parametrize("text", ["1/6/2020", "01/06/2020", "2020-01-06"])
def test_us_dates_are_month_first(agency, text):
    result = run(
        "roster",
        agency,
        HEADER + f"E1,Archer,Ann,active,{text},,general,no,yes,agency\n",
    )
    assert result.ok, errors(result)
    assert Person.objects.get(employee_id="E1").hire_date == dt.date(2020, 1, 6)


def test_a_formula_with_no_saved_value_names_its_sheet_and_cell(agency, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["E1", "Archer", "Ann", "active", dt.datetime(2020, 1, 6), None,
                  "general", "no", "yes", "agency"])  # fmt: skip
    sheet.append(["E2", "Baker", "Bo", "active", "=E2+30", None,
                  "general", "no", "yes", "agency"])  # fmt: skip
    path = tmp_path / "roster.xlsx"
    book.save(path)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import", "roster", str(path), "--agency", agency.ori, stdout=out)
    assert out.getvalue() == (
        "error: row 2 (line 3), column 'hire_date': Sheet!E3 holds a formula with no "
        "saved value: open and save the file in Excel, or export CSV\n"
    )
    assert not Person.objects.exists()


def test_every_bad_field_of_every_row_is_reported_at_once(agency):
    make_person(agency, employee_id="E1")
    text = (
        "employee_id,course,level,completed_date,expiration_date,score\n"
        "E1,security_awareness,general,2026-08-01,,95\n"
        "E9,security_awareness,general,2026-08-01,,95\n"  # not on the roster
        "E1,cooking,general,13/01/2026,,lots\n"  # three bad fields
    )
    result = run("training", agency, text)
    assert errors(result) == [
        "row 2 (line 3), column 'employee_id': no one with employee ID 'E9' is on "
        "the roster (import the HR roster first)",
        "row 3 (line 4), column 'course': unknown value 'cooking'; expected one of: "
        "admin_liability_review, clets_full_initial, clets_full_recert, "
        "clets_ltf_initial, clets_ltf_recert, ir_training, pii_training, "
        "security_awareness",
        "row 3 (line 4), column 'completed_date': '13/01/2026' is not a real date "
        "(with slashes the month comes first: MM/DD/YYYY)",
        "row 3 (line 4), column 'score': 'lots' is not a number",
    ]
    assert not TrainingRecord.objects.exists()


def test_the_command_prints_every_error(agency, tmp_path):
    path = tmp_path / "roster.csv"
    rows = "".join(f"E{i},Archer,Ann,fired,,,,no,no,agency\n" for i in range(300))
    path.write_text(HEADER + rows)
    out = io.StringIO()
    with pytest.raises(CommandError, match="300 error"):
        call_command("import", "roster", str(path), "--agency", agency.ori, stdout=out)
    assert out.getvalue().count("column 'employment_status': unknown value") == 300


def test_the_verbose_command_shows_old_and_new_values(agency, tmp_path):
    make_person(agency, employee_id="E1", last_name="Archer", first_name="Ann")
    path = tmp_path / "roster.csv"
    path.write_text(
        HEADER + "E1,Archer-Smith,Ann,active,2020-01-06,,general,no,yes,agency\n"
    )
    out = _import(path, agency, "--dry-run", "-v", "2")
    assert "row 1: update E1 (last_name: Archer -> Archer-Smith" in out


def test_a_file_with_too_many_rows_is_refused_naming_the_setting(
    settings, agency, tmp_path
):
    settings.IMPORT_MAX_ROWS = 2
    path = tmp_path / "roster.csv"
    rows = "".join(f"E{i},A,B,active,,,,no,no,agency\n" for i in range(3))
    path.write_text(HEADER + rows)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import", "roster", str(path), "--agency", agency.ori, stdout=out)
    assert "more than 2 rows" in out.getvalue()
    assert "ACCDESK_IMPORT_MAX_ROWS" in out.getvalue()
    assert not Person.objects.exists()
