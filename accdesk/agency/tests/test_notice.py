from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accdesk.agency import notices

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(agency):
    return notices.update_profile(
        agency, {"phone": "(555) 999-0000"}, dt.date(2026, 11, 1)
    )


def _sent_url(agency, notice):
    return reverse("agency:notice_sent", kwargs={"ori": agency.ori, "pk": notice.pk})


def test_the_notice_prints_the_letter(as_bob, agency, notice):
    response = as_bob.get(
        reverse("agency:notice", kwargs={"ori": agency.ori, "pk": notice.pk})
    )
    assert b"was: (555) 010-0000" in response.content
    assert b"data-print" in response.content
    assert b"Mark as sent" not in response.content  # auditors read only


@time_machine.travel(dt.datetime(2026, 11, 20, 18, tzinfo=dt.UTC))
def test_recording_the_sent_date_closes_the_task(as_alice, agency, notice, alice):
    response = as_alice.post(
        _sent_url(agency, notice), {"sent_on": "2026-11-20", "sent_how": "email to CAS"}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.sent_on, notice.sent_by, notice.sent_how) == (
        dt.date(2026, 11, 20),
        alice,
        "email to CAS",
    )
    dashboard = as_alice.get(reverse("dashboard:agency", kwargs={"ori": agency.ori}))
    assert b"Nothing to report to DOJ" in dashboard.content


@time_machine.travel(dt.datetime(2026, 11, 20, 18, tzinfo=dt.UTC))
def test_a_future_sent_date_is_refused(as_alice, agency, notice):
    response = as_alice.post(_sent_url(agency, notice), {"sent_on": "2026-11-21"})
    assert response.status_code == 400
    notice.refresh_from_db()
    assert notice.is_open


def test_the_dashboard_lists_open_tasks(as_vera, agency, notice):
    response = as_vera.get(reverse("dashboard:agency", kwargs={"ori": agency.ori}))
    assert b"Agency telephone changed" in response.content


@pytest.mark.parametrize("persona", ["as_sam", "as_vera", "as_bob"])
def test_only_the_acc_records_it_sent(request, persona, agency, notice):
    client = request.getfixturevalue(persona)
    assert (
        client.post(_sent_url(agency, notice), {"sent_on": "2026-11-02"}).status_code
        == 403
    )
    notice.refresh_from_db()
    assert notice.is_open


def _open(agency):
    return list(agency.notices.open())


def test_a_second_change_of_the_same_item_replaces_its_entry(agency, notice):
    again = notices.update_profile(
        agency, {"phone": "(555) 888-0000"}, dt.date(2026, 11, 5)
    )
    assert _open(agency) == [again] and again.pk == notice.pk
    (entry,) = again.changes
    # What DOJ has on file -> the newest value; the step between is gone.
    assert (entry["old"], entry["new"]) == ("(555) 010-0000", "(555) 888-0000")
    assert "(555) 999-0000" not in again.body
    assert "Effective November 5, 2026" in again.body
    assert "(effective" not in again.body  # one date: said once, not per entry
    assert again.body.count("was:") == 1


def test_other_items_go_on_a_notice_of_their_own_and_each_is_listed_once(
    agency, notice
):
    notices.update_profile(
        agency,
        {"phone": "(555) 777-1111", "address": "9 Oak Road\nTestville, CA 90000"},
        dt.date(2026, 11, 3),
    )
    items = [c["item"] for n in _open(agency) for c in n.changes]
    assert sorted(items) == ["address", "phone"]


def test_changing_it_back_leaves_nothing_to_send(agency, notice):
    result = notices.update_profile(
        agency, {"phone": "(555) 010-0000"}, dt.date(2026, 11, 5)
    )
    assert result is None and _open(agency) == []


def test_a_sent_notice_is_never_rewritten(agency, notice):
    notices.mark_sent(notice, dt.date(2026, 11, 2), None)
    body = notice.body
    later = notices.update_profile(
        agency, {"phone": "(555) 888-0000"}, dt.date(2026, 11, 5)
    )
    assert later.pk != notice.pk
    notice.refresh_from_db()
    assert notice.body == body
    assert later.changes[0]["old"] == "(555) 999-0000"


@time_machine.travel(dt.datetime(2026, 11, 20, 18, tzinfo=dt.UTC))
def test_the_letter_is_dated_on_the_letterhead_and_signed_by_the_agency_head(agency):
    notices.designate(
        agency,
        "agency_head",
        name="Dana Whitfield",
        title="Chief of Police",
        effective_on=dt.date(2020, 1, 1),
    )
    notices.mark_sent(agency.notices.get(), dt.date(2020, 1, 2), None)
    letter = notices.update_profile(
        agency, {"phone": "(555) 999-0000"}, dt.date(2026, 11, 1)
    ).body
    head, _, rest = letter.partition("California Department of Justice")
    assert head.startswith(f"{agency.name}\n1 Main Street\nTestville, CA 90000\n")
    assert f"ORI {agency.ori}" in head and "November 20, 2026" in head
    assert "Dana Whitfield, Chief of Police\nAgency head, " + agency.name in rest
    assert "Date: ____" in rest
