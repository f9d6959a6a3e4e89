"""Issue 12 §2 in the browser: hand entry from the roster and the person page, a
transfer that opens an access review until the ACC records it, and the annual
account review from start to sign-off."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from accdesk import testing
from accdesk.personnel.models import AccountReview, Person, TrainingRecord
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_acc_enters_a_person_and_their_training_by_hand(
    page, live_server, alice, agency, artifacts
):
    sign_in(page, live_server.url, alice)
    page.goto(f"{live_server.url}/a/{agency.ori}/roster/")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Employee ID", exact=True).fill("E500")
    page.get_by_label("Last name", exact=True).fill("Quinn")
    page.get_by_label("First name", exact=True).fill("Ada")
    page.get_by_label("Employment status", exact=True).select_option("active")
    page.get_by_label("Hire date", exact=True).fill("2021-03-15")
    page.get_by_label("Role level", exact=True).select_option("general")
    page.get_by_label("Employer", exact=True).fill("agency")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".messages")).to_contain_text("Ada Quinn added to the roster")
    expect(page.locator("h1")).to_have_text("Ada Quinn")

    page.locator("#training").get_by_role("link", name="Add").click()
    page.get_by_label("Course", exact=True).select_option("security_awareness")
    page.get_by_label("Completed date", exact=True).fill(
        str(agency.today() - dt.timedelta(days=3))
    )
    page.get_by_role("button", name="Add").click()
    # The training import's own rule: security awareness needs its level.
    expect(page.locator(".field.has-error")).to_contain_text("AT-3 level")
    page.get_by_label("Level", exact=True).select_option("general")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".messages")).to_contain_text("Training record added")
    expect(page.locator("#training")).to_contain_text("Security awareness")
    person = Person.objects.get(agency=agency, employee_id="E500")
    assert TrainingRecord.objects.filter(person=person, level="general").count() == 1
    page.screenshot(path=str(artifacts / "hand-entry.png"), full_page=True)


def test_a_transfer_opens_an_access_review_until_it_is_recorded(
    page, live_server, alice, agency
):
    ann, _ = testing.make_eligible_operator(
        agency, employee_id="E1", first_name="Ann", last_name="Archer", unit="Patrol"
    )
    sign_in(page, live_server.url, alice)
    page.goto(f"{live_server.url}/a/{agency.ori}/roster/people/{ann.pk}/")
    page.get_by_role("link", name="Record a transfer").click()
    page.get_by_label("Transferred on", exact=True).fill(str(agency.today()))
    page.get_by_label("New unit", exact=True).fill("Investigations")
    page.get_by_role("button", name="Record transfer").click()
    expect(page.locator(".messages")).to_contain_text("review their access")
    expect(page.locator("#eligibility")).to_contain_text(
        "Access review after a transfer or role change"
    )
    expect(page.locator("#access-changes")).to_contain_text("Investigations")

    page.goto(f"{live_server.url}/a/{agency.ori}/roster/worklist/")
    expect(page.locator("#worklist tr", has_text="Ann Archer")).to_contain_text(
        "Access review"
    )
    page.goto(f"{live_server.url}/a/{agency.ori}/roster/people/{ann.pk}/")
    page.locator("#access-changes").get_by_role(
        "link", name="Record the review"
    ).click()
    page.get_by_label("Outcome", exact=True).fill("General level kept for the new unit")
    page.get_by_role("button", name="Record review").click()
    expect(page.locator(".messages")).to_contain_text("Access review recorded")
    expect(page.locator("#access-changes")).to_contain_text("Reviewed")
    expect(page.locator("#eligibility")).not_to_contain_text("Access review after")


def test_the_annual_account_review_from_start_to_sign_off(
    page, live_server, alice, agency, artifacts
):
    testing.make_eligible_operator(
        agency, employee_id="E1", first_name="Ann", last_name="Archer"
    )
    testing.make_eligible_operator(
        agency, employee_id="E2", first_name="Ben", last_name="Baker"
    )
    sign_in(page, live_server.url, alice)
    page.goto(f"{live_server.url}/a/{agency.ori}/")
    panel = page.locator("#panel-account-review")
    expect(panel).to_contain_text("first account import")
    panel.get_by_role("link", name="Annual account review").click()
    page.get_by_role("button", name="Start this year's review").click()
    expect(page.locator("#review-state")).to_contain_text("2 accounts to review")
    expect(page.get_by_role("button", name="Sign off the review")).to_be_disabled()

    ann = page.locator("#review-lines tr", has_text="Ann Archer")
    ann.get_by_role("button", name="Save").click()  # Confirmed is the default
    expect(page.locator(".messages")).to_contain_text("Confirmed")
    ben = page.locator("#review-lines tr", has_text="Ben Baker")
    ben.locator("select[name=decision]").select_option("changed")
    ben.locator("select[name=new_access_level]").select_option("ltf")
    ben.locator("input[name=note]").fill("Inquiry only in the new post")
    ben.get_by_role("button", name="Save").click()
    expect(page.locator("#review-lines")).to_contain_text("Level changed")

    page.get_by_label("Review completed on", exact=True).fill(str(agency.today()))
    page.get_by_role("button", name="Sign off the review").click()
    expect(page.locator(".messages")).to_contain_text("Account review signed off")
    expect(page.locator("#review-state")).to_contain_text("Signed off")
    review = AccountReview.objects.get(agency=agency)
    assert review.completed_on == agency.today()
    page.screenshot(path=str(artifacts / "account-review.png"), full_page=True)

    page.goto(f"{live_server.url}/a/{agency.ori}/")
    expect(page.locator("#panel-account-review")).to_contain_text("Last completed")
    expect(page.locator("#panel-account-review")).not_to_contain_text("Overdue")
