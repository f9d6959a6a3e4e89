from __future__ import annotations

from accdesk.core.models import ChangeRecord
from accdesk.querylogs.tests.conftest import MARCH, url


def self_query_row(client, agency):
    page = client.get(url("findings", agency), {**MARCH, "rule": "SELF_QUERY"})
    return list(page.context["listing"])[0]


def test_it_explains_why_each_rule_fired(as_alice, imported):
    found = self_query_row(as_alice, imported.agency)
    page = as_alice.get(url("row", imported.agency, month="2026-03", key=found["key"]))
    text = page.content.decode()
    assert "SELF_QUERY" in text
    assert "the subject&#x27;s name is the operator&#x27;s own (employee E1)" in text
    assert "Users may not run their own record" in text
    assert "march.csv</a>, row 2" in text


def test_the_acc_sees_the_subject_and_the_view_is_recorded(as_alice, imported):
    found = self_query_row(as_alice, imported.agency)
    page = as_alice.get(url("row", imported.agency, month="2026-03", key=found["key"]))
    assert b"ALVAREZ,MARIA, born 1985-05-05" in page.content
    record = ChangeRecord.objects.get(event="view", agency_id=imported.agency.pk)
    assert found["key"] in record.message and "1985" not in record.message


def test_viewers_and_auditors_do_not_see_the_subject(as_vera, as_bob, imported):
    found = self_query_row(as_vera, imported.agency)
    for client in (as_vera, as_bob):
        page = client.get(
            url("row", imported.agency, month="2026-03", key=found["key"])
        )
        assert page.status_code == 200
        assert b"ALVAREZ" not in page.content and b"1985-05-05" not in page.content
    assert not ChangeRecord.objects.filter(event="view").exists()


def test_unknown_rows_and_months_are_404(as_alice, imported):
    assert (
        as_alice.get(
            url("row", imported.agency, month="2026-03", key="0" * 32)
        ).status_code
        == 404
    )
    assert (
        as_alice.get(
            url("row", imported.agency, month="1999-01", key="0" * 32)
        ).status_code
        == 404
    )
