"""Revoke access from a person's page."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.testing import listed

pytestmark = pytest.mark.django_db


def _url(agency, person):
    return f"/a/{agency.ori}/roster/people/{person.pk}/revoke/"


def test_it_records_the_revocation_and_the_worklist_follows(as_alice, agency, crew):
    ann = crew["ann"]
    response = as_alice.post(
        _url(agency, ann), {"on": "2026-06-15", "reason": "Misuse inquiry"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/a/{agency.ori}/roster/people/{ann.pk}/"
    ann.refresh_from_db()
    assert ann.access_revoked_on == dt.date(2026, 6, 15)
    assert (ann.access_revoked_reason, ann.access_revoked_by) == (
        "Misuse inquiry",
        "alice@alpha.test",
    )
    items = listed(as_alice.get(f"/a/{agency.ori}/roster/worklist/"))
    ann_item = next(i for i in items if i.employee_id == "E1")
    assert ann_item.reason_codes == ["ACCESS_REVOKED"]


def test_it_needs_a_reason_and_a_date_not_in_the_future(as_alice, agency, crew):
    response = as_alice.post(
        _url(agency, crew["ann"]), {"on": "2026-06-16", "reason": ""}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"on", "reason"}
    crew["ann"].refresh_from_db()
    assert crew["ann"].access_revoked_on is None


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam", "as_sue"])
def test_other_roles_may_not(request, agency, crew, client):
    response = request.getfixturevalue(client).post(
        _url(agency, crew["ann"]), {"on": "2026-06-15", "reason": "x"}
    )
    assert response.status_code == 403


def test_an_outsider_gets_404(as_charlie, agency, crew):
    assert as_charlie.get(_url(agency, crew["ann"])).status_code == 404
