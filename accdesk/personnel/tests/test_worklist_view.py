"""The worklist page and its CSV download."""

from __future__ import annotations

import csv
import io

import pytest

from accdesk.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def _url(agency, rest=""):
    return f"/a/{agency.ori}/roster/worklist/{rest}"


def test_it_lists_people_to_deactivate_and_remediate_overdue_in_red(
    as_alice, agency, crew
):
    response = as_alice.get(_url(agency))
    assert response.status_code == 200
    assert [i.name for i in response.context["items"]] == ["Ben Baker", "Cal Cole"]
    html = response.content.decode()
    ben_row = html[html.index('data-employee-id="E2"') - 30 :][:200]
    assert 'class="overdue"' in ben_row
    cal_row = html[html.index('data-employee-id="E3"') - 30 :][:200]
    assert "overdue" not in cal_row
    assert "Jun 11, 2026" in html  # Ben: separated 06-10, due a day later


def test_the_acc_can_mark_accounts_of_people_to_deactivate(as_alice, agency, crew):
    html = as_alice.get(_url(agency)).content.decode()
    account = crew["ben_account"]
    assert f"/roster/accounts/{account.pk}/deactivate/" in html
    assert html.count("Mark deactivated</button>") == 1  # not for Cal (remediate)


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam", "as_sue"])
def test_others_see_it_without_the_mark_button(request, agency, crew, client):
    response = request.getfixturevalue(client).get(_url(agency))
    assert response.status_code == 200
    assert b"Mark deactivated</button>" not in response.content


def test_a_supervisor_sees_only_their_people(as_sue, agency, crew):
    response = as_sue.get(_url(agency))
    assert [i.name for i in response.context["items"]] == ["Cal Cole"]


def test_it_shows_another_day_without_the_mark_button(as_alice, agency, crew):
    response = as_alice.get(_url(agency, "?as_of=2026-06-01"))
    assert str(response.context["as_of"]) == "2026-06-01"
    # Ben's status is ``separated`` (date 2026-06-10): separated on any day,
    # due the date + 1 day, not yet overdue on 2026-06-01 (issue 3).
    ben = next(i for i in response.context["items"] if i.name == "Ben Baker")
    assert ben.reason_codes == ["SEPARATED"]
    assert str(ben.due_date) == "2026-06-11"
    assert not ben.overdue(response.context["as_of"])
    assert b"Mark deactivated</button>" not in response.content


def test_a_bad_date_shows_today_with_a_message(as_alice, agency, crew):
    response = as_alice.get(_url(agency, "?as_of=yesterday"))
    assert str(response.context["as_of"]) == "2026-06-15"
    assert b"is not a date" in response.content


def test_an_outsider_gets_404(as_charlie, agency, crew):
    assert as_charlie.get(_url(agency)).status_code == 404


def _csv(response):
    return list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    )


def test_the_csv_matches_the_command_and_is_recorded(as_alice, agency, crew):
    response = as_alice.get(f"/a/{agency.ori}/roster/worklist.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert [
        (r["employee_id"], r["reasons"], r["due_date"], r["overdue"]) for r in rows
    ] == [
        ("E2", "SEPARATED", "2026-06-11", "yes"),
        ("E3", "MISSING_STATEMENT", "2026-06-15", "no"),
    ]
    event = ChangeRecord.objects.get(event="export", agency_id=agency.pk)
    assert "worklist CSV as of 2026-06-15: 2 rows" in event.message


def test_the_csv_can_hold_everyone_and_is_scoped_for_a_supervisor(
    as_alice, as_sue, agency, crew
):
    url = f"/a/{agency.ori}/roster/worklist.csv?all=1"
    assert len(_csv(as_alice.get(url))) == 3
    assert [r["employee_id"] for r in _csv(as_sue.get(url))] == ["E3", "E1"]
