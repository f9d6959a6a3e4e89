"""The query-log Rules page in a browser: a rule change saved with why is a new
rule-set version; the re-audit's changes are shown before anything changes; the
Adopt button makes the version current (issue 17 §2)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accdesk import testing
from accdesk.querylogs import ruleset
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_acc_changes_a_rule_reviews_the_reaudit_and_adopts_it(
    page, live_server, alice, agency, tmp_path
):
    path = testing.make_querylog(
        tmp_path / "l.csv", [{"rte": "DET A TRESPASS 26-001234"}, {}]
    )
    testing.make_querylog_import(agency, path)
    sign_in(page, live_server.url, alice)
    page.goto(f"{live_server.url}/a/{agency.ori}/querylogs/rules/")
    page.get_by_label("Specific reasons").fill("TRESPASS\nROBBERY")
    page.get_by_label("Why this change").fill("Trespass is a reason here")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.locator("#ql-rule-versions")).to_contain_text("Version 2 is newer")
    expect(page.locator("#ql-rule-versions")).to_contain_text(
        "Trespass is a reason here"
    )
    call_command("querylog", "reaudit", "--agency", agency.ori)
    page.reload()
    candidate = page.locator("#ql-candidate")
    expect(candidate).to_contain_text("RTE_NO_REASON")
    assert ruleset.current_version(agency).number == 1
    candidate.get_by_role("button", name="Adopt version 2").click()
    expect(page.locator("body")).to_contain_text(
        re.compile("Rule-set version 2 is current")
    )
    assert ruleset.current_version(agency).number == 2
