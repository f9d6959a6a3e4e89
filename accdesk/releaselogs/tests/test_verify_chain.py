"""The "Verify now" button: POST /a/<ori>/releases/verify/."""

from __future__ import annotations

import pytest

from accdesk.releaselogs.models import ChainCheck
from accdesk.releaselogs.tests.tamper import update_entry
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db


def url(agency):
    return f"/a/{agency.ori}/releases/verify/"


def test_an_auditor_verifies_the_chain(as_bob, agency):
    make_release_entry(agency)
    response = as_bob.post(url(agency), follow=True)
    assert response.redirect_chain == [(f"/a/{agency.ori}/releases/", 302)]
    assert "The chain is intact: 1 entries verified." in response.content.decode()
    check = ChainCheck.objects.get()
    assert (check.ok, check.checked_by) == (True, "bob@doj.test")


def test_it_reports_a_broken_chain(as_alice, agency):
    update_entry(make_release_entry(agency), information="altered")
    content = as_alice.post(url(agency), follow=True).content.decode()
    assert "The chain is BROKEN at sequence 1" in content


def test_it_needs_a_post(as_alice, agency):
    assert as_alice.get(url(agency)).status_code == 405
    assert not ChainCheck.objects.exists()


def test_a_viewer_cannot_verify(as_vera, agency):
    assert as_vera.post(url(agency)).status_code == 403


def test_an_outsider_gets_404(as_charlie, agency):
    assert as_charlie.post(url(agency)).status_code == 404


def test_it_says_when_the_key_is_missing(as_alice, agency, settings):
    make_release_entry(agency)
    (settings.DATA_DIR / "keys" / "releaselog.key").unlink()
    content = as_alice.post(url(agency), follow=True).content.decode()
    assert "restore it from your backup" in content
    assert not ChainCheck.objects.exists()
