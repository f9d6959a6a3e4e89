"""Model verbs and constraints of the roster."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError

from accdesk.core.models import ChangeRecord
from accdesk.personnel.models import Certification, Deactivation
from accdesk.testing import make_account, make_check, make_person

pytestmark = pytest.mark.django_db


def test_mark_deactivated_disables_and_keeps_who_and_why(agency, alice):
    account = make_account(agency, make_person(agency))
    mark = account.mark_deactivated(
        on=dt.date(2026, 6, 1), by="alice", user=alice, note="", reasons="INACTIVE_90D"
    )
    account.refresh_from_db()
    assert (account.status, account.disabled_date, account.disabled_reason) == (
        "disabled",
        dt.date(2026, 6, 1),
        "INACTIVE_90D",
    )
    assert Deactivation.objects.get() == mark and mark.agency_id == agency.pk
    assert ChangeRecord.objects.filter(object_type="personnel.deactivation").exists()


def test_revoke_access_is_recorded(agency):
    person = make_person(agency)
    person.revoke_access(on=dt.date(2026, 6, 1), reason="Inquiry", by="cli:ops")
    record = ChangeRecord.objects.get(object_type="personnel.person", action="update")
    assert record.changes["access_revoked_on"] == [None, "2026-06-01"]


def test_a_certification_needs_an_operator_or_employee_id(agency):
    with pytest.raises(IntegrityError):
        Certification.objects.create(
            agency=agency, test="full", completed_date=dt.date(2026, 1, 1)
        )


def test_one_check_per_person_type_and_submission_date(agency):
    person = make_person(agency)
    make_check(person, submitted_date=dt.date(2026, 1, 1))
    with pytest.raises(IntegrityError):
        make_check(person, submitted_date=dt.date(2026, 1, 1))
