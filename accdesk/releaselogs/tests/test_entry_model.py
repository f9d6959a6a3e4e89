"""ReleaseLogEntry: append-only through every ORM path (AU-9), constraints, and
corrections."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction

from accdesk.core.models import AppendOnlyError, ChangeRecord
from accdesk.releaselogs.chain import append
from accdesk.releaselogs.models import ChainCheck, PurgeCertificate, ReleaseLogEntry
from accdesk.releaselogs.tests.tamper import update_entry
from accdesk.releaselogs.verification import verify
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db


def test_an_entry_cannot_be_saved_again(agency):
    entry = make_release_entry(agency)
    entry.information = "something else"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_an_entry_cannot_be_deleted(agency):
    entry = make_release_entry(agency)
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ReleaseLogEntry.objects.filter(pk=entry.pk).delete()
    assert ReleaseLogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "write",
    [
        lambda qs, e: qs.update(information="x"),
        lambda qs, e: qs.bulk_update([e], ["information"]),
        lambda qs, e: qs.bulk_create([ReleaseLogEntry(agency=e.agency)]),
    ],
    ids=["update", "bulk_update", "bulk_create"],
)
def test_bulk_paths_are_closed(agency, write):
    entry = make_release_entry(agency)
    with pytest.raises(AppendOnlyError):
        write(ReleaseLogEntry.objects.all(), entry)


@pytest.mark.parametrize("model", [PurgeCertificate, ChainCheck])
def test_certificates_and_checks_are_append_only_too(model):
    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        model.objects.all().update(count=0)


def test_there_is_no_admin_to_edit_them():
    registered = set(admin.site._registry)
    assert not {ReleaseLogEntry, PurgeCertificate, ChainCheck} & registered


def test_the_change_record_keeps_no_content(agency):
    entry = make_release_entry(agency, information="CII rap sheet – SECRET, NAME")
    record = ChangeRecord.objects.get(
        object_type="releaselogs.releaselogentry", action="create"
    )
    assert record.restricted and record.changes == {}
    assert "SECRET" not in record.object_repr
    assert str(entry.pk) == record.object_id


def test_the_database_refuses_a_blank_required_field(agency):
    """Required fields hold even for writes that skip the app's validation."""
    entry = make_release_entry(agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        update_entry(entry, requesting_terminal="")


def test_a_correction_copies_the_entry_and_points_back(agency):
    original = make_release_entry(agency, case_number="LK-1")
    correction = append(original.correction("typo in case number", case_number="LK-2"))
    assert correction.sequence == 2
    assert (correction.corrects_sequence, correction.case_number) == (1, "LK-2")
    assert correction.information == original.information
    original.refresh_from_db()
    assert original.case_number == "LK-1"  # both stay, unchanged
    superseded = ReleaseLogEntry.objects.with_superseded_by().get(pk=original.pk)
    assert superseded.superseded_by == 2
    assert verify(agency).ok


def test_an_entry_is_corrected_once(agency):
    original = make_release_entry(agency)
    append(original.correction("first"))
    with pytest.raises(IntegrityError):
        append(original.correction("second"))
    assert ReleaseLogEntry.objects.count() == 2
