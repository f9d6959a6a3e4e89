"""verification.py: the chain catches rows altered, inserted or removed with raw SQL
(behind the app's back), and a chain rewritten without the key."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.releaselogs import chain
from accdesk.releaselogs.chain import Head, append
from accdesk.releaselogs.models import ChainCheck, ReleaseLogEntry
from accdesk.releaselogs.tests import tamper
from accdesk.releaselogs.verification import verify
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(agency):
    return [make_release_entry(agency, case_number=f"C-{n}") for n in range(1, 6)]


def test_an_intact_chain_verifies_and_the_check_is_stored(agency, entries):
    result = verify(agency)
    assert result.ok and result.entries == 5
    assert result.head == Head(5, entries[-1].hash)
    check = ChainCheck.objects.get(agency=agency)
    assert (check.ok, check.head_sequence, check.head_hash) == (
        True,
        5,
        entries[-1].hash,
    )
    assert ChangeRecord.objects.filter(event="releaselog.verify").exists()


def test_an_empty_log_verifies(agency):
    result = verify(agency)
    assert result.ok and result.head == Head(0, "")


def test_it_catches_an_altered_row(agency, entries):
    tamper.update_entry(entries[2], case_number="C-99")
    result = verify(agency)
    assert (result.ok, result.first_bad, result.entries) == (False, 3, 2)
    assert "content or hash was changed" in result.problem
    check = ChainCheck.objects.get(agency=agency)
    assert (check.ok, check.first_bad_sequence) == (False, 3)


def test_it_catches_an_altered_release_time(agency, entries):
    tamper.update_entry(
        entries[1], released_at=entries[1].released_at - dt.timedelta(days=4000)
    )
    assert verify(agency).first_bad == 2


def test_it_catches_a_row_moved_to_another_agency(agency, other_agency, entries):
    tamper.update_entry(entries[2], agency_id=other_agency.pk, sequence=1)
    assert verify(other_agency).first_bad == 1
    assert verify(agency).first_bad == 3


def test_it_catches_a_row_inserted_at_the_end(agency, entries):
    tamper.insert_copy(entries[0], sequence=6, case_number="C-6")
    result = verify(agency)
    assert (result.ok, result.first_bad) == (False, 6)


def test_it_catches_a_row_inserted_in_the_middle(agency, entries):
    """A forger makes room by renumbering the rows after the insertion point."""
    for entry in reversed(entries[2:]):
        tamper.update_entry(entry, sequence=entry.sequence + 1)
    tamper.insert_copy(entries[0], sequence=3, case_number="C-forged")
    result = verify(agency)
    assert (result.ok, result.first_bad) == (False, 3)


def test_it_catches_an_inserted_copy_of_a_real_row(agency, entries):
    """A copied row carries a valid-looking hash; its position gives it away."""
    tamper.insert_copy(entries[4], sequence=6)
    assert verify(agency).first_bad == 6


def test_it_catches_a_deleted_row(agency, entries):
    tamper.delete_entry(entries[2])
    result = verify(agency)
    assert (result.ok, result.first_bad) == (False, 3)
    assert "removed without a purge certificate" in result.problem


def test_it_catches_a_deleted_first_row(agency, entries):
    tamper.delete_entry(entries[0])
    assert verify(agency).first_bad == 1


def test_it_catches_a_cut_off_tail_against_the_last_verification(agency, entries):
    assert verify(agency).ok
    tamper.delete_entry(entries[4])
    tamper.delete_entry(entries[3])
    result = verify(agency)
    assert (result.ok, result.first_bad) == (False, 4)
    assert "entries at the end were removed" in result.problem


def test_it_catches_a_cut_off_tail_against_an_exported_head(agency, entries):
    exported = Head(5, entries[4].hash)
    tamper.delete_entry(entries[4])
    assert verify(agency).ok  # no earlier verification saw entry 5...
    result = verify(agency, expected_head=exported)  # ...but the exported head did
    assert (result.ok, result.first_bad) == (False, 5)


def test_it_catches_a_head_whose_hash_differs(agency, entries):
    result = verify(agency, expected_head=Head(3, "0" * 64))
    assert (result.ok, result.first_bad) == (False, 3)


def test_it_catches_a_chain_rewritten_without_the_key(agency, entries):
    """The forger alters a row and recomputes every hash, with a key of their own."""
    tamper.update_entry(entries[2], case_number="C-99")
    previous = ""
    for entry in ReleaseLogEntry.objects.filter(agency=agency).order_by("sequence"):
        message = (
            chain.ENTRY_PREFIX + previous.encode() + b"\n" + chain.canonical(entry)
        )
        previous = hmac.new(b"guessed", message, hashlib.sha256).hexdigest()
        tamper.update_entry(entry, hash=previous)
    result = verify(agency)
    assert (result.ok, result.first_bad) == (False, 1)


def test_a_correction_keeps_the_chain_valid(agency, entries):
    append(entries[1].correction("wrong requestor", requestor_name="Pat Jones"))
    result = verify(agency)
    assert result.ok and result.head.sequence == 6


def test_it_checks_the_head_of_the_last_successful_verification_only(agency, entries):
    tamper.update_entry(entries[1], case_number="C-99")
    assert not verify(agency).ok
    tamper.update_entry(entries[1], case_number="C-2")  # put back
    assert verify(agency).ok
