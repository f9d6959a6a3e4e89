"""Mark deactivated: date, who, note -> the account is disabled and recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.personnel.models import Deactivation
from accdesk.testing import listed, make_account

pytestmark = pytest.mark.django_db


def _url(agency, account):
    return f"/a/{agency.ori}/roster/accounts/{account.pk}/deactivate/"


def test_it_disables_the_account_records_it_and_the_item_leaves_the_list(
    as_alice, agency, crew, alice
):
    account = crew["ben_account"]
    worklist = f"/a/{agency.ori}/roster/worklist/"
    response = as_alice.post(
        _url(agency, account),
        {"on": "2026-06-14", "note": "Ticket 42", "next": worklist},
    )
    assert response.status_code == 302 and response["Location"] == worklist
    account.refresh_from_db()
    assert (account.status, account.disabled_date) == ("disabled", dt.date(2026, 6, 14))
    assert account.disabled_reason == "SEPARATED; Ticket 42"
    mark = Deactivation.objects.get(account=account)
    assert (mark.marked_by, mark.marked_by_user, mark.note, mark.reasons) == (
        "alice@alpha.test",
        alice,
        "Ticket 42",
        "SEPARATED",
    )
    change = ChangeRecord.objects.get(
        object_type="personnel.systemaccount",
        object_id=str(account.pk),
        action="update",
    )
    assert change.actor_label == "alice@alpha.test"
    assert set(change.changed_fields) == {"status", "disabled_date", "disabled_reason"}
    names = [i.name for i in listed(as_alice.get(worklist))]
    assert "Ben Baker" not in names


def test_the_get_shows_a_form_defaulting_to_today(as_alice, agency, crew):
    response = as_alice.get(_url(agency, crew["ben_account"]))
    assert response.status_code == 200
    assert response.context["form"]["on"].value() == dt.date(2026, 6, 15)
    assert b"Ben Baker" in response.content


@pytest.mark.parametrize(
    ("on", "error"),
    [("2026-06-16", "cannot be in the future"), ("2020-01-01", "was only created on")],
)
def test_it_refuses_an_impossible_date(as_alice, agency, crew, on, error):
    account = crew["ben_account"]
    response = as_alice.post(_url(agency, account), {"on": on})
    assert response.status_code == 400 and error in response.content.decode()
    account.refresh_from_db()
    assert account.status == "active" and not Deactivation.objects.exists()


def test_an_orphan_account_is_recorded_as_such(as_alice, agency, crew):
    ghost = make_account(agency, operator_id="GHOST", employee_id="E404")
    as_alice.post(_url(agency, ghost), {"on": "2026-06-15"})
    assert Deactivation.objects.get(account=ghost).reasons == "ORPHAN_ACCOUNT"


def test_an_already_disabled_account_is_left_alone(as_alice, agency, crew):
    account = crew["ben_account"]
    account.status = "disabled"
    account.save()
    response = as_alice.post(_url(agency, account), {"on": "2026-06-15"})
    assert response.status_code == 302 and not Deactivation.objects.exists()


def test_it_does_not_redirect_to_another_site(as_alice, agency, crew):
    response = as_alice.post(
        _url(agency, crew["ben_account"]),
        {"on": "2026-06-15", "next": "https://evil.example/"},
    )
    assert response["Location"] == f"/a/{agency.ori}/roster/worklist/"


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam", "as_sue"])
def test_other_roles_may_not(request, agency, crew, client):
    response = request.getfixturevalue(client).post(
        _url(agency, crew["ben_account"]), {"on": "2026-06-15"}
    )
    assert response.status_code == 403
    assert not Deactivation.objects.exists()


def test_an_outsider_gets_404(as_charlie, agency, crew):
    response = as_charlie.post(_url(agency, crew["ben_account"]), {"on": "2026-06-15"})
    assert response.status_code == 404


def test_an_account_of_another_agency_is_not_found(as_alice, agency, other_agency):
    theirs = make_account(other_agency)
    assert as_alice.post(_url(agency, theirs), {"on": "2026-06-15"}).status_code == 404
