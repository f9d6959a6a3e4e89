"""A person's page: eligibility, every input, and a timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.personnel.models import Deactivation, SystemAccount
from accdesk.testing import make_certification

pytestmark = pytest.mark.django_db


def _url(agency, person):
    return f"/a/{agency.ori}/roster/people/{person.pk}/"


def test_the_acc_sees_every_input_and_the_timeline(as_alice, agency, crew, alice):
    ben, account = crew["ben"], crew["ben_account"]
    account.mark_deactivated(
        on=account.created_date,
        by="alice",
        user=alice,
        note="phoned DOJ",
        reasons="SEPARATED",
    )
    make_certification(account, test="security_awareness")
    response = as_alice.get(_url(agency, ben))
    assert response.status_code == 200
    assert response.context["item"].status == "eligible"  # account now disabled
    html = response.content.decode()
    for section in (
        "eligibility",
        "accounts",
        "checks",
        "training",
        "nextest",
        "forms",
        "timeline",
    ):
        assert f'id="{section}"' in html
    assert account.operator_id in html and "phoned DOJ" in html
    assert "State (CA DOJ) fingerprint check" in html
    assert "Security Awareness" in html  # the NexTEST test, by operator ID
    whats = [event.what for event in response.context["timeline"]]
    assert "Separated" in whats and f"{account.operator_id} marked deactivated" in whats
    dates = [event.on for event in response.context["timeline"]]
    assert dates == sorted(dates, reverse=True)


def test_viewing_background_checks_is_recorded(as_alice, agency, crew):
    as_alice.get(_url(agency, crew["ann"]))
    event = ChangeRecord.objects.get(event="view", object_id=str(crew["ann"].pk))
    assert event.object_type == "personnel.person"


def test_a_viewer_sees_the_person_but_not_the_check_results(as_vera, agency, crew):
    response = as_vera.get(_url(agency, crew["cal"]))
    assert response.status_code == 200
    assert response.context["checks"] == []
    assert b"fingerprint check" not in response.content
    assert b"Revoke access" not in response.content
    assert not ChangeRecord.objects.filter(event="view").exists()


def test_it_shows_the_reasons_with_their_due_dates(as_alice, agency, crew):
    response = as_alice.get(_url(agency, crew["cal"]))
    assert [r.code for r in response.context["item"].reasons] == ["MISSING_STATEMENT"]
    assert b"Jun 15, 2026" in response.content
    assert b"Revoke access" in response.content


def test_a_supervisor_sees_their_people_only(as_sue, agency, crew):
    assert as_sue.get(_url(agency, crew["ann"])).status_code == 200
    assert as_sue.get(_url(agency, crew["ben"])).status_code == 404


def test_an_outsider_gets_404(as_charlie, agency, crew):
    assert as_charlie.get(_url(agency, crew["ann"])).status_code == 404


def test_a_person_of_another_agency_is_not_found(as_alice, agency, other_agency):
    from accdesk.testing import make_person

    theirs = make_person(other_agency)
    assert as_alice.get(_url(agency, theirs)).status_code == 404
    assert not Deactivation.objects.exists()


def test_it_shows_a_failed_nextest_score_and_the_approvals(as_alice, agency, crew):
    ann = crew["ann"]
    account = SystemAccount.objects.get(employee_id=ann.employee_id, agency=agency)
    today = agency.today()
    make_certification(
        account, completed_date=today - dt.timedelta(days=5), score="69.5"
    )
    make_certification(account, completed_date=today - dt.timedelta(days=4), score="70")
    response = as_alice.get(_url(agency, ann))
    html = response.content.decode()
    assert len(response.context["failed"]) == 1
    nextest = html[html.index('id="nextest"') :]
    assert nextest.count("failed") == 1 and "69.50" in nextest
    assert "Chief Tester" in html  # the agency head's approval of the checks
