from __future__ import annotations

import pytest
from django.urls import reverse

from accdesk import testing
from accdesk.access import lockout
from accdesk.access.history import record_signin_event
from accdesk.agency import notices
from accdesk.core.actor import acting_as
from accdesk.core.audit import record_event
from accdesk.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def _url(agency):
    return reverse("changes:list", kwargs={"ori": agency.ori})


def test_the_acc_and_spoc_see_the_agency_trail(as_alice, as_sam, agency):
    with acting_as("cli:ops"):
        notices.update_profile(agency, {"phone": "(555) 222-0000"}, agency.today())
    for client in (as_alice, as_sam):
        response = client.get(_url(agency))
        assert b"cli:ops" in response.content
        assert b"phone" in response.content


@pytest.mark.parametrize("persona", ["as_vera", "as_bob"])
def test_others_may_not(request, persona, agency):
    assert request.getfixturevalue(persona).get(_url(agency)).status_code == 403


def test_it_shows_members_signin_events_but_not_other_agencies(
    as_alice, agency, other_agency, vera, charlie
):
    with acting_as(vera.email, vera.pk):
        record_event("signin.failed", message="password rejected")
    with acting_as(charlie.email, charlie.pk):
        record_event("signin.failed", message="charlie failed")
    record_event("export", agency_id=other_agency.pk, message="other agency export")
    content = as_alice.get(_url(agency)).content
    assert b"vera@alpha.test" in content
    assert b"charlie" not in content
    assert b"other agency export" not in content


def test_it_filters_by_text_and_action(as_alice, agency):
    record_event("export", agency_id=agency.pk, message="roster.csv 12 rows")
    record_event("view", agency_id=agency.pk, message="case 2026-01")
    response = as_alice.get(_url(agency), {"q": "roster", "action": "event"})
    assert b"roster.csv" in response.content
    assert b"case 2026-01" not in response.content


def test_the_detail_page_shows_before_and_after(as_alice, agency):
    notices.update_profile(agency, {"phone": "(555) 222-0000"}, agency.today())
    record = ChangeRecord.objects.get(object_type="agency.agency", action="update")
    response = as_alice.get(
        reverse("changes:detail", kwargs={"ori": agency.ori, "pk": record.pk})
    )
    assert b"(555) 010-0000" in response.content
    assert b"(555) 222-0000" in response.content


def test_the_detail_of_another_agencys_record_is_not_found(as_alice, other_agency):
    record = record_event("export", agency_id=other_agency.pk, message="x")
    response = as_alice.get(
        reverse("changes:detail", kwargs={"ori": other_agency.ori, "pk": record.pk})
    )
    assert response.status_code == 404


def test_reading_the_trail_does_not_write_to_it(as_alice, agency):
    before = ChangeRecord.objects.count()
    as_alice.get(_url(agency))
    assert ChangeRecord.objects.count() == before


def test_users_created_on_an_agency_page_are_filed_under_that_agency(
    as_alice, as_charlie, agency, other_agency, charlie, alice
):
    # charlie (agency B) also belongs to agency A, as a county ACC may.
    testing.make_member(agency, "viewer", charlie)
    as_charlie.post(
        reverse("agency:add_member", kwargs={"ori": other_agency.ori}),
        {
            "email": "new.hire@bravo.test",
            "role": "viewer",
            "expires_on": "",
            "employee_id": "",
        },
    )
    created = ChangeRecord.objects.get(
        object_type="access.user", action="create", object_repr="new.hire@bravo.test"
    )
    assert created.agency_id == other_agency.pk
    # Agency A sees charlie's own sign-ins, not what charlie did in agency B.
    with acting_as(charlie.email, charlie.pk):
        record_signin_event(charlie, "signin.succeeded")
    content = as_alice.get(_url(agency)).content
    assert b"signin.succeeded" in content
    assert b"new.hire@bravo.test" not in content


def test_unlocks_by_the_operator_are_seen_by_the_members_agency_only(
    as_alice, agency, vera, charlie
):
    with acting_as("cli:ops"):
        for user in (vera, charlie):
            user.locked_at = user.failures_counted_from
            user.save(update_fields=["locked_at"])
            lockout.unlock(user)
    content = as_alice.get(_url(agency)).content
    assert b"vera@alpha.test unlocked" in content
    # charlie is not a member of agency A: nothing about him is shown there.
    assert b"charlie" not in content


