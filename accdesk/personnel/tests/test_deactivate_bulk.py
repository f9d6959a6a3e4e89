"""Mark deactivated in bulk from the worklist: a selection of accounts, or all the
accounts to deactivate that match the filters; a confirmation lists them first."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.personnel.models import Deactivation, SystemAccount
from accdesk.testing import listed, make_account, make_eligible_operator

pytestmark = pytest.mark.django_db


def _url(agency, query=""):
    return f"/a/{agency.ori}/roster/worklist/deactivate/{query}"


@pytest.fixture
def leavers(agency, crew, frozen_today):
    """Besides Ben: Dee and Eve separated yesterday, and an orphan account."""
    accounts = {"ben": crew["ben_account"]}
    for name in ("Dee", "Eve"):
        _, accounts[name.lower()] = make_eligible_operator(
            agency,
            first_name=name,
            last_name="Leaver",
            employment_status="separated",
            separation_date=frozen_today - dt.timedelta(days=1),
        )
    accounts["ghost"] = make_account(agency, operator_id="GHOST", employee_id="E404")
    return accounts


def _confirm(client, agency, accounts, query="", **fields):
    data = {"confirm": "1", "on": "2026-06-15", "note": "", **fields}
    data["account"] = [str(a.pk) for a in accounts]
    return client.post(_url(agency, query), data)


def test_a_selection_is_listed_for_confirmation_and_nothing_is_marked_yet(
    as_alice, agency, leavers
):
    picked = [leavers["dee"], leavers["ghost"]]
    response = as_alice.post(
        _url(agency), {"scope": "selected", "account": [str(a.pk) for a in picked]}
    )
    assert response.status_code == 200
    assert [a.operator_id for a, _ in response.context["marked"]] == sorted(
        a.operator_id for a in picked
    )
    html = response.content.decode()
    assert "Mark 2 accounts deactivated" in html
    assert "GHOST" in html and "Dee Leaver" in html and "Eve Leaver" not in html
    assert html.count('name="account"') == 2
    assert not Deactivation.objects.exists()


def test_confirming_marks_exactly_the_accounts_listed_and_records_each(
    as_alice, alice, agency, leavers
):
    picked = [leavers["dee"], leavers["ghost"]]
    response = _confirm(as_alice, agency, picked, note="Ticket 7")
    assert response.status_code == 302
    assert response["Location"] == f"/a/{agency.ori}/roster/worklist/"
    marks = Deactivation.objects.order_by("account__operator_id")
    assert [(m.account.operator_id, m.reasons, m.note) for m in marks] == [
        ("GHOST", "ORPHAN_ACCOUNT", "Ticket 7"),
        (leavers["dee"].operator_id, "SEPARATED", "Ticket 7"),
    ]
    assert {m.marked_by_user for m in marks} == {alice}
    assert SystemAccount.objects.filter(status="disabled").count() == 2
    changed = ChangeRecord.objects.filter(
        object_type="personnel.systemaccount", action="update"
    )
    assert sorted(c.object_id for c in changed) == sorted(str(a.pk) for a in picked)
    left = [i.name for i in listed(as_alice.get(f"/a/{agency.ori}/roster/worklist/"))]
    assert "Dee Leaver" not in left and "Eve Leaver" in left and "Ben Baker" in left


def test_all_matching_takes_every_account_to_deactivate_of_the_filters(
    as_alice, agency, leavers
):
    response = as_alice.post(_url(agency, "?q=leaver&sort=name"), {"scope": "all"})
    assert response.status_code == 200
    assert {a.pk for a, _ in response.context["marked"]} == {
        leavers["dee"].pk,
        leavers["eve"].pk,
    }  # not Ben, not the orphan: the filter says "leaver"
    assert response.context["query"] == "q=leaver&sort=name"
    done = _confirm(
        as_alice,
        agency,
        [a for a, _ in response.context["marked"]],
        query="?q=leaver&sort=name",
    )
    assert done["Location"] == f"/a/{agency.ori}/roster/worklist/?q=leaver&sort=name"
    assert Deactivation.objects.count() == 2
    assert SystemAccount.objects.get(pk=leavers["ben"].pk).status == "active"


def test_all_matching_without_filters_is_every_account_to_deactivate(
    as_alice, agency, leavers
):
    response = as_alice.post(_url(agency), {"scope": "all"})
    assert len(response.context["marked"]) == 4
    assert "Mark 4 accounts deactivated" in response.content.decode()


def test_accounts_no_longer_to_deactivate_are_left_out_with_a_message(
    as_alice, agency, crew, leavers
):
    remediate = SystemAccount.objects.get(employee_id="E3")  # Cal: to remediate
    leavers["dee"].status = "disabled"
    leavers["dee"].save()
    response = _confirm(as_alice, agency, [leavers["eve"], leavers["dee"], remediate])
    assert response.status_code == 302
    assert [m.account for m in Deactivation.objects.all()] == [leavers["eve"]]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("2 of the selected accounts are no longer" in m for m in messages)


def test_nothing_selected_goes_back_with_a_message(as_alice, agency, leavers):
    response = as_alice.post(_url(agency, "?q=leaver"), {"scope": "selected"})
    assert response["Location"] == f"/a/{agency.ori}/roster/worklist/?q=leaver"
    assert not Deactivation.objects.exists()


@pytest.mark.parametrize(
    ("on", "error"),
    [("2026-06-16", "cannot be in the future"), ("2020-01-01", "was only created on")],
)
def test_an_impossible_date_shows_the_list_again_and_marks_nothing(
    as_alice, agency, leavers, on, error
):
    response = _confirm(as_alice, agency, [leavers["dee"], leavers["eve"]], on=on)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert len(response.context["marked"]) == 2
    assert not Deactivation.objects.exists()


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam", "as_sue"])
def test_other_roles_may_not(request, agency, leavers, client):
    response = _confirm(request.getfixturevalue(client), agency, [leavers["dee"]])
    assert response.status_code == 403
    assert not Deactivation.objects.exists()


def test_it_takes_posts_only(as_alice, agency, leavers):
    assert as_alice.get(_url(agency)).status_code == 405


def test_an_account_of_another_agency_cannot_be_marked(
    as_alice, agency, other_agency, leavers
):
    _, theirs = make_eligible_operator(
        other_agency, employment_status="separated", separation_date="2026-06-01"
    )
    response = _confirm(as_alice, agency, [theirs])
    assert response.status_code == 302
    assert SystemAccount.objects.get(pk=theirs.pk).status == "active"
    assert not Deactivation.objects.exists()
