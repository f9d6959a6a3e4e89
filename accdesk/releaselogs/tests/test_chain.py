"""chain.py: canonical bytes, the keyed hash, the key, and appending."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import hmac
import threading
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from accdesk.lib.env import ConfigurationError
from accdesk.personnel.models import Person
from accdesk.releaselogs import chain
from accdesk.releaselogs.chain import ENTRY_PREFIX, GENESIS, ChainBusy, Head
from accdesk.releaselogs.models import CONTENT_FIELDS, ReleaseLogEntry
from accdesk.releaselogs.verification import verify
from accdesk.testing import make_agency, make_release_entry

pytestmark = pytest.mark.django_db
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
RECORDED = dt.datetime(2025, 3, 4, 5, 6, 7, 891234, tzinfo=dt.UTC)


@time_machine.travel(RECORDED, tick=False)
def test_it_hashes_the_documented_canonical_bytes_stored_in_the_database(
    agency, monkeypatch
):
    """The bytes are spelled out here, so SQLite and PostgreSQL must both give
    exactly them back from a stored row (CI runs this on both)."""
    monkeypatch.setenv("ACCDESK_RELEASELOG_KEY", "known test key")
    entry = make_release_entry(
        agency,
        released_at=dt.datetime(2025, 3, 3, 16, 30, 0, 5, tzinfo=LA),
        information="CII rap sheet – NUÑEZ, “JO”\nsecond line",
        case_number="",
    )
    stored = ReleaseLogEntry.objects.get(pk=entry.pk)
    expected = (
        f'{{"agency":{agency.pk},"case_number":"","correction_reason":"",'
        '"corrects_sequence":"",'
        '"information":"CII rap sheet – NUÑEZ, “JO”\\nsecond line",'
        '"method":"fax","purpose":"Prosecution, PC 11105(b)(2)",'
        '"receiving_terminal":"BCDA02","recorded_at":"2025-03-04T05:06:07.891234Z",'
        '"recorded_by":"system","released_at":"2025-03-04T00:30:00.000005Z",'
        '"released_by":"Rita Clerk","released_by_person":"",'
        '"requesting_agency":"Bravo County District Attorney",'
        '"requesting_ori":"CA0990013","requesting_terminal":"AVPD01",'
        '"requestor_name":"Dana Requestor","sequence":1}'
    ).encode()
    assert chain.canonical(stored) == expected
    message = ENTRY_PREFIX + b"\n" + expected  # the first entry follows ""
    digest = hmac.new(b"known test key", message, hashlib.sha256).hexdigest()
    assert stored.hash == digest


def test_the_module_defines_each_constant_once():
    """A second, stale definition silently wins over the first: CANONICAL_FIELDS
    must be the one built from CONTENT_FIELDS, and defined nowhere else."""
    tree = ast.parse(open(chain.__file__, encoding="utf-8").read())
    names = [
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    ]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []
    assert set(CONTENT_FIELDS) <= set(chain.CANONICAL_FIELDS)


def test_each_entry_chains_to_the_one_before(agency, monkeypatch):
    monkeypatch.setenv("ACCDESK_RELEASELOG_KEY", "k")
    first = make_release_entry(agency)
    second = make_release_entry(agency)
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.hash == chain.entry_hash(b"k", GENESIS, first)
    assert second.hash == chain.entry_hash(b"k", first.hash, second)
    assert chain.head(agency) == Head(2, second.hash)


def test_sequence_numbers_are_per_agency(agency, other_agency):
    make_release_entry(agency)
    make_release_entry(agency)
    assert make_release_entry(other_agency).sequence == 1


def test_it_records_who_and_when(agency):
    entry = make_release_entry(agency)
    assert entry.recorded_by == "system"
    assert entry.recorded_at is not None


def test_two_saves_that_pick_the_same_number_do_not_fork(agency, monkeypatch):
    make_release_entry(agency)
    real_head = chain.head
    stale = [Head(0, GENESIS)]  # what a second writer read just before the first saved

    def racing_head(of):
        return stale.pop() if stale else real_head(of)

    monkeypatch.setattr(chain, "head", racing_head)
    second = make_release_entry(agency)
    assert second.sequence == 2
    assert list(ReleaseLogEntry.objects.values_list("sequence", flat=True)) == [2, 1]
    assert verify(agency).ok


def test_it_gives_up_when_the_number_keeps_being_taken(agency, monkeypatch):
    make_release_entry(agency)
    monkeypatch.setattr(chain, "head", lambda of: Head(0, GENESIS))
    with pytest.raises(ChainBusy):
        make_release_entry(agency)
    assert ReleaseLogEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_never_fork(monkeypatch):
    """Two real connections read the same head; the loser retries. (SQLite
    serializes writers with BEGIN IMMEDIATE, so the race cannot happen there.)"""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    agency = make_agency()
    make_release_entry(agency)
    barrier = threading.Barrier(2, timeout=10)
    waited = threading.local()
    real_head = chain.head

    def head_then_wait(of):
        link = real_head(of)
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return link

    monkeypatch.setattr(chain, "head", head_then_wait)
    errors = []

    def writer():
        try:
            make_release_entry(agency)
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = ReleaseLogEntry.objects.filter(agency=agency).values_list(
        "sequence", flat=True
    )
    assert sorted(sequences) == [1, 2, 3]
    assert verify(agency).ok


def test_required_fields_are_enforced_and_nothing_is_saved(agency):
    with pytest.raises(ValidationError) as caught:
        make_release_entry(agency, requesting_terminal="", information="")
    assert set(caught.value.message_dict) == {"requesting_terminal", "information"}
    assert not ReleaseLogEntry.objects.exists()


def test_it_rejects_an_unknown_method_and_a_bad_ori(agency):
    with pytest.raises(ValidationError) as caught:
        make_release_entry(agency, method="pigeon", requesting_ori="12345")
    assert set(caught.value.message_dict) == {"method", "requesting_ori"}


def test_it_links_released_by_to_the_roster_person(agency):
    person = Person.objects.create(
        agency=agency, employee_id="E1", first_name="Rita", last_name="Clerk"
    )
    assert make_release_entry(agency, released_by="clerk, rita").released_by_person == (
        person
    )
    assert (
        make_release_entry(agency, released_by="Someone Else").released_by_person_id
        is None
    )


def test_a_name_two_people_share_links_to_nobody(agency):
    for employee_id in ("E1", "E2"):
        Person.objects.create(
            agency=agency, employee_id=employee_id, first_name="Rita", last_name="Clerk"
        )
    assert make_release_entry(agency).released_by_person_id is None


def test_it_generates_the_key_outside_the_database_on_first_use(agency, settings):
    key_file = settings.DATA_DIR / "keys" / "releaselog.key"
    assert not key_file.exists()
    entry = make_release_entry(agency)
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text().strip().encode()
    assert entry.hash == chain.entry_hash(key, GENESIS, entry)


def test_it_refuses_to_make_a_new_key_when_entries_exist(agency, settings):
    make_release_entry(agency)
    (settings.DATA_DIR / "keys" / "releaselog.key").unlink()
    with pytest.raises(ConfigurationError, match="restore it from your backup"):
        make_release_entry(agency)
    assert ReleaseLogEntry.objects.count() == 1
