from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accdesk.agency.models import Agency
from accdesk.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def test_it_adds_an_agency_with_an_upper_cased_ori(capsys):
    call_command(
        "agency",
        "add",
        "--ori",
        "ca0190000",
        "--name",
        "Alameda PD",
        "--type",
        "cja",
        "--ori-access",
        "limited",
    )
    agency = Agency.objects.get()
    assert (agency.ori, agency.name, agency.ori_access) == (
        "CA0190000",
        "Alameda PD",
        "limited",
    )
    assert "Created Alameda PD (CA0190000)" in capsys.readouterr().out


@pytest.mark.parametrize("ori", ["CA019000", "CA01900000", "1A0190000", "CA019-000"])
def test_it_rejects_an_invalid_ori_and_changes_nothing(ori):
    with pytest.raises(CommandError, match="An ORI is 9 characters"):
        call_command("agency", "add", "--ori", ori, "--name", "X")
    assert not Agency.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_it_rejects_a_duplicate_ori_and_changes_nothing(agency):
    with pytest.raises(CommandError, match="already exists"):
        call_command("agency", "add", "--ori", agency.ori.lower(), "--name", "Copy")
    assert Agency.objects.get().name == agency.name


def test_it_rejects_an_unknown_time_zone():
    with pytest.raises(CommandError, match="Unknown time zone"):
        call_command(
            "agency",
            "add",
            "--ori",
            "CA0190000",
            "--name",
            "X",
            "--time-zone",
            "Mars/Olympus",
        )


def test_it_lists_agencies(agency, capsys):
    call_command("agency", "list")
    assert f"{agency.ori}  {agency.name}" in capsys.readouterr().out
