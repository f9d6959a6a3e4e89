"""``accdesk releaselog verify``: exit 0 and the head when intact, exit 1 naming
the first bad sequence number otherwise."""

from __future__ import annotations

import pytest

from accdesk.releaselogs.tests import tamper
from accdesk.releaselogs.tests.cli import accdesk
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(agency):
    return [make_release_entry(agency) for _ in range(3)]


def test_it_exits_0_and_prints_the_head(monkeypatch, agency, entries):
    run = accdesk(monkeypatch, "releaselog", "verify", "--agency", agency.ori)
    assert run.code == 0
    assert run.out.splitlines() == [
        f"Head: 3:{entries[2].hash}",
        f"Release log of {agency.ori}: intact: 3 entries verified.",
    ]


def test_it_exits_1_naming_the_first_bad_sequence(monkeypatch, agency, entries):
    tamper.update_entry(entries[1], purpose="altered")
    run = accdesk(monkeypatch, "releaselog", "verify", "--agency", agency.ori)
    assert run.code == 1
    assert f"Head: 3:{entries[2].hash}" in run.out
    assert f"Release log of {agency.ori}: BROKEN at sequence 2:" in run.err


def test_it_checks_a_head_given_on_the_command_line(monkeypatch, agency, entries):
    head = f"3:{entries[2].hash}"
    tamper.delete_entry(entries[2])
    run = accdesk(
        monkeypatch, "releaselog", "verify", "--agency", agency.ori, "--head", head
    )
    assert run.code == 1
    assert "BROKEN at sequence 3" in run.err
    assert "entries at the end were removed" in run.err


def test_it_rejects_a_malformed_head(monkeypatch, agency, entries):
    run = accdesk(
        monkeypatch, "releaselog", "verify", "--agency", agency.ori, "--head", "3:xyz"
    )
    assert run.code == 1
    assert "--head expects SEQUENCE:HASH" in run.err


def test_it_exits_1_for_an_unknown_agency(monkeypatch, db):
    run = accdesk(monkeypatch, "releaselog", "verify", "--agency", "CA9999999")
    assert run.code == 1
    assert "No agency with ORI 'CA9999999'" in run.err


def test_it_exits_1_when_the_key_is_missing(monkeypatch, settings, agency, entries):
    (settings.DATA_DIR / "keys" / "releaselog.key").unlink()
    run = accdesk(monkeypatch, "releaselog", "verify", "--agency", agency.ori)
    assert run.code == 1
    assert "is missing but entries exist: restore it from your backup" in run.err
