"""Error pages keep the navigation and offer a way on; the admin says 403 to a
signed-in member who is not a superuser instead of bouncing them to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_403_shows_the_agencys_navigation_and_a_way_back(as_vera, agency):
    members = reverse("agency:members", kwargs={"ori": agency.ori})
    dashboard = reverse("dashboard:agency", kwargs={"ori": agency.ori})
    response = as_vera.get(members, HTTP_REFERER=f"http://testserver{dashboard}")
    assert response.status_code == 403
    body = response.content.decode()
    assert 'aria-label="Sections"' in body
    assert "does not include this page" in body
    assert f'href="http://testserver{dashboard}">Back to the previous page' in body
    assert f'href="{dashboard}"' in body


def test_a_404_offers_the_users_agencies(as_alice):
    response = as_alice.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Not found" in body
    assert 'href="/">Your agencies</a>' in body
    assert "Back to the previous page" not in body  # no referer: no such link


def test_a_500_shows_the_navigation(as_alice, agency, monkeypatch):
    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr("accdesk.dashboard.views.render_panels", broken)
    as_alice.raise_request_exception = False
    response = as_alice.get(reverse("dashboard:agency", kwargs={"ori": agency.ori}))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert 'href="/">Your agencies</a>' in body
    assert "boom" not in body


@pytest.mark.parametrize("path", ["/admin/", "/admin/agency/agency/"])
def test_the_admin_is_a_403_for_a_member_who_is_not_a_superuser(as_alice, path):
    response = as_alice.get(path, follow=True)
    assert response.status_code == 403
    assert response.redirect_chain == []  # no detour through the sign-in page
    assert "Not allowed" in response.content.decode()
