from __future__ import annotations

import pytest
from django.urls import reverse

from accdesk import testing
from accdesk.core.models import ChangeRecord
from accdesk.querylogs.models import Lead
from accdesk.querylogs.tests.conftest import MARCH, url
from accdesk.testing import assert_in_order, downloaded, listed


def the_lead(client, agency):
    page = client.get(url("leads", agency), MARCH)
    return list(page.context["listing"])[0]


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
    (lead,) = [x for x in listed(page) if x["rule"] == "REPEAT_SUBJECT"]
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


# -- The list: sorting, pages, the period kept, downloads ------------------------------

CELLS = {
    "rule": lambda lead: lead["rule"],
    "operator_id": lambda lead: lead["operator_id"],
    "inquiries": lambda lead: lead["inquiries"],
    "first_ts": lambda lead: lead["first_ts"],
    "last_ts": lambda lead: lead["last_ts"],
    "status": lambda lead: {"new": 0, "referred": 1, "dismissed": 2}[lead["status"]],
}


@pytest.mark.parametrize("key", list(CELLS))
@pytest.mark.parametrize("descending", [False, True])
def test_it_sorts_by_every_column(as_alice, varied, key, descending):
    zed = next(
        lead
        for lead in listed(as_alice.get(url("leads", varied.agency), MARCH))
        if lead["operator_id"] == "ZED9"
    )
    as_alice.post(
        url("act_on_lead", varied.agency, key=zed["key"]), {"action": "dismiss"}
    )
    query = {**MARCH, "sort": f"-{key}" if descending else key}
    page = as_alice.get(url("leads", varied.agency), query)
    assert page.status_code == 200
    assert_in_order([CELLS[key](lead) for lead in listed(page)], descending=descending)
    assert f"sort={'' if descending else '-'}{key}" in page.content.decode()


def test_it_filters_by_rule_and_status(as_alice, varied):
    query = {**MARCH, "rule": "OPERATOR_NOT_AUTHORIZED"}
    found = listed(as_alice.get(url("leads", varied.agency), query))
    assert sorted(lead["operator_id"] for lead in found) == ["OP2", "ZED9"]
    as_alice.post(
        url("act_on_lead", varied.agency, key=found[0]["key"]), {"action": "dismiss"}
    )
    new = listed(as_alice.get(url("leads", varied.agency), {**query, "status": "new"}))
    assert [lead["key"] for lead in new] == [found[1]["key"]]


def test_the_period_and_sort_go_to_the_lead_and_back(as_alice, varied):
    query = {**MARCH, "sort": "rule"}
    page = as_alice.get(url("leads", varied.agency), query)
    lead = listed(page)[0]
    review = f"{url('lead', varied.agency, key=lead['key'])}?date_from=2026-03-01&amp;date_to=2026-03-31&amp;sort=rule"
    assert review in page.content.decode()
    back = "date_from=2026-03-01&date_to=2026-03-31&sort=rule"
    detail = as_alice.get(url("lead", varied.agency, key=lead["key"]) + "?" + back)
    html = detail.content.decode()
    assert (
        f'{url("leads", varied.agency)}?{back.replace("&", "&amp;")}" id="back-to-leads"'
        in html
    )
    dismissed = as_alice.post(
        url("act_on_lead", varied.agency, key=lead["key"]) + "?" + back,
        {"action": "dismiss"},
    )
    assert dismissed["Location"] == f"{url('leads', varied.agency)}?{back}"


def test_the_tabs_keep_the_period(as_alice, varied):
    html = as_alice.get(url("leads", varied.agency), MARCH).content.decode()
    assert (
        f"{url('findings', varied.agency)}?date_from=2026-03-01&amp;date_to=2026-03-31"
        in html
    )
    assert (
        f"{url('overview', varied.agency)}?date_from=2026-03-01&amp;date_to=2026-03-31"
        in html
    )


def test_it_shows_50_leads_a_page(as_alice, roster, tmp_path):
    rows = [
        {
            "timestamp": f"2026-03-{1 + n // 5:02d}T08:{n % 5:02d}:00",
            "operator_id": f"X{n:02d}",
            "subject_dob": f"19{n + 10:02d}-01-01",  # 53 subjects
        }
        for n in range(53)
    ]  # 53 operators with no account: 53 leads
    log = testing.make_querylog_import(
        roster, testing.make_querylog(tmp_path / "x.csv", rows)
    )
    query = {**MARCH, "sort": "operator_id"}
    first = as_alice.get(url("leads", log.agency), query)
    assert len(listed(first)) == 50 and first.context["listing"].count == 53
    assert "sort=operator_id&amp;page=2" in first.content.decode()
    second = as_alice.get(url("leads", log.agency), {**query, "page": "2"})
    assert [lead["operator_id"] for lead in listed(second)] == ["X50", "X51", "X52"]
    review = (
        "?date_from=2026-03-01&amp;date_to=2026-03-31&amp;sort=operator_id&amp;page=2"
    )
    assert review in second.content.decode()  # back to page 2 from a lead


def test_a_download_leaves_subjects_out_and_is_an_export(as_alice, varied):
    response = as_alice.get(url("leads", varied.agency), {**MARCH, "format": "csv"})
    rows = downloaded(response)
    assert sorted(r["operator_id"] for r in rows) == ["OP1", "OP2", "ZED9"]
    assert "subjects" not in rows[0]
    assert "ALVAREZ" not in repr(rows) and "1985" not in repr(rows)
    assert {r["status"] for r in rows} == {"new"}
    event = ChangeRecord.objects.get(event="export")
    assert event.message == (
        "query-log leads 2026-03-01 to 2026-03-31 downloaded as CSV: 3 rows; "
        "filters: date_from, date_to"
    )


def test_a_download_with_subjects_names_them_and_is_recorded_as_chri(as_sam, varied):
    query = {**MARCH, "format": "xlsx", "subjects": "1", "rule": "SELF_QUERY"}
    (row,) = downloaded(as_sam.get(url("leads", varied.agency), query))
    assert row["subjects"] == "ALVAREZ,MARIA 1985-05-05"
    assert row["first_ts"].startswith("2026-03-03")
    event = ChangeRecord.objects.get(event="export.chri")
    assert "1 row;" in event.message and "rule" in event.message
    assert "ALVAREZ" not in event.message


def test_the_leads_page_offers_the_subjects_box(as_alice, varied):
    page = as_alice.get(url("leads", varied.agency), MARCH)
    assert b'name="subjects"' in page.content
    assert b'<input type="hidden" name="date_from" value="2026-03-01">' in page.content
