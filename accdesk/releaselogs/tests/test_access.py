"""Who may open which release-log page: every URL pattern of the app, every
persona (acc, spoc, viewer, auditor, outsider)."""

from __future__ import annotations

import pytest

from accdesk.releaselogs.urls import urlpatterns
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db
RANGE = "?released_from=2025-01-01&released_to=2025-01-31"
# URL name -> (path after /releases/, method, roles allowed)
PAGES = {
    "list": ("", "get", {"acc", "spoc", "viewer", "auditor"}),
    "detail": ("1/", "get", {"acc", "spoc", "viewer", "auditor"}),
    "add": ("new/", "get", {"acc", "spoc"}),
    "correct": ("1/correct/", "get", {"acc", "spoc"}),
    "verify": ("verify/", "post", {"acc", "spoc", "auditor"}),
    "import": ("import/", "get", {"acc"}),
    "inspection": ("inspection/" + RANGE, "get", {"acc", "spoc", "auditor"}),
    "inspection_csv": ("inspection/csv/" + RANGE, "get", {"acc", "spoc", "auditor"}),
    "inspection_pdf": ("inspection/pdf/" + RANGE, "get", {"acc", "spoc", "auditor"}),
}
PERSONAS = {
    "as_alice": "acc",
    "as_sam": "spoc",
    "as_vera": "viewer",
    "as_bob": "auditor",
    "as_charlie": "outsider",
}


def test_every_page_is_in_the_table():
    assert {pattern.name for pattern in urlpatterns} == set(PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("client", sorted(PERSONAS))
def test_access(request, agency, name, client):
    make_release_entry(agency)
    path, method, allowed = PAGES[name]
    role = PERSONAS[client]
    response = getattr(request.getfixturevalue(client), method)(
        f"/a/{agency.ori}/releases/{path}"
    )
    if role == "outsider":
        expected = {404}
    elif role in allowed:
        expected = {200, 302}
    else:
        expected = {403}
    assert response.status_code in expected


def test_signed_out_visitors_are_sent_to_sign_in(client, agency):
    response = client.get(f"/a/{agency.ori}/releases/")
    assert response.status_code == 302 and "/signin/" in response.url
