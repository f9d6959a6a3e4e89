from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accdesk.agreements.deadlines import deadlines
from accdesk.testing import make_agreement

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 6, 15, 19, tzinfo=dt.UTC), tick=False)
def test_it_lists_agreements_expiring_in_the_window(agency):
    make_agreement(agency, reference="PAST", expiry_date=dt.date(2026, 6, 10))
    make_agreement(agency, reference="TODAY", expiry_date=dt.date(2026, 6, 15))
    make_agreement(agency, reference="SOON", expiry_date=dt.date(2026, 7, 1))
    make_agreement(agency, reference="OUT", expiry_date=dt.date(2026, 9, 1))
    make_agreement(
        agency, reference="GONE", expiry_date=dt.date(2026, 7, 1), status="superseded"
    )
    found = deadlines(agency, dt.date(2026, 6, 1), dt.date(2026, 7, 31))
    assert [(d.subject, d.status) for d in found] == [
        ("PAST", "overdue"),
        ("TODAY", "due_today"),
        ("SOON", "upcoming"),
    ]
    first = found[0]
    assert first.kind == "agreement_expiry" and first.date == dt.date(2026, 6, 10)
    assert "HDC 0001 PAST expires" in first.title
    assert first.source.startswith("Government Code §15165")
    assert first.url == f"/a/{agency.ori}/agreements/{first.url.split('/')[-2]}/"
