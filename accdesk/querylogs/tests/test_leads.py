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


def test_opening_an_investigation_is_a_stub_that_keeps_the_lead(
    as_alice, alice, imported
):
    lead = the_lead(as_alice, imported.agency)
    response = as_alice.post(
        url("act_on_lead", imported.agency, key=lead["key"]),
        {"action": "investigate", "note": "talk to the sergeant"},
        follow=True,
    )
    assert b"not available in ACC Desk yet" in response.content
    kept = Lead.objects.get()
    assert (kept.status, kept.acted_by, kept.note) == (
        "referred",
        alice,
        "talk to the sergeant",
    )
    assert the_lead(as_alice, imported.agency)["acted"] == kept


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
