"""``accdesk misuse report`` and ``accdesk misuse import``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accdesk.core.models import ChangeRecord
from accdesk.investigations.models import MisuseCase
from accdesk.testing import make_misuse_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("july_1_2025")]


def _run(*args):
    out = io.StringIO()
    call_command("misuse", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def case(agency):
    return make_misuse_case(
        agency,
        case_number="IA-3",
        opened_on=dt.date(2024, 10, 1),
        closed_on=dt.date(2025, 2, 1),
        finding="sustained",
        action="terminated",
    )


def test_it_prints_the_report_as_json(agency, case):
    report = json.loads(
        _run(
            "report",
            "--agency",
            agency.ori.lower(),
            "--year",
            "2024",
            "--format",
            "json",
        )
    )
    assert (report["agency"], report["year"], report["due_date"]) == (
        agency.ori,
        2024,
        "2025-02-01",
    )
    assert (report["opened"], report["closed"], report["open_at_year_end"]) == (1, 0, 1)
    assert report["cases"][0]["closed_date"] is None


def test_it_prints_the_report_as_csv_and_records_the_export(agency, case):
    rows = list(
        csv.reader(
            io.StringIO(
                _run(
                    "report",
                    "--agency",
                    agency.ori,
                    "--year",
                    "2025",
                    "--format",
                    "csv",
                )
            )
        )
    )
    assert rows[0] == ["item", "value"] and ["by_action.terminated", "1"] in rows
    record = ChangeRecord.objects.get(event="export")
    assert record.agency_id == agency.pk and record.actor_label.startswith("cli:")
    assert record.message == "misuse report for 2025 (csv, command line)"


def test_it_writes_the_pdf_to_a_file(agency, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = _run("report", "--agency", agency.ori, "--year", "2024", "--format", "pdf")
    target = tmp_path / f"misuse-report-{agency.ori}-2024.pdf"
    assert out.strip() == f"Wrote {target.name}"
    assert target.read_bytes().startswith(b"%PDF")


def test_it_writes_json_to_output(agency, tmp_path):
    target = tmp_path / "r.json"
    _run("report", "--agency", agency.ori, "--year", "2024", "--output", str(target))
    assert json.loads(target.read_text())["year"] == 2024


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "CA0000000", "--year", "2024"], "No agency with ORI 'CA0000000'"),
        (["--year", "2026"], "2026 has not begun yet"),
    ],
)
def test_it_refuses_bad_arguments(agency, args, message):
    args = args if "--agency" in args else ["--agency", agency.ori, *args]
    with pytest.raises(CommandError, match=message):
        _run("report", *args)


def _file(tmp_path, *rows):
    path = tmp_path / "cases.csv"
    path.write_text(
        "case_number,opened_date,closed_date,subject_employee_id,source,systems,"
        "allegation,finding,action,referred_for_prosecution\n" + "".join(rows)
    )
    return path


def test_it_imports_cases(agency, tmp_path):
    path = _file(tmp_path, "IA-1,2025-01-05,,,audit,CLETS,ok,,,\n")
    out = _run("import", str(path), "--agency", agency.ori)
    assert "Imported 1 row(s): 1 new" in out
    assert MisuseCase.objects.get().allegation == "ok"


def test_an_import_with_bad_rows_fails_and_writes_nothing(agency, tmp_path):
    path = _file(
        tmp_path,
        "IA-1,2025-01-05,,,audit,CLETS,ok,,,\n",
        "IA-2,someday,,,audit,CLETS,x,,,\n",
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("misuse", "import", str(path), "--agency", agency.ori, stdout=out)
    assert "row 2 (line 3), column 'opened_date'" in out.getvalue()
    assert not MisuseCase.objects.exists()


def test_a_dry_run_imports_nothing(agency, tmp_path):
    path = _file(tmp_path, "IA-1,2025-01-05,,,audit,CLETS,ok,,,\n")
    assert "Would import 1 row(s)" in _run(
        "import", str(path), "--agency", agency.ori, "--dry-run"
    )
    assert not MisuseCase.objects.exists()


def test_a_missing_file_is_a_clear_error(agency, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        _run("import", str(tmp_path / "nope.csv"), "--agency", agency.ori)
