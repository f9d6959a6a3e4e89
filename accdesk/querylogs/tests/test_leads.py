from __future__ import annotations

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.querylogs.models import Lead
from accdesk.querylogs.tests.conftest import MARCH, url


def the_lead(client, agency):
    page = client.get(url("leads", agency), MARCH)
    return page.context["leads"][0]


def test_it_lists_leads_that_nobody_acted_on_as_new(as_alice, imported):
    lead = the_lead(as_alice, imported.agency)
    assert (lead["rule"], lead["operator_id"], lead["inquiries"]) == (
        "SELF_QUERY",
        "OP1",
        1,
    )
    assert lead["acted"] is None
    assert not Lead.objects.exists()


def test_a_lead_page_shows_its_inquiries_and_records_the_view(as_sam, imported):
    lead = the_lead(as_sam, imported.agency)
    page = as_sam.get(url("lead", imported.agency, key=lead["key"]))
    assert b"ALVAREZ,MARIA" in page.content
    assert b"Open a misuse investigation" in page.content
    assert ChangeRecord.objects.filter(
        event="view", message__contains=lead["key"]
    ).exists()


def test_the_acc_opens_a_misuse_investigation_from_a_lead(as_alice, alice, imported):
    lead = the_lead(as_alice, imported.agency)
    response = as_alice.post(
        url("act_on_lead", imported.agency, key=lead["key"]),
        {"action": "investigate", "note": "talk to the sergeant"},
        follow=True,
    )
    kept = Lead.objects.get()
    assert (kept.status, kept.acted_by, kept.note) == (
        "referred",
        alice,
        "talk to the sergeant",
    )
    case = kept.case
    assert case.source == "query_log_lead" and case.is_open
    assert case.case_number == f"QL-{imported.agency.today().year}-001"
    assert "SELF_QUERY" in case.allegation and "OP1" in case.allegation
    assert response.redirect_chain[-1][0].endswith(f"/investigations/{case.pk}/")
    assert lead["key"].encode() in response.content  # the case lists its lead
    assert the_lead(as_alice, imported.agency)["acted"] == kept
    # Referring it again goes to the same case.
    again = as_alice.post(
        url("act_on_lead", imported.agency, key=lead["key"]), {"action": "investigate"}
    )
    assert again["Location"].endswith(f"/investigations/{case.pk}/")
    assert case.agency.misuse_cases.count() == 1


def test_the_spoc_refers_a_lead_and_leaves_the_case_to_the_acc(as_sam, imported):
    lead = the_lead(as_sam, imported.agency)
    response = as_sam.post(
        url("act_on_lead", imported.agency, key=lead["key"]),
        {"action": "investigate"},
        follow=True,
    )
    assert b"the ACC opens the misuse investigation" in response.content
    assert Lead.objects.get().case is None


def test_a_lead_can_be_dismissed(as_alice, imported):
    lead = the_lead(as_alice, imported.agency)
    as_alice.post(
        url("act_on_lead", imported.agency, key=lead["key"]), {"action": "dismiss"}
    )
    assert Lead.objects.get().status == "dismissed"


@pytest.mark.parametrize(
    ("persona", "status"), [("as_vera", 403), ("as_bob", 403), ("as_charlie", 404)]
)
def test_leads_are_for_acc_and_spoc(request, imported, persona, status):
    client = request.getfixturevalue(persona)
    assert client.get(url("leads", imported.agency)).status_code == status
    assert (
        client.post(url("act_on_lead", imported.agency, key="0" * 32)).status_code
        == status
    )


def test_an_unknown_lead_is_404(as_alice, imported):
    assert as_alice.get(url("lead", imported.agency, key="0" * 32)).status_code == 404
