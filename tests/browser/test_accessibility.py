"""What an automatic scan cannot see: the skip link, the focus moving to the
error summary after a failed submit, help and error texts tied to their fields,
and the keyboard hint of the release-log form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every id that aria-describedby, aria-labelledby or a label's "for" names.
MISSING_IDS = """() => {
  const missing = [];
  for (const el of document.querySelectorAll('[aria-describedby], [aria-labelledby]')) {
    for (const attr of ['aria-describedby', 'aria-labelledby']) {
      for (const id of (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) missing.push(attr + '=' + id);
      }
    }
  }
  for (const label of document.querySelectorAll('label[for]')) {
    if (!document.getElementById(label.htmlFor)) missing.push('for=' + label.htmlFor);
  }
  return missing;
}"""


def test_the_skip_link_is_the_first_stop_and_jumps_past_the_navigation(
    signed_in_page, live_server, agency
):
    page = signed_in_page
    page.goto(f"{live_server.url}/a/{agency.ori}/roster/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the page content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    # The next stop is inside the page, not one of the navigation's links.
    assert page.evaluate("!!document.activeElement.closest('main')")


def test_a_failed_submit_moves_the_focus_to_the_error_summary(
    signed_in_page, live_server, agency
):
    page = signed_in_page
    page.goto(f"{live_server.url}/a/{agency.ori}/profile/edit/")
    page.get_by_label("Name").fill("")
    page.get_by_label("Effective on").fill("")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There are 2 problems")
    assert page.evaluate(MISSING_IDS) == []
    name = page.get_by_label("Name")
    described = name.get_attribute("aria-describedby")
    assert described and "id_name_error" in described
    expect(page.locator("#id_name_error")).to_contain_text("required")
    # Each problem links to its field.
    summary.get_by_role("link", name="Name: This field is required.").click()
    expect(name).to_be_focused()


def test_help_texts_are_tied_to_their_fields(signed_in_page, live_server, agency):
    page = signed_in_page
    page.goto(f"{live_server.url}/a/{agency.ori}/profile/edit/")
    effective = page.get_by_label("Effective on")
    expect(effective).to_have_accessible_description(
        "When the change takes effect (used on the notice to DOJ)."
    )
    assert page.evaluate(MISSING_IDS) == []


def test_the_release_log_form_says_what_enter_does(signed_in_page, live_server, agency):
    page = signed_in_page
    page.goto(f"{live_server.url}/a/{agency.ori}/releases/new/")
    hint = page.locator("#entry-keys")
    expect(hint).to_contain_text("Enter saves")
    expect(hint).to_contain_text("Enter starts a new line: press Ctrl+Enter to save")
    box = page.get_by_label("Information given")
    box.fill("CII rap sheet")
    box.press("Enter")
    box.type("second line")
    assert box.input_value() == "CII rap sheet\nsecond line"
    assert page.url.endswith("/releases/new/")  # Enter did not submit
    box.press("Control+Enter")
    expect(page.locator(".error-summary")).to_be_focused()  # submitted: errors
