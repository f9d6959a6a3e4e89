"""``accdesk person revoke EMPLOYEE_ID --agency ORI --date YYYY-MM-DD --reason``."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from accdesk.core.models import ChangeRecord
from accdesk.testing import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _revoke(agency, *args):
    out = io.StringIO()
    call_command("person", "revoke", *args, "--agency", agency.ori, stdout=out)
    return out.getvalue()


def test_it_records_a_revocation_with_who_and_why(agency):
    person = make_person(agency, employee_id="E1")
    out = _revoke(agency, "E1", "--date", "2026-06-14", "--reason", "Misuse inquiry")
    assert "access revoked on 2026-06-14" in out
    person.refresh_from_db()
    assert person.access_revoked_on == dt.date(2026, 6, 14)
    assert person.access_revoked_reason == "Misuse inquiry"
    assert person.access_revoked_by.startswith("cli:")
    record = ChangeRecord.objects.get(object_type="personnel.person", action="update")
    assert set(record.changed_fields) == {
        "access_revoked_on",
        "access_revoked_reason",
        "access_revoked_by",
    }


def test_a_dry_run_changes_nothing(agency):
    person = make_person(agency, employee_id="E1")
    out = _revoke(agency, "E1", "--date", "2026-06-14", "--reason", "x", "--dry-run")
    assert out.startswith("Would record")
    person.refresh_from_db()
    assert person.access_revoked_on is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["E404", "--date", "2026-06-14", "--reason", "x"],
            "No one with employee ID 'E404'",
        ),
        (["E1", "--date", "14/06/2026", "--reason", "x"], "is not a date"),
        (["E1", "--date", "2026-06-16", "--reason", "x"], "is in the future"),
        (["E1", "--date", "2026-06-14", "--reason", "  "], "--reason may not be empty"),
    ],
)
def test_it_refuses_bad_input(agency, args, message):
    make_person(agency, employee_id="E1")
    with pytest.raises(CommandError, match=message):
        _revoke(agency, *args)


def test_it_finds_people_only_in_the_given_agency(agency, other_agency):
    make_person(other_agency, employee_id="E1")
    with pytest.raises(CommandError, match="No one with employee ID 'E1'"):
        _revoke(agency, "E1", "--date", "2026-06-14", "--reason", "x")
