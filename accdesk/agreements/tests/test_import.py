"""`accdesk import agreements FILE --agency ORI`: all or nothing, bad rows named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accdesk.agreements.models import Agreement, AgreementKind, Vendor
from accdesk.core.models import ChangeRecord

pytestmark = pytest.mark.django_db

HEADER = "reference,kind,party,party_ori,vendor,signatory,signatory_title,signed_date,effective_date,expiry_date,status,employee_id"
GOOD = [
    "SA-2024,hdc_0001,CA DOJ,,,Dana Whitfield,Chief of Police,2024-03-01,2024-03-01,,in_force,",
    "MCA-BRIGHT,hdc_0004b,,,Brightline Janitorial,Lee Park,Owner,2025-01-10,2025-01-10,2028-01-10,in_force,",
    "ADD-E3004,hdc_0012,,,Brightline Janitorial,Pete Novak,Custodian,2025-01-12,2025-01-12,,in_force,E3004",
    "IA-LCSO,interagency_terminal,Lakemont County Sheriff,ca0990100,,Dana Whitfield,Chief,2025-02-01,2025-02-01,2027-02-01,In force,",
]


def write(tmp_path, *rows, header=HEADER):
    path = tmp_path / "agreements.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def run(agency, path, *args):
    call_command("import", "agreements", str(path), "--agency", agency.ori, *args)


def test_it_imports_agreements_and_adds_the_vendors_named(agency, tmp_path, capsys):
    run(agency, write(tmp_path, *GOOD))
    out = capsys.readouterr().out
    assert "Imported 4 row(s): 4 new, 0 updated, 0 unchanged." in out
    assert "vendor 'Brightline Janitorial' added (private)" in out
    mca = Agreement.objects.get(agency=agency, reference="MCA-BRIGHT")
    assert mca.kind.code == "hdc_0004b" and mca.vendor.private
    assert mca.expiry_date == dt.date(2028, 1, 10)
    assert Agreement.objects.get(reference="ADD-E3004").employee_id == "E3004"
    assert Agreement.objects.get(reference="IA-LCSO").party_ori == "CA0990100"
    assert Vendor.objects.filter(agency=agency).count() == 1
    assert ChangeRecord.objects.filter(event="import.agreements").exists()


def test_importing_again_updates_by_reference(agency, tmp_path, capsys):
    run(agency, write(tmp_path, *GOOD))
    changed = GOOD[0].replace(",in_force,", ",superseded,")
    run(agency, write(tmp_path, changed, *GOOD[1:]))
    assert "0 new, 1 updated, 3 unchanged" in capsys.readouterr().out
    assert Agreement.objects.get(reference="SA-2024").status == "superseded"


def test_a_kind_the_agency_added_can_be_imported(agency, tmp_path):
    AgreementKind.objects.create(
        agency=agency, code="mou_cad", name="CAD MOU", citation="Local"
    )
    run(
        agency,
        write(
            tmp_path, "MOU-1,mou_cad,County,,,A B,Chief,2025-01-01,2025-01-01,,draft,"
        ),
    )
    assert Agreement.objects.get(reference="MOU-1").kind.code == "mou_cad"


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "X-1,hdc_9999,,,,A,B,2025-01-01,2025-01-01,,in_force,",
            "row 1 (line 2), column 'kind': unknown kind 'hdc_9999'",
        ),
        (
            "X-1,hdc_0001,,,,A,B,2025-01-01,2025-01-01,,signed,",
            "row 1 (line 2), column 'status': unknown value 'signed'",
        ),
        (
            "X-1,reciprocity,DA,,,A,B,2025-01-01,2025-01-01,,in_force,",
            "column 'party_ori': required for kind 'reciprocity'",
        ),
        (
            "X-1,hdc_0004a,,,,A,B,2025-01-01,2025-01-01,,in_force,",
            "column 'vendor': required for kind 'hdc_0004a'",
        ),
        (
            "X-1,hdc_0012,,,Acme,A,B,2025-01-01,2025-01-01,,in_force,",
            "column 'employee_id': required for kind 'hdc_0012'",
        ),
        (
            "X-1,hdc_0001,,,,A,B,03/01/2025x,2025-01-01,,in_force,",
            "column 'signed_date'",
        ),
        (
            "X-1,hdc_0001,,,,A,B,2025-01-01,2025-01-01,2024-01-01,in_force,",
            "column 'expiry_date': is before signed_date",
        ),
        (
            "X-1,interstate,NV,NV12,,A,B,2025-01-01,2025-01-01,,in_force,",
            "column 'party_ori': 'NV12' is not an ORI",
        ),
        (
            "X-1,hdc_0001,,,,A,B,,,,in_force,",
            "column 'signed_date': a signed date is required unless draft",
        ),
    ],
)
def test_a_bad_row_names_the_row_and_value_and_nothing_is_imported(
    agency, tmp_path, capsys, row, message
):
    with pytest.raises(CommandError, match="nothing was imported"):
        run(agency, write(tmp_path, GOOD[0], row.replace("X-1", "X-1")))
    out = capsys.readouterr().out
    assert message.replace("row 1 (line 2)", "row 2 (line 3)") in out
    assert not Agreement.objects.exists() and not Vendor.objects.exists()


def test_a_dry_run_writes_nothing(agency, tmp_path, capsys):
    run(agency, write(tmp_path, *GOOD), "--dry-run")
    assert "Would import 4 row(s)" in capsys.readouterr().out
    assert not Agreement.objects.exists() and not Vendor.objects.exists()


def test_the_header_is_the_contract(agency, tmp_path, capsys):
    with pytest.raises(CommandError):
        run(
            agency,
            write(tmp_path, GOOD[0], header=HEADER.replace("signatory_title,", "")),
        )
    assert "Missing column: signatory_title" in capsys.readouterr().out


def test_the_roster_formats_still_import(agency, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text(
        "employee_id,last_name,first_name,employment_status,hire_date,separation_date,role_level,administrator,sworn,employer,supervisor_employee_id\n"
        "E1,Alvarez,Maria,active,2019-04-01,,security,yes,yes,agency,\n"
    )
    call_command("import", "roster", str(path), "--agency", agency.ori)
    assert "1 new" in capsys.readouterr().out
