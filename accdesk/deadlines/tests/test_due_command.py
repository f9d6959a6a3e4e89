"""``accdesk due`` (issue 16): the contract's defaults, formats and order, over a
scenario with one deadline of each kind the apps have today."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accdesk.deadlines.tests.conftest import DAY, TODAY

pytestmark = pytest.mark.django_db

KINDS_TODAY = {
    "nextest_expiry",
    "training_expiry",
    "deactivation_due",
    "reinvestigation_due",
    "misuse_report",
    "doj_notice",
    "audit_log_review",
    "ori_validation_due",  # never done: due today (validations, issue 14)
}


def due(agency, *args: str) -> str:
    out = io.StringIO()
    call_command("due", "--agency", agency.ori, *args, stdout=out)
    return out.getvalue()


def by_kind(items: list[dict]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for item in items:
        found.setdefault(item["kind"], []).append(item)
    return found


def test_it_lists_one_deadline_of_each_kind_with_its_status(agency, scenario):
    data = json.loads(due(agency, "--format", "json"))

    assert list(data) == ["agency", "from", "to", "items", "counts"]
    assert data["agency"] == agency.ori
    assert data["from"] == TODAY.isoformat()
    assert data["to"] == (TODAY + 90 * DAY).isoformat()
    kinds = by_kind(data["items"])
    assert set(kinds) == KINDS_TODAY
    assert list(data["items"][0]) == [
        "date",
        "kind",
        "title",
        "subject",
        "owner",
        "status",
        "source",
        "url",
    ]
    # Due yesterday: overdue; due today: due_today.
    (nextest,) = kinds["nextest_expiry"]
    assert (nextest["date"], nextest["status"]) == (str(TODAY - DAY), "overdue")
    assert nextest["subject"] == "J. Smith"
    (training,) = kinds["training_expiry"]
    assert (training["date"], training["status"]) == (str(TODAY), "due_today")
    (reinvestigation,) = kinds["reinvestigation_due"]
    assert reinvestigation["date"] == str(TODAY + 10 * DAY)
    assert reinvestigation["status"] == "upcoming"
    deactivations = {d["subject"]: d for d in kinds["deactivation_due"]}
    assert deactivations["R. Green"]["status"] == "overdue"
    assert deactivations["J. Smith"]["date"] == str(TODAY + 6 * DAY)
    assert deactivations["J. Smith"]["status"] == "upcoming"
    reports = {r["subject"]: r for r in kinds["misuse_report"]}
    assert reports["2025 report"]["status"] == "overdue"
    assert reports["2026 report"]["date"] == "2027-02-01"
    (notice,) = kinds["doj_notice"]
    assert notice["date"] == str(TODAY - 40 * DAY)
    assert notice["status"] == "due_today"  # never overdue
    (review,) = kinds["audit_log_review"]
    assert review["date"] == "2026-12-07"
    assert data["counts"] == {
        status: sum(1 for i in data["items"] if i["status"] == status)
        for status in ("overdue", "due_today", "upcoming")
    }
    assert data["counts"]["overdue"] >= 3


def test_items_are_sorted_by_date_and_owned_by_the_acc(agency, scenario, alice):
    items = json.loads(due(agency, "--format", "json"))["items"]

    dates = [i["date"] for i in items]
    assert dates == sorted(dates)
    assert {i["owner"] for i in items} == {alice.email}
    assert all(i["url"].startswith(f"/a/{agency.ori}/") for i in items)


def test_overdue_items_before_from_are_always_listed(agency, scenario):
    items = json.loads(due(agency, "--from", "2027-01-15", "--format", "json"))["items"]

    kinds = by_kind(items)
    assert {i["status"] for i in kinds["nextest_expiry"]} == {"overdue"}
    assert "2025 report" in {r["subject"] for r in kinds["misuse_report"]}
    assert "doj_notice" in kinds  # still due
    assert "training_expiry" in kinds  # due today: owed now
    # Upcoming items before --from are not listed.
    assert "reinvestigation_due" not in kinds
    assert all(i["date"] >= "2027-01-15" or i["status"] != "upcoming" for i in items)


def test_to_ends_the_window(agency, scenario):
    items = json.loads(due(agency, "--to", str(TODAY + 5 * DAY), "--format", "json"))[
        "items"
    ]

    assert max(i["date"] for i in items) <= str(TODAY + 5 * DAY)
    assert "reinvestigation_due" not in by_kind(items)


def test_done_items_are_left_out(agency, scenario, alice):
    from accdesk.investigations.reporting import record_sent

    record_sent(agency, 2025, sent_on=TODAY, by=alice)
    agency.notices.update(sent_on=TODAY)
    from accdesk.personnel.models import SystemAccount

    SystemAccount.objects.filter(employee_id=scenario["green"].employee_id).update(
        status="disabled", disabled_date=TODAY - DAY
    )

    kinds = by_kind(json.loads(due(agency, "--format", "json"))["items"])

    assert {r["subject"] for r in kinds["misuse_report"]} == {"2026 report"}
    assert "doj_notice" not in kinds
    assert "R. Green" not in {d["subject"] for d in kinds["deactivation_due"]}


def test_the_csv_has_the_contract_header(agency, scenario):
    rows = list(csv.reader(io.StringIO(due(agency, "--format", "csv"))))

    assert rows[0] == [
        "date",
        "kind",
        "title",
        "subject",
        "owner",
        "status",
        "source",
        "url",
    ]
    assert len(rows) - 1 == len(json.loads(due(agency, "--format", "json"))["items"])
    assert ["2026-12-02", "nextest_expiry"] in [r[:2] for r in rows]


def test_the_table_ends_with_the_counts(agency, scenario):
    text = due(agency)

    assert text.splitlines()[0].split() == [
        "DATE",
        "STATUS",
        "KIND",
        "SUBJECT",
        "OWNER",
        "TITLE",
    ]
    assert "J. Smith" in text
    assert "Jordan Smith" not in text
    assert text.splitlines()[-1].startswith(f"{agency.ori}, {TODAY} to ")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2026-13-01"], "--from expects a date"),
        (["--to", "tomorrow"], "--to expects a date"),
        (["--from", "2026-12-10", "--to", "2026-12-01"], "--to is before --from"),
    ],
)
def test_bad_dates_are_refused(agency, args, message):
    with pytest.raises(CommandError, match=message):
        due(agency, *args)
