from __future__ import annotations

from accdesk.querylogs.tests.conftest import MARCH, url


def test_it_lists_findings_with_a_link_to_each_explanation(as_bob, imported):
    page = as_bob.get(url("findings", imported.agency), MARCH)
    assert page.status_code == 200
    rules = sorted(r["rule"] for r in page.context["rows"])
    assert rules == ["PURPOSE_INVALID", "SELF_QUERY"]
    assert b"/rows/2026-03/" in page.content


def test_it_filters_by_rule_and_operator(as_alice, imported):
    page = as_alice.get(
        url("findings", imported.agency), {**MARCH, "rule": "SELF_QUERY"}
    )
    assert [r["rule"] for r in page.context["rows"]] == ["SELF_QUERY"]
    page = as_alice.get(url("findings", imported.agency), {**MARCH, "operator": "op9"})
    assert page.context["total"] == 0


def test_it_pages(as_alice, imported, monkeypatch):
    from accdesk.querylogs import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    first = as_alice.get(url("findings", imported.agency), MARCH)
    second = as_alice.get(url("findings", imported.agency), {**MARCH, "page": "2"})
    assert first.context["has_next"] and not second.context["has_next"]
    assert first.context["rows"] != second.context["rows"]


def test_outsiders_get_404(as_charlie, imported):
    assert as_charlie.get(url("findings", imported.agency)).status_code == 404
