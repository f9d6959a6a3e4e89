"""`accdesk import terminals FILE --agency ORI`: all or nothing, bad rows named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accdesk.terminals.models import Site, Terminal

pytestmark = pytest.mark.django_db

HEADER = "terminal,type,site,host,public_view,status,unit,retired_date"
GOOD = [
    "lkm001,workstation,Main Station,10.20.1.11,no,active,Records,",
    "LKM014,MDC,,mdc-14.lpd.example,,active,Patrol,",
    "LKM009,printer,main station,10.20.1.40,yes,retired,Records,2025-11-30",
]


def write(tmp_path, *rows, header=HEADER):
    path = tmp_path / "terminals.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def run(agency, path, *args):
    call_command("import", "terminals", str(path), "--agency", agency.ori, *args)


def test_it_imports_the_inventory_and_adds_the_sites_named(agency, tmp_path, capsys):
    run(agency, write(tmp_path, *GOOD))
    out = capsys.readouterr().out
    assert "Imported 3 row(s): 3 new" in out
    assert "site 'Main Station' added" in out
    (site,) = Site.objects.filter(agency=agency)
    first = Terminal.objects.get(agency=agency, terminal="LKM001")
    assert first.site == site and first.host == "10.20.1.11" and not first.public_view
    printer = Terminal.objects.get(terminal="LKM009")
    assert printer.site == site and printer.public_view
    assert printer.status == "retired" and printer.retired_date == dt.date(2025, 11, 30)
    assert Terminal.objects.get(terminal="LKM014").terminal_type == "mdc"


def test_importing_again_updates_by_mnemonic(agency, tmp_path, capsys):
    run(agency, write(tmp_path, *GOOD))
    run(
        agency,
        write(
            tmp_path,
            GOOD[0].replace(",active,Records,", ",retired,Records,2026-01-05"),
            *GOOD[1:],
        ),
    )
    assert "0 new, 1 updated, 2 unchanged" in capsys.readouterr().out
    assert Terminal.objects.get(terminal="LKM001").retired_date == dt.date(2026, 1, 5)


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "T9,laptop,,,no,active,,",
            "row 2 (line 3), column 'type': unknown value 'laptop'",
        ),
        (
            "T9,workstation,,,maybe,active,,",
            "column 'public_view': 'maybe' is not yes/no",
        ),
        ("T9,workstation,,,no,lost,,", "column 'status': unknown value 'lost'"),
        (
            "T9,workstation,,,no,retired,,",
            "column 'retired_date': a retired terminal needs its retired date",
        ),
        (
            "T9,workstation,,,no,active,,2026-01-01",
            "column 'retired_date': an active terminal has no retired date",
        ),
        ("T9,workstation,,,no,retired,,01/05/2026x", "column 'retired_date'"),
        (",workstation,,,no,active,,", "column 'terminal': a value is required"),
        (
            "LKM001,workstation,,,no,active,,",
            "the same record (terminal=LKM001) is already in row 1",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_imported(
    agency, tmp_path, capsys, row, message
):
    with pytest.raises(CommandError, match="nothing was imported"):
        run(agency, write(tmp_path, GOOD[0], row))
    assert message in capsys.readouterr().out
    assert not Terminal.objects.exists() and not Site.objects.exists()


def test_a_missing_column_is_refused(agency, tmp_path, capsys):
    with pytest.raises(CommandError):
        run(
            agency,
            write(
                tmp_path, "T1,workstation,,,no,active,", header=HEADER.rsplit(",", 1)[0]
            ),
        )
    assert "Missing column: retired_date" in capsys.readouterr().out


def test_a_dry_run_writes_nothing(agency, tmp_path, capsys):
    run(agency, write(tmp_path, *GOOD), "--dry-run")
    assert "Would import 3 row(s)" in capsys.readouterr().out
    assert not Terminal.objects.exists() and not Site.objects.exists()
