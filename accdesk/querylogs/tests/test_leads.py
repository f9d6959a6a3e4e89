from __future__ import annotations

import pytest
from django.urls import reverse

from accdesk import testing
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


def test_a_case_from_a_lead_of_several_operators_names_every_one(
    as_alice, roster, tmp_path
):
    # One subject run by three operators within a day: a REPEAT_SUBJECT lead.
    subject = {"subject_name": "ROE,RICHARD", "subject_dob": "1970-07-07"}
    rows = [
        {"timestamp": f"2026-03-10T0{n}:00:00", "operator_id": op, **subject}
        for n, op in enumerate(["OP7", "OP8", "OP9"], start=1)
    ]
    testing.make_querylog_import(
        roster, testing.make_querylog(tmp_path / "repeat.csv", rows)
    )
    page = as_alice.get(url("leads", roster), MARCH)
    (lead,) = [x for x in page.context["leads"] if x["rule"] == "REPEAT_SUBJECT"]
    as_alice.post(
        url("act_on_lead", roster, key=lead["key"]), {"action": "investigate"}
    )
    kept = Lead.objects.get(key=lead["key"])
    assert "3 operators: OP7, OP8, OP9" in kept.case.allegation
    assert kept.operator_id == "" and kept.case.subject is None
    case_page = as_alice.get(
        reverse("investigations:detail", kwargs={"ori": roster.ori, "pk": kept.case.pk})
    )
    assert b"operator unknown" not in case_page.content


def test_pages_name_rules_in_words_with_the_code_beside(as_alice, imported):
    findings = as_alice.get(url("findings", imported.agency), MARCH).content.decode()
    assert (
        'Purpose code blank or not valid for a local agency <span class="code">'
        "PURPOSE_INVALID</span>" in findings
    )
    leads = as_alice.get(url("leads", imported.agency), MARCH).content.decode()
    assert "The subject&#x27;s name is the operator&#x27;s own" in leads
    assert ">New<" in leads