def test_other_admin_changes_to_a_member_stay_out(as_alice, agency, vera):
    # What a superuser changes on a member's account in the admin (filed under no
    # agency) is not an account-security event the agencies are shown.
    with acting_as("root@example.test", None):
        vera.first_name = "Veronica"
        vera.save()
        record_event("export", obj=vera, message="about vera, not for the agency")
    content = as_alice.get(_url(agency)).content
    assert b"Veronica" not in content
    assert b"not for the agency" not in content


def test_events_are_named_in_words_with_their_code(as_alice, agency, vera):
    lockout.register_failure(vera, vera.email, "password", None)
    record_event("import.roster", agency_id=agency.pk, message="test")
    page = as_alice.get(_url(agency)).content.decode()
    assert 'Failed sign-in <span class="code">signin.failed</span>' in page
    assert 'Import <span class="code">import.roster</span>' in page


# -- Sorting, pages, downloads ------------------------------------------------------


@pytest.fixture
def entries(agency):
    """Records that differ in every column of the page."""
    with acting_as("bea@alpha.test"):
        record_event("export", agency_id=agency.pk, message="roster 3 rows")
    with acting_as("Al@alpha.test"):
        notices.update_profile(agency, {"phone": "(555) 222-0000"}, agency.today())
    with acting_as("cli:ops"):
        record_event("view", agency_id=agency.pk, message="case list")


CELLS = {
    "at": lambda r: r.at,
    "actor": lambda r: r.actor_label,
    "what": lambda r: r.event or r.action,
    "object": lambda r: r.object_repr,
    "fields": lambda r: tuple(r.changed_fields),
}


@pytest.mark.parametrize("key", list(CELLS))
@pytest.mark.parametrize("descending", [False, True])
def test_it_sorts_by_every_column(as_alice, agency, entries, key, descending):
    response = as_alice.get(_url(agency), {"sort": f"-{key}" if descending else key})
    assert response.status_code == 200
    values = [CELLS[key](r) for r in testing.listed(response)]
    testing.assert_in_order(values, descending=descending)
    assert f"sort={'' if descending else '-'}{key}" in response.content.decode()


def test_it_pages_at_50_newest_first_and_keeps_the_search(as_alice, agency):
    for n in range(51):
        record_event("export", agency_id=agency.pk, message=f"file {n:02d}")
    response = as_alice.get(_url(agency), {"q": "file", "action": "event"})
    assert [r.message for r in testing.listed(response)][0] == "file 50"
    assert len(testing.listed(response)) == 50
    assert "?q=file&amp;action=event&amp;page=2" in response.content.decode()
    last = as_alice.get(_url(agency), {"q": "file", "action": "event", "page": "2"})
    assert [r.message for r in testing.listed(last)] == ["file 00"]


def test_it_downloads_the_search_and_records_the_export(as_alice, agency, entries):
    response = as_alice.get(_url(agency), {"format": "csv", "action": "event"})
    rows = testing.downloaded(response)
    assert [(r["actor"], r["what"], r["message"]) for r in rows] == [
        ("cli:ops", "view", "case list"),
        ("bea@alpha.test", "export", "roster 3 rows"),
    ]
    assert rows[0]["at"].endswith("+00:00")
    export = ChangeRecord.objects.filter(event="export").order_by("-pk").first()
    assert export.actor_label == "alice@alpha.test"
    assert export.message == "change record downloaded as CSV: 2 rows; filters: action"


def test_the_xlsx_holds_before_and_after(as_sam, agency, entries):
    response = as_sam.get(_url(agency), {"format": "xlsx", "action": "update"})
    (row,) = testing.downloaded(response)
    assert row["object_type"] == "agency.agency" and row["fields"] == "phone"
    assert "(555) 222-0000" in row["changes"]


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "0001-01-01"},
        {"date_to": "9999-12-31"},
        {"action": "delete-all"},
        {"sort": "changes"},
        {"page": str(10**12)},
    ],
)
def test_bad_parameters_are_a_bad_request(as_alice, agency, entries, query):
    response = as_alice.get(_url(agency), query)
    assert response.status_code == 400
    assert response.context["message"]
