"""Lists in a browser: the roster sorted by a column header, paged with the sort
and filter kept, and downloaded as CSV with the filter applied; the worklist's
bulk "mark deactivated" for all the accounts matching a filter."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from playwright.sync_api import expect

from accdesk.core.models import ChangeRecord
from accdesk.personnel.models import Deactivation
from accdesk.testing import make_eligible_operator
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_roster_sorts_pages_and_downloads_what_it_shows(
    page, live_server, alice, agency
):
    for n in range(53):
        make_eligible_operator(
            agency, last_name=f"Officer{n:02d}", role_level="general"
        )
    make_eligible_operator(agency, last_name="Ziegler", role_level="security")
    sign_in(page, live_server.url, alice)
    page.get_by_role("link", name="Roster", exact=True).first.click()

    page.get_by_label("Role level").select_option("general")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"role_level=general"))
    expect(page.locator(".list-count")).to_contain_text("of 53")
    # The filter form answers by htmx and pushes its URL; a header click while
    # its request is still out is cancelled by that push, as for a user.
    expect(page.locator("form.filters.htmx-request")).to_have_count(0)

    header = page.locator("#roster-table th", has_text="Name")
    header.get_by_role("link").click()  # ascending
    header = page.locator("#roster-table th", has_text="Name")
    expect(header).to_have_attribute("aria-sort", "ascending")
    header.get_by_role("link").click()  # and round: descending
    expect(page.locator("#roster-table th", has_text="Name")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(page).to_have_url(re.compile(r"role_level=general.*sort=-name"))
    first_row = page.locator("#roster-table tbody tr").first
    expect(first_row).to_contain_text("Pat Officer52")

    page.get_by_role("link", name="Next ›").click()
    expect(page).to_have_url(re.compile(r"sort=-name&page=2"))
    expect(page.locator("#roster-table tbody tr")).to_have_count(3)
    expect(page.locator("#roster-table tbody tr").last).to_contain_text("Pat Officer00")
    expect(page.locator("#roster-table")).not_to_contain_text("Ziegler")

    with page.expect_download() as info:
        page.locator("#list-downloads").get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename.startswith(f"roster-{agency.ori}-")
    with open(download.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert len(rows) == 53  # every matching row, not only the page
    assert rows[0]["name"] == "Pat Officer52"  # in the page's order
    assert {r["role_level"] for r in rows} == {"general"}
    event = ChangeRecord.objects.get(event="export")
    assert event.message.endswith("53 rows; filters: role_level")


def test_the_acc_marks_all_matching_accounts_deactivated_after_a_confirmation(
    page, live_server, alice, agency
):
    yesterday = agency.today() - dt.timedelta(days=1)
    for first, last in (("Lee", "Ames"), ("Lee", "Baird"), ("Cy", "Cruz")):
        make_eligible_operator(
            agency,
            first_name=first,
            last_name=last,
            employment_status="separated",
            separation_date=yesterday,
        )
    make_eligible_operator(
        agency,
        first_name="Lee",
        last_name="Stays",
        employment_status="separated",
        separation_date=yesterday,
    )
    sign_in(page, live_server.url, alice)
    page.get_by_role("link", name="Worklist", exact=True).first.click()
    expect(page.locator("#worklist tbody tr")).to_have_count(4)

    page.get_by_label("Name or ID").fill("lee")  # not Cy Cruz
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#worklist tbody tr")).to_have_count(3)
    page.get_by_role("button", name=re.compile("Mark all 3 matching")).click()

    confirm = page.locator("#deactivate-confirm")
    expect(confirm.locator("tbody tr")).to_have_count(3)
    for name in ("Lee Ames", "Lee Baird", "Lee Stays"):
        expect(confirm).to_contain_text(name)
    expect(confirm).not_to_contain_text("Cruz")
    assert not Deactivation.objects.exists()  # nothing marked before confirming
    page.get_by_label("Note").fill("Quarterly clean-up, ticket 88")
    page.get_by_role("button", name="Mark 3 accounts deactivated").click()

    expect(page.locator(".messages")).to_contain_text("3 accounts marked deactivated")
    expect(page).to_have_url(re.compile(r"q=lee"))  # back to the filtered list
    expect(page.locator("#worklist")).to_contain_text("No one on the worklist")
    assert Deactivation.objects.count() == 3
    page.get_by_role("link", name="Clear").click()
    expect(page.locator("#worklist tbody tr")).to_have_count(1)
    expect(page.locator("#worklist")).to_contain_text("Cy Cruz")
