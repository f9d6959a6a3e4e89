from __future__ import annotations

import pytest
from django.urls import reverse

from accdesk import testing
from accdesk.dashboard import navigation
from accdesk.incidents.models import ResponsePlan

pytestmark = pytest.mark.django_db


def test_home_goes_straight_to_the_only_agency(as_alice, agency):
    response = as_alice.get(reverse("dashboard:home"))
    assert response["Location"] == reverse(
        "dashboard:agency", kwargs={"ori": agency.ori}
    )


def test_home_lists_agencies_for_a_member_of_several(alice, agency, other_agency):
    testing.make_member(other_agency, "viewer", alice)
    response = testing.signed_in_client(alice).get(reverse("dashboard:home"))
    assert agency.name.encode() in response.content
    assert other_agency.name.encode() in response.content


def test_the_dashboard_shows_the_agency_and_missing_roles(as_vera, agency):
    response = as_vera.get(reverse("dashboard:agency", kwargs={"ori": agency.ori}))
    assert agency.name.encode() in response.content
    assert agency.ori.encode() in response.content
    assert b"No current holder on file" in response.content


def test_navigation_shows_only_sections_the_role_may_open(as_vera, as_alice, agency):
    url = reverse("dashboard:agency", kwargs={"ori": agency.ori})
    alice_nav = as_alice.get(url).context["nav_items"]
    vera_nav = as_vera.get(url).context["nav_items"]
    assert "Change record" in [item["label"] for item in alice_nav]
    assert "Change record" not in [item["label"] for item in vera_nav]
    assert "Users" not in [item["label"] for item in vera_nav]


def test_the_panels_are_rendered_without_the_pages_context_processors(
    as_vera, vera, agency, monkeypatch
):
    """The navigation is read once a page, not once a panel (issue 18); a panel's
    form still carries the CSRF token."""
    plan = ResponsePlan.objects.create(
        agency=agency, version="1", approved_on=agency.today(), approved_by="Chief"
    )
    plan.distribution_members.add(vera)
    calls = []
    memberships = navigation.in_force_memberships
    monkeypatch.setattr(
        navigation,
        "in_force_memberships",
        lambda user: calls.append(user) or memberships(user),
    )
    response = as_vera.get(reverse("dashboard:agency", kwargs={"ori": agency.ori}))
    page = response.content.decode()
    panel = page[page.index("waiting for your acknowledgement") - 400 :]

    assert len(calls) == 1
    assert 'name="csrfmiddlewaretoken"' in panel[: panel.index("</form>")]


def test_anonymous_users_are_sent_to_sign_in(client, agency):
    response = client.get(reverse("dashboard:agency", kwargs={"ori": agency.ori}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:signin"))
