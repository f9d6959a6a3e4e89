"""``accdesk releaselog purge``: refuses dates inside the retention period, with
exit 1 and no change; otherwise removes and certifies."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from accdesk.releaselogs.models import PurgeCertificate, ReleaseLogEntry
from accdesk.releaselogs.tests.cli import accdesk
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=LA), tick=False):
        yield


@pytest.fixture
def entries(agency):
    old = dt.datetime(2022, 1, 5, 10, 0, tzinfo=LA)
    return [
        make_release_entry(agency, released_at=old),
        make_release_entry(agency, released_at=old + dt.timedelta(days=1)),
        make_release_entry(agency),
    ]


def purge(monkeypatch, agency, *args):
    return accdesk(monkeypatch, "releaselog", "purge", "--agency", agency.ori, *args)


def test_it_refuses_a_date_inside_retention_and_changes_nothing(
    monkeypatch, agency, entries
):
    run = purge(monkeypatch, agency, "--before", "2023-03-11")
    assert run.code == 1
    assert "Purge refused: 2023-03-11 would remove entries released less than 3" in (
        run.err
    )
    assert "Nothing was removed." in run.err
    assert ReleaseLogEntry.objects.count() == 3


def test_it_removes_old_entries_and_writes_a_certificate(monkeypatch, agency, entries):
    run = purge(monkeypatch, agency, "--before", "2023-03-10")
    assert run.code == 0
    certificate = PurgeCertificate.objects.get()
    assert run.out.strip() == (
        f"Removed 2 entries released 2022-01-05 to 2022-01-06; purge certificate "
        f"{certificate.pk} keeps their sequence numbers and hashes."
    )
    assert list(ReleaseLogEntry.objects.values_list("sequence", flat=True)) == [3]


def test_a_dry_run_changes_nothing(monkeypatch, agency, entries):
    run = purge(monkeypatch, agency, "--before", "2023-03-10", "--dry-run")
    assert (run.code, run.out.strip()) == (
        0,
        "Would remove 2 entries released before 2023-03-10.",
    )
    assert ReleaseLogEntry.objects.count() == 3


def test_it_says_when_there_is_nothing_to_purge(monkeypatch, agency, entries):
    run = purge(monkeypatch, agency, "--before", "2021-01-01")
    assert run.code == 0
    assert "nothing to do" in run.out
    assert not PurgeCertificate.objects.exists()


def test_it_rejects_a_malformed_date(monkeypatch, agency):
    run = purge(monkeypatch, agency, "--before", "10/03/2023")
    assert run.code == 1
    assert "--before expects a date YYYY-MM-DD" in run.err
