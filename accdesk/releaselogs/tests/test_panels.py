"""The dashboard panel of the release log."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.releaselogs.verification import verify
from accdesk.testing import make_member, make_release_entry, signed_in_client

pytestmark = pytest.mark.django_db


def panel(client, agency):
    response = client.get(f"/a/{agency.ori}/")
    content = response.content.decode()
    start = content.find('id="panel-release-log"')
    return content[start : content.find("</section>", start)] if start >= 0 else None


def test_it_warns_when_the_chain_was_never_verified(as_alice, agency):
    assert "Chain never verified" in panel(as_alice, agency)


def test_it_shows_the_state_and_activity(as_alice, agency):
    make_release_entry(agency)
    make_release_entry(agency, released_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    verify(agency)
    text = panel(as_alice, agency)
    assert "Chain intact" in text
    assert "1 release recorded in the last 30 days" in text
    assert "head entry 2" in text
    assert "1 past the retention period" in text


def test_a_supervisor_does_not_see_it(agency):
    supervisor = make_member(agency, "supervisor").user
    assert panel(signed_in_client(supervisor), agency) is None
