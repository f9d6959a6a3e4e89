"""The roster page: everyone with their status, filters and counts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _url(agency, query=""):
    return f"/a/{agency.ori}/roster/{query}"


def _names(response):
    return [item.name for item in response.context["page"]]


def test_the_acc_sees_everyone_with_counts(as_alice, agency, crew):
    response = as_alice.get(_url(agency))
    assert response.status_code == 200
    assert _names(response) == ["Ben Baker", "Cal Cole", "Ann Archer"]
    assert response.context["counts"] == {
        "must_deactivate": 1,
        "remediate": 1,
        "pending": 0,
        "expiring": 0,
        "eligible": 1,
    }
    assert b"MISSING_STATEMENT" in response.content


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?status=remediate", ["Cal Cole"]),
        ("?reason=SEPARATED", ["Ben Baker"]),
        ("?role_level=privileged", ["Cal Cole"]),
        ("?supervisor=S1", ["Cal Cole", "Ann Archer"]),
        ("?q=archer", ["Ann Archer"]),
        ("?q=E2", ["Ben Baker"]),
        ("?status=eligible&supervisor=S2", []),
    ],
)
def test_it_filters(as_alice, agency, crew, query, names):
    assert _names(as_alice.get(_url(agency, query))) == names


def test_people_without_a_role_level_can_be_listed(as_alice, agency, crew):
    crew["ann"].role_level = ""
    crew["ann"].save()
    assert _names(as_alice.get(_url(agency, "?role_level=none"))) == ["Ann Archer"]


def test_the_supervisor_filter_offers_the_supervisors_on_the_roster(
    as_alice, agency, crew
):
    choices = dict(
        as_alice.get(_url(agency)).context["form"].fields["supervisor"].choices
    )
    assert set(choices) == {"", "S1", "S2"}


def test_htmx_gets_only_the_results(as_alice, agency, crew):
    response = as_alice.get(_url(agency, "?status=remediate"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b'id="roster-table"' in response.content
    assert b"Cal Cole" in response.content and b"Ann Archer" not in response.content


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam"])
def test_read_only_roles_see_the_roster(request, agency, crew, client):
    response = request.getfixturevalue(client).get(_url(agency))
    assert response.status_code == 200 and len(_names(response)) == 3
    assert b"Import files" not in response.content


def test_a_supervisor_sees_only_their_people(as_sue, agency, crew):
    response = as_sue.get(_url(agency))
    assert _names(response) == ["Cal Cole", "Ann Archer"]
    assert response.context["counts"]["must_deactivate"] == 0


def test_a_supervisor_not_linked_to_the_roster_sees_no_one(agency, crew):
    from accdesk import testing

    member = testing.make_member(agency, "supervisor")
    response = testing.signed_in_client(member.user).get(_url(agency))
    assert response.status_code == 200 and _names(response) == []


def test_an_outsider_gets_404(as_charlie, agency, crew):
    assert as_charlie.get(_url(agency)).status_code == 404


def test_the_query_count_does_not_grow_with_the_roster(
    as_alice, agency, crew, django_assert_max_num_queries
):
    from accdesk.testing import make_eligible_operator

    for _ in range(10):
        make_eligible_operator(agency)
    with django_assert_max_num_queries(20):
        response = as_alice.get(_url(agency))
    assert len(_names(response)) == 13
