from __future__ import annotations

import datetime as dt

import pytest

from accdesk.audits import questionnaires
from accdesk.audits.models import Audit
from accdesk.validations.models import ListedRecord


@pytest.fixture
def audit(agency):
    return Audit.objects.create(
        agency=agency,
        type="clets_security",
        title="CLETS security audit 2026",
        questionnaire=questionnaires.starting(),
        announced_date=dt.date(2026, 2, 1),
        onsite_start=dt.date(2026, 3, 2),
        onsite_end=dt.date(2026, 3, 3),
        status="in_progress",
    )


@pytest.fixture
def wps_records(agency):
    return [
        ListedRecord.objects.create(
            agency=agency,
            database="WPS",
            record_id=f"W{n:04d}",
            record_file="wanted_person",
            entered_date=dt.date(2026, 1, 5),
            list_date=dt.date(2026, 3, 2),
        )
        for n in range(1, 81)
    ]
