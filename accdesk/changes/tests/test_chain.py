"""Issue 11 item 3: the change record is tamper-evident (CJISSECPOL AU-9, AU-5)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accdesk import testing
from accdesk.agency.models import Agency
from accdesk.core import chain
from accdesk.core.actor import acting_as
from accdesk.core.audit import record_event
from accdesk.core.chain import ChangeChain
from accdesk.core.models import ChangeRecord

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers are PostgreSQL's"
)


def _sql(statement: str, params: list) -> None:
    with testing.behind_the_triggers(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _entries(agency: Agency, n: int = 3) -> list[ChangeRecord]:
    with acting_as("cli:test"):
        return [
            record_event("export", agency_id=agency.pk, message=f"file {i}")
            for i in range(n)
        ]


def _verify(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("changes", "verify", *args, stdout=out)
    return out.getvalue()


def test_each_agency_and_the_installation_have_their_own_chain(agency, other_agency):
    mine = _entries(agency)
    theirs = _entries(other_agency, 2)
    with acting_as("cli:test"):
        lone = record_event("signin.failed")
    assert [e.sequence for e in mine][-3:] == [
        s for s in range(mine[-1].sequence - 2, mine[-1].sequence + 1)
    ]
    assert theirs[1].sequence == theirs[0].sequence + 1
    assert lone.agency_id is None
    assert ChangeChain.objects.get(chain=chain.INSTALLATION).sequence == lone.sequence
    assert ChangeChain.objects.get(chain=agency.pk).hash == mine[-1].hash


def test_verify_prints_the_head_and_exits_0(agency):
    entries = _entries(agency)
    out = _verify("--agency", agency.ori)
    assert f"Head: {entries[-1].sequence}:{entries[-1].hash}" in out
    assert "intact" in out


def test_a_row_edited_in_the_database_is_named(agency):
    entries = _entries(agency)
    _sql(
        "UPDATE core_changerecord SET message = %s WHERE id = %s",
        ["nothing to see", entries[1].pk],
    )
    with pytest.raises(CommandError, match=f"entry {entries[1].sequence}"):
        _verify("--agency", agency.ori)


def test_a_removed_row_is_named(agency):
    entries = _entries(agency)
    _sql("DELETE FROM core_changerecord WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=f"entry {entries[1].sequence} is missing"):
        _verify("--agency", agency.ori)


def test_a_cut_off_tail_is_caught_by_the_stored_head(agency):
    entries = _entries(agency)
    _sql("DELETE FROM core_changerecord WHERE id = %s", [entries[-1].pk])
    with pytest.raises(CommandError, match="entries at the end were removed"):
        _verify("--agency", agency.ori)


def test_a_tail_cut_off_with_its_head_rewound_is_caught_by_a_kept_head(agency):
    entries = _entries(agency)
    kept = f"{entries[-1].sequence}:{entries[-1].hash}"
    _sql("DELETE FROM core_changerecord WHERE id = %s", [entries[-1].pk])
    _sql(
        "UPDATE core_changechain SET sequence = %s, hash = %s WHERE chain = %s",
        [entries[-2].sequence, entries[-2].hash, agency.pk],
    )
    with pytest.raises(CommandError, match="the head you gave"):
        _verify("--agency", agency.ori, "--head", kept)


def test_a_forged_row_without_the_key_does_not_verify(agency):
    entries = _entries(agency)
    forged = ChangeRecord(
        actor_label="cli:test",
        agency_id=agency.pk,
        action="event",
        event="export",
        message="forged",
        sequence=entries[-1].sequence + 1,
        at=entries[-1].at,
    )
    forged.hash = chain.entry_hash(b"a guessed key", entries[-1].hash, forged)
    _sql(
        "INSERT INTO core_changerecord (at, actor_label, request_id, agency_id, "
        "action, event, object_type, object_id, object_repr, changed_fields, "
        "changes, restricted, message, sequence, hash) VALUES "
        "(%s, %s, '', %s, 'event', 'export', '', '', '', '[]', '{}', %s, "
        "'forged', %s, %s)",
        [
            connection.ops.adapt_datetimefield_value(forged.at),
            "cli:test",
            agency.pk,
            False,
            forged.sequence,
            forged.hash,
        ],
    )
    with pytest.raises(CommandError, match=f"entry {forged.sequence}"):
        _verify("--agency", agency.ori)


def test_the_installation_chain_verifies_with_its_flag():
    with acting_as("cli:test"):
        record_event("signin.failed")
    assert "Change record of the installation: intact" in _verify("--installation")


def test_a_bad_head_argument_is_explained(agency):
    with pytest.raises(CommandError, match="SEQUENCE:HASH"):
        _verify("--agency", agency.ori, "--head", "12")


def test_the_verification_is_itself_recorded(agency):
    _verify("--agency", agency.ori)
    assert ChangeRecord.objects.filter(
        event="changes.verify", agency_id=agency.pk
    ).exists()


# -- AU-5: an entry that cannot be written refuses the action -------------------------
def test_an_unwritable_entry_refuses_the_change_and_alerts_acc_and_spoc(
    agency, alice, sam, vera, monkeypatch
):
    def broken(records):
        raise DatabaseError("disk full")

    monkeypatch.setattr(chain, "link", broken)
    before = agency.phone
    agency.phone = "(555) 999-0000"
    with pytest.raises(chain.ChangeRecordUnavailable, match="refused"):
        agency.save()
    assert Agency.objects.get(pk=agency.pk).phone == before
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {alice.email, sam.email}  # not the viewer
    assert "AU-5" in mail.outbox[0].body


def test_an_unwritable_signin_entry_refuses_the_signin(client, alice, monkeypatch):
    client.post(reverse("access:signin"), {"acknowledge": "1"})
    client.post(
        reverse("access:signin"), {"email": alice.email, "password": testing.PASSWORD}
    )

    def broken(records):
        raise DatabaseError("disk full")

    monkeypatch.setattr(chain, "link", broken)
    response = client.post(reverse("access:verify"), {"code": testing.totp_code(alice)})
    assert response.status_code == 503
    assert "_auth_user_id" not in client.session


# -- the database's own guard (PostgreSQL) ------------------------------------------
@on_postgresql
@pytest.mark.parametrize(
    "statement",
    ["UPDATE core_changerecord SET message = 'x'", "DELETE FROM core_changerecord"],
)
def test_postgresql_refuses_update_and_delete_on_the_change_record(agency, statement):
    _entries(agency, 1)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)


@on_postgresql
def test_postgresql_refuses_changes_to_the_release_log_outside_the_purge(agency):
    testing.make_release_entry(agency)
    for statement in (
        "UPDATE releaselogs_releaselogentry SET information = 'x'",
        "DELETE FROM releaselogs_releaselogentry",
    ):
        with pytest.raises(DatabaseError, match="retention purge"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL accdesk.purge = 'on'")
        cursor.execute("DELETE FROM releaselogs_releaselogentry")
        assert cursor.rowcount == 1


# -- loaddata and flush from the accdesk command line --------------------------------
@pytest.mark.parametrize("command", ["loaddata", "flush"])
def test_loaddata_and_flush_are_refused_on_the_command_line(command, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "accdesk", command, "--noinput"],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 2
    assert "accdesk backup" in result.stderr and "accdesk restore" in result.stderr


def test_the_nightly_job_verifies_every_chain_and_alerts_on_a_broken_one(agency):
    from accdesk.jobs.integrity import verify_change_record
    from accdesk.jobs.models import Alert

    entries = _entries(agency)
    assert verify_change_record() == "ok"
    _sql(
        "UPDATE core_changerecord SET message = %s WHERE id = %s",
        ["rewritten", entries[0].pk],
    )
    assert verify_change_record() == "failed"
    alert = Alert.objects.get(name="changes", closed_at__isnull=True)
    assert alert.agency_id == agency.pk
