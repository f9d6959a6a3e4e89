"""retention.py: three years at least (11 CCR §707(c)), purges that leave a
certificate, and a chain that still verifies -- and still catches deletions."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zoneinfo

import pytest
import time_machine

from accdesk.core.models import ChangeRecord
from accdesk.releaselogs.chain import Head
from accdesk.releaselogs.models import ChainCheck, PurgeCertificate, ReleaseLogEntry
from accdesk.releaselogs.retention import (
    PurgeRefused,
    latest_purge_date,
    purge,
    years_before,
)
from accdesk.releaselogs.tests import tamper
from accdesk.releaselogs.verification import verify
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db
LA = zoneinfo.ZoneInfo("America/Los_Angeles")  # the test agency's time zone
TODAY = dt.date(2026, 3, 10)
THREE_YEARS_AGO = dt.date(2023, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=LA), tick=False):
        yield


def released_on(agency, day, hour=12, minute=0, **kwargs):
    at = dt.datetime.combine(day, dt.time(hour, minute), LA)
    return make_release_entry(agency, released_at=at, **kwargs)


def sequences(agency):
    return sorted(
        ReleaseLogEntry.objects.filter(agency=agency).values_list("sequence", flat=True)
    )


def test_the_latest_purge_date_is_three_years_back_in_the_agency_calendar(agency):
    assert agency.today() == TODAY
    assert latest_purge_date(agency) == THREE_YEARS_AGO


def test_february_29_steps_back_to_february_28():
    assert years_before(dt.date(2028, 2, 29), 3) == dt.date(2025, 2, 28)


@pytest.fixture
def boundary_entries(agency):
    """Released the day before, the day of, and the day after three years ago."""
    return [
        released_on(agency, THREE_YEARS_AGO - dt.timedelta(days=1)),
        released_on(agency, THREE_YEARS_AGO),
        released_on(agency, THREE_YEARS_AGO + dt.timedelta(days=1)),
    ]


@pytest.mark.parametrize(
    ("before", "kept"),
    [
        (THREE_YEARS_AGO - dt.timedelta(days=1), [1, 2, 3]),
        (THREE_YEARS_AGO, [2, 3]),  # the latest date allowed
    ],
    ids=["day-before", "day-of"],
)
def test_it_purges_up_to_three_years_back(agency, boundary_entries, before, kept):
    purge(agency, before)
    assert sequences(agency) == kept
    assert verify(agency).ok


def test_it_refuses_the_day_after_and_changes_nothing(agency, boundary_entries):
    with pytest.raises(PurgeRefused, match="latest date allowed today is 2023-03-10"):
        purge(agency, THREE_YEARS_AGO + dt.timedelta(days=1))
    assert sequences(agency) == [1, 2, 3]
    assert not PurgeCertificate.objects.exists()
    assert not ChangeRecord.objects.filter(event="releaselog.purge").exists()


def test_midnight_in_the_agency_time_zone_is_the_boundary(agency):
    released_on(agency, THREE_YEARS_AGO - dt.timedelta(days=1), 23, 59)
    released_on(agency, THREE_YEARS_AGO, 0, 0)
    purge(agency, THREE_YEARS_AGO)
    assert sequences(agency) == [2]


def test_a_longer_retention_moves_the_date_back(agency, boundary_entries, settings):
    settings.RELEASELOG_RETENTION_YEARS = 5
    assert latest_purge_date(agency) == dt.date(2021, 3, 10)
    with pytest.raises(PurgeRefused):
        purge(agency, THREE_YEARS_AGO)
    assert sequences(agency) == [1, 2, 3]


def test_retention_cannot_be_configured_below_three_years(tmp_path):
    env = {**os.environ, "ACCDESK_RELEASELOG_RETENTION_YEARS": "2"}
    env["DATA_DIR"] = str(tmp_path)
    run = subprocess.run(
        [sys.executable, "-c", "import accdesk.settings"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert "ACCDESK_RELEASELOG_RETENTION_YEARS must be at least 3" in run.stderr


@pytest.fixture
def imported_late(agency):
    """Recent entries 1-3, then an old log imported as 4-5, then a recent 6."""
    for _ in range(3):
        released_on(agency, TODAY - dt.timedelta(days=10))
    old = [released_on(agency, dt.date(2021, 6, day)) for day in (1, 2)]
    released_on(agency, TODAY)
    return old


def test_it_purges_entries_wherever_they_sit_and_the_rest_verifies(
    agency, imported_late
):
    result = purge(agency, THREE_YEARS_AGO)
    assert result.count == 2
    assert sequences(agency) == [1, 2, 3, 6]
    certificate = result.certificate
    assert certificate.entries == [[e.sequence, e.hash] for e in imported_late]
    assert (certificate.count, certificate.before) == (2, THREE_YEARS_AGO)
    assert certificate.released_from.astimezone(LA).date() == dt.date(2021, 6, 1)
    assert certificate.released_to.astimezone(LA).date() == dt.date(2021, 6, 2)
    assert verify(agency).ok


def test_the_purge_is_recorded_without_the_purged_content(agency, imported_late):
    purge(agency, THREE_YEARS_AGO)
    deletions = ChangeRecord.objects.filter(
        object_type="releaselogs.releaselogentry", action="delete"
    )
    assert deletions.count() == 2
    assert all(record.changes == {} for record in deletions)
    assert ChangeRecord.objects.filter(event="releaselog.purge").count() == 1


def test_a_deletion_no_certificate_covers_is_still_caught(agency, imported_late):
    purge(agency, THREE_YEARS_AGO)
    tamper.delete_entry(ReleaseLogEntry.objects.get(agency=agency, sequence=2))
    assert verify(agency).first_bad == 2


def test_a_purged_tail_keeps_the_head_and_numbering(agency):
    released_on(agency, TODAY)
    old = released_on(agency, dt.date(2020, 1, 1))  # imported last
    assert verify(agency).ok  # this verification saw head 2
    purge(agency, THREE_YEARS_AGO)
    assert verify(agency).head == Head(2, old.hash)
    assert released_on(agency, TODAY).sequence == 3
    assert verify(agency).ok


def test_an_altered_certificate_is_caught(agency, imported_late):
    certificate = purge(agency, THREE_YEARS_AGO).certificate
    tamper.update_certificate(certificate, count=1)
    result = verify(agency)
    assert (result.ok, result.first_bad) == (False, 4)
    assert "certificate" in result.problem


def test_a_mangled_certificate_is_caught_not_a_crash(agency, imported_late):
    certificate = purge(agency, THREE_YEARS_AGO).certificate
    tamper.update_certificate(certificate, entries='{"x": 1}')
    result = verify(agency)
    assert (result.ok, result.first_bad) == (False, 5)  # its last sequence


def test_a_deleted_certificate_leaves_an_uncovered_gap(agency, imported_late):
    certificate = purge(agency, THREE_YEARS_AGO).certificate
    tamper.delete(PurgeCertificate, certificate.pk)
    assert verify(agency).first_bad == 4


def test_it_refuses_to_purge_a_chain_that_does_not_verify(agency, imported_late):
    tamper.update_entry(imported_late[0], case_number="altered")
    with pytest.raises(PurgeRefused, match="does not verify"):
        purge(agency, THREE_YEARS_AGO)
    assert sequences(agency) == [1, 2, 3, 4, 5, 6]
    assert ChainCheck.objects.get(agency=agency).first_bad_sequence == 4


def test_a_dry_run_counts_and_changes_nothing(agency, imported_late):
    assert purge(agency, THREE_YEARS_AGO, dry_run=True).count == 2
    assert sequences(agency) == [1, 2, 3, 4, 5, 6]
    assert not PurgeCertificate.objects.exists()
