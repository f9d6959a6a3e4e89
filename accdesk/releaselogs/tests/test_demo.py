"""demo.py: realistic, fictional entries, loaded once."""

from __future__ import annotations

import pytest

from accdesk.releaselogs import demo
from accdesk.releaselogs.models import ChainCheck, ReleaseLogEntry
from accdesk.releaselogs.retention import latest_purge_date, purgeable

pytestmark = pytest.mark.django_db


def test_it_loads_a_verified_log_with_a_correction_and_an_old_entry(agency):
    demo.load(agency, agency.today())
    entries = ReleaseLogEntry.objects.filter(agency=agency)
    assert entries.count() == len(demo.ENTRIES) + 1
    assert entries.filter(corrects_sequence__isnull=False).count() == 1
    assert purgeable(agency, latest_purge_date(agency)).count() == 1
    assert ChainCheck.objects.get(agency=agency).ok


def test_loading_again_changes_nothing(agency):
    demo.load(agency, agency.today())
    demo.load(agency, agency.today())
    assert (
        ReleaseLogEntry.objects.filter(agency=agency).count() == len(demo.ENTRIES) + 1
    )
