"""`accdesk import validations FILE --agency ORI [--dry-run]`: the DOJ list, all
or nothing, every bad row and field named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accdesk.core.models import ChangeRecord
from accdesk.validations.models import ListedRecord

pytestmark = pytest.mark.django_db

HEADER = "database,record_id,record_file,entered_date,list_date,description,entered_by"
GOOD = [
    "WPS,W1001,wanted_person,2026-08-01,2026-10-05,Felony warrant,Clerk Ames",
    "SVS,V2002,stolen_vehicle,2026-07-20,2026-10-05,Sedan 8ABC123,Clerk Bell",
    "mups,M3003,missing_person,07/25/2026,10/05/2026,Missing adult,",
]


def write(tmp_path, *rows, header=HEADER, encoding="utf-8"):
    path = tmp_path / "list.csv"
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))
    return path


def run(agency, path, *args):
    call_command("import", "validations", str(path), "--agency", agency.ori, *args)


def test_it_imports_the_list(agency, tmp_path, capsys):
    run(agency, write(tmp_path, *GOOD))
    assert "Imported 3 row(s): 3 new" in capsys.readouterr().out
    missing = ListedRecord.objects.get(agency=agency, record_id="M3003")
    assert missing.database == "MUPS"
    assert missing.list_date == dt.date(2026, 10, 5)  # a US date
    assert missing.entered_date == dt.date(2026, 7, 25)
    assert ChangeRecord.objects.filter(event="import.validations").exists()


def test_a_dry_run_writes_nothing(agency, tmp_path, capsys):
    run(agency, write(tmp_path, *GOOD), "--dry-run")
    assert "Would import 3 row(s)" in capsys.readouterr().out
    assert not ListedRecord.objects.exists()


def test_every_bad_row_and_field_is_named_and_nothing_is_written(
    agency, tmp_path, capsys
):
    rows = [
        GOOD[0],
        "XYZ,W1,wanted_person,2026-08-01,2026-10-05,,",
        "WPS,W2,wanted_guy,2026-08-01,2026-10-05,,",
        "WPS,,gun,2026-13-01,yesterday,,",
        "SVS,V9,stolen_vehicle,2026-11-01,2026-10-05,,",
        GOOD[0],
    ]
    with pytest.raises(CommandError, match="error"):
        run(agency, write(tmp_path, *rows))
    out = capsys.readouterr().out
    assert "row 2 (line 3), column 'database': unknown value 'XYZ'" in out
    assert "row 3 (line 4), column 'record_file': unknown value 'wanted_guy'" in out
    assert "row 4 (line 5), column 'record_id'" in out
    assert "row 4 (line 5), column 'entered_date'" in out
    assert "row 4 (line 5), column 'list_date'" in out
    assert "row 5 (line 6), column 'entered_date': is after the list date" in out
    assert "row 6 (line 7): the same record" in out
    assert not ListedRecord.objects.exists()


def test_a_missing_column_is_refused(agency, tmp_path, capsys):
    with pytest.raises(CommandError):
        run(agency, write(tmp_path, GOOD[0], header=HEADER.replace(",entered_by", "")))
    assert "entered_by" in capsys.readouterr().out


def test_the_same_list_again_updates_and_next_years_list_is_a_new_row(
    agency, tmp_path, capsys
):
    run(agency, write(tmp_path, *GOOD))
    record = ListedRecord.objects.get(record_id="W1001")
    record.result = "validated"
    record.save()
    again = GOOD[0].replace("Felony warrant", '"Felony warrant, amended"')
    run(agency, write(tmp_path, again))
    assert "1 updated" in capsys.readouterr().out
    record.refresh_from_db()
    assert record.description == "Felony warrant, amended"
    assert record.result == "validated"  # the agency's validation is kept
    run(agency, write(tmp_path, GOOD[0].replace("2026-10-05", "2027-10-04")))
    assert ListedRecord.objects.filter(record_id="W1001").count() == 2


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_it_reads_the_encodings_doj_files_come_in(agency, tmp_path, encoding):
    row = "WPS,W1001,wanted_person,2026-08-01,2026-10-05,Warrant for José Peña,"
    run(agency, write(tmp_path, row, encoding=encoding))
    assert ListedRecord.objects.get().description == "Warrant for José Peña"


def test_an_outsider_agencys_rows_are_apart(agency, other_agency, tmp_path):
    run(agency, write(tmp_path, *GOOD))
    run(other_agency, write(tmp_path, GOOD[0]))
    assert ListedRecord.objects.filter(agency=other_agency).count() == 1
    assert ListedRecord.objects.filter(agency=agency).count() == 3
