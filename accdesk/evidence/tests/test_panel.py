from __future__ import annotations

import datetime as dt

import pytest

from accdesk.testing import make_evidence

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_evidence_expired_or_expiring_within_30_days(
    as_alice, agency, alice
):
    today = agency.today()
    make_evidence(
        agency,
        title="Expired certificate",
        effective_date=today - dt.timedelta(days=400),
        expiry_date=today - dt.timedelta(days=1),
    )
    make_evidence(
        agency,
        title="Expiring addendum",
        effective_date=today - dt.timedelta(days=300),
        expiry_date=today + dt.timedelta(days=30),
    )
    make_evidence(
        agency, title="Far-off policy", expiry_date=today + dt.timedelta(days=31)
    )
    old = make_evidence(
        agency,
        title="Superseded copy",
        effective_date=today - dt.timedelta(days=400),
        expiry_date=today - dt.timedelta(days=5),
    )
    old.supersede(by="test")
    page = as_alice.get(f"/a/{agency.ori}/").content.decode()
    assert "Evidence files expiring" in page
    assert "Expired certificate" in page and "Expiring addendum" in page
    assert "Far-off policy" not in page and "Superseded copy" not in page


def test_no_panel_when_nothing_expires(as_alice, agency, alice):
    make_evidence(agency, title="Policy")
    assert (
        "Evidence files expiring"
        not in as_alice.get(f"/a/{agency.ori}/").content.decode()
    )
