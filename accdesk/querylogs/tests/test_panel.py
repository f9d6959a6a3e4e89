from __future__ import annotations

from django.urls import reverse


def test_the_dashboard_shows_the_last_import(as_alice, imported):
    page = as_alice.get(
        reverse("dashboard:agency", kwargs={"ori": imported.agency.ori})
    )
    assert b"panel-querylogs" in page.content and b"march.csv" in page.content


def test_the_dashboard_invites_a_first_import(as_vera, agency):
    page = as_vera.get(reverse("dashboard:agency", kwargs={"ori": agency.ori}))
    assert b"No query log imported yet" in page.content
