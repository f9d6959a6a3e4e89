"""Who may reach which page: case details are for the ACC, and the SPOC read-only
(issue 5). Viewers and auditors get 403; members of other agencies 404, so that
a case's existence is not revealed; anonymous visitors are sent to sign in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accdesk.testing import make_misuse_case

pytestmark = pytest.mark.django_db

READ = [
    ("list", "get", {}),
    ("detail", "get", {"pk": None}),
    ("reports", "get", {}),
    ("report", "get", {"year": 2025}),
    ("download_report", "get", {"year": 2025, "fmt": "csv"}),
]
WRITE = [
    ("add", "get", {}),
    ("add", "post", {}),
    ("edit", "get", {"pk": None}),
    ("close", "get", {"pk": None}),
    ("close", "post", {"pk": None}),
    ("reopen", "post", {"pk": None}),
    ("add_note", "post", {"pk": None}),
    ("import", "get", {}),
    ("report_sent", "post", {"year": 2025}),
]


@pytest.fixture
def url(agency):
    case = make_misuse_case(agency, opened_on=dt.date(2025, 3, 1))

    def build(name, kwargs):
        kwargs = {k: case.pk if k == "pk" else v for k, v in kwargs.items()}
        return reverse(f"investigations:{name}", kwargs={"ori": agency.ori, **kwargs})

    return build


def _status(client, method, address):
    return getattr(client, method)(address).status_code


@pytest.mark.parametrize(("name", "method", "kwargs"), READ)
def test_the_spoc_may_read(as_sam, url, name, method, kwargs):
    assert _status(as_sam, method, url(name, kwargs)) == 200


@pytest.mark.parametrize(("name", "method", "kwargs"), WRITE)
def test_the_spoc_may_not_change_anything(as_sam, url, name, method, kwargs):
    assert _status(as_sam, method, url(name, kwargs)) == 403


@pytest.mark.parametrize(("name", "method", "kwargs"), READ + WRITE)
@pytest.mark.parametrize("persona", ["as_vera", "as_bob"])
def test_viewers_and_auditors_see_nothing(request, persona, url, name, method, kwargs):
    client = request.getfixturevalue(persona)
    assert _status(client, method, url(name, kwargs)) == 403


@pytest.mark.parametrize(("name", "method", "kwargs"), READ + WRITE)
def test_another_agencys_acc_gets_404(as_charlie, url, name, method, kwargs):
    assert _status(as_charlie, method, url(name, kwargs)) == 404


@pytest.mark.parametrize(("name", "method", "kwargs"), READ + WRITE)
def test_anonymous_visitors_are_sent_to_sign_in(client, url, name, method, kwargs):
    response = getattr(client, method)(url(name, kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:signin"))


def test_a_case_of_another_agency_is_404_for_the_acc(as_alice, other_agency, agency):
    foreign = make_misuse_case(other_agency)
    address = reverse(
        "investigations:detail", kwargs={"ori": agency.ori, "pk": foreign.pk}
    )
    assert as_alice.get(address).status_code == 404
