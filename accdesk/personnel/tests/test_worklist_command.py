"""``accdesk worklist --agency ORI [--as-of] [--format table|csv|json] [--all]``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from accdesk.testing import make_account, make_eligible_operator, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
TODAY = dt.date(2026, 6, 15)


def _worklist(agency, *args):
    out = io.StringIO()
    call_command("worklist", "--agency", agency.ori, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def roster(agency):
    """One person to deactivate, one to remediate, one eligible, one orphan."""
    gone, gone_account = make_eligible_operator(
        agency,
        employee_id="E1",
        first_name="Brian",
        last_name="Kessler",
        employment_status="separated",
        separation_date=TODAY - dt.timedelta(days=5),
    )
    unsigned, _ = make_eligible_operator(
        agency,
        employee_id="E2",
        first_name="Ann",
        last_name="Admin",
        administrator=True,
    )
    make_eligible_operator(agency, employee_id="E3")
    make_account(agency, operator_id="GHOST", employee_id="E404")
    return gone, gone_account


def test_json_lists_the_items_and_counts(agency, roster):
    _, gone_account = roster
    data = json.loads(_worklist(agency, "--format", "json"))
    assert data["agency"] == agency.ori and data["as_of"] == "2026-06-15"
    by_name = {item["name"]: item for item in data["items"]}
    assert set(by_name) == {"Brian Kessler", "Ann Admin", ""}
    brian = by_name["Brian Kessler"]
    assert {
        k: brian[k]
        for k in (
            "employee_id",
            "operator_id",
            "operator_ids",
            "status",
            "action",
            "reasons",
            "due_date",
        )
    } == {
        "employee_id": "E1",
        "operator_id": gone_account.operator_id,
        "operator_ids": [gone_account.operator_id],
        "status": "must_deactivate",
        "action": "deactivate",
        "reasons": ["SEPARATED"],
        "due_date": "2026-06-10",
    }
    assert brian["overdue"] is True
    # Issue 12: access ends on the separation date; account managers are told
    # within 1 day (AC-2(h)).
    assert brian["details"]["SEPARATED"]["due"] == "2026-06-10"
    assert brian["details"]["SEPARATED"]["notify_by"] == "2026-06-11"
    assert "notify_by" not in orphan_details(data)
    orphan = by_name[""]
    assert orphan["employee_id"] is None and orphan["operator_id"] == "GHOST"
    assert (
        orphan["reasons"] == ["ORPHAN_ACCOUNT"] and orphan["due_date"] == "2026-06-15"
    )
    assert by_name["Ann Admin"]["action"] == "remediate"
    assert data["counts"]["by_status"] == {
        "must_deactivate": 2,
        "remediate": 1,
        "pending": 0,
        "expiring": 0,
        "eligible": 1,
    }
    assert data["counts"]["by_reason"]["LIABILITY_UNSIGNED"] == 1


def test_all_adds_people_with_nothing_to_do(agency, roster):
    data = json.loads(_worklist(agency, "--format", "json", "--all"))
    eligible = [i for i in data["items"] if i["status"] == "eligible"]
    assert [i["employee_id"] for i in eligible] == ["E3"]
    assert eligible[0]["action"] == "none" and eligible[0]["due_date"] is None


def test_csv_has_the_same_fields_with_reasons_joined(agency, roster):
    make_person(
        agency,
        employee_id="E9",
        administrator=True,
        separation_date=None,
    )  # no checks, no training, no statement, no acknowledgement
    rows = list(csv.DictReader(io.StringIO(_worklist(agency, "--format", "csv"))))
    assert list(rows[0])[:8] == [
        "employee_id",
        "operator_id",
        "operator_ids",
        "name",
        "status",
        "action",
        "reasons",
        "due_date",
    ]
    e9 = next(r for r in rows if r["employee_id"] == "E9")
    assert (
        e9["reasons"]
        == "NO_FINGERPRINT;TRAINING_EXPIRED;MISSING_STATEMENT;LIABILITY_UNSIGNED"
    )
    assert e9["operator_id"] == "" and e9["due_date"] == "2026-06-15"


def test_the_table_marks_overdue_items(agency, roster):
    out = _worklist(agency)
    line = next(line for line in out.splitlines() if "Brian Kessler" in line)
    assert "2026-06-10*" in line and "SEPARATED" in line
    assert "As of 2026-06-15: 2 must_deactivate, 1 remediate" in out


def test_as_of_evaluates_another_day(agency, roster):
    data = json.loads(_worklist(agency, "--format", "json", "--as-of", "2026-06-09"))
    assert data["as_of"] == "2026-06-09"
    # HR's status says separated (separation date 2026-06-10, after that day): he
    # is separated, due on the date itself (issue 12), not yet overdue on the 9th (issue 3:
    # status ``separated`` or a separation date on or before D).
    brian = next(i for i in data["items"] if i["name"] == "Brian Kessler")
    assert brian["reasons"] == ["SEPARATED"] and brian["due_date"] == "2026-06-10"
    assert brian["overdue"] is False


def test_it_exits_zero_with_an_empty_list(agency):
    data = json.loads(_worklist(agency, "--format", "json"))
    assert data["items"] == []


def test_it_refuses_a_bad_date_and_an_unknown_agency(agency):
    with pytest.raises(CommandError, match="'2026-13-01' is not a date"):
        _worklist(agency, "--as-of", "2026-13-01")
    with pytest.raises(CommandError, match="No agency"):
        call_command("worklist", "--agency", "CA9999999", stdout=io.StringIO())


def test_it_reads_the_roster_in_a_fixed_number_of_queries(
    agency, roster, django_assert_max_num_queries, settings
):
    for n in range(10):
        make_eligible_operator(agency, employee_id=f"X{n}")
    # A fixed number, whatever the roster's size; each worklist source (agreements,
    # terminals, incidents) may add one query when it has nothing to report.
    # Computed on the fly for another date; today's is read from the stored
    # worklist, built by the first read (worklistcache), then read in fewer
    # queries still.
    yesterday = (agency.today() - dt.timedelta(days=1)).isoformat()
    with django_assert_max_num_queries(11 + len(settings.WORKLIST_SOURCES)):
        _worklist(agency, "--format", "json", "--as-of", yesterday)
    _worklist(agency, "--format", "json")
    with django_assert_max_num_queries(5):
        _worklist(agency, "--format", "json")


def test_an_account_marked_deactivated_that_clets_still_lists_reopens(
    agency, roster, alice, tmp_path
):
    gone, account = roster
    account.mark_deactivated(
        on=TODAY, by="alice", user=alice, note="", reasons="SEPARATED"
    )
    assert "Brian Kessler" not in _worklist(agency)
    path = tmp_path / "accounts.csv"
    path.write_text(
        "operator_id,employee_id,access_level,status,created_date,last_activity_date\n"
        f"{account.operator_id},E1,full,active,{account.created_date},{TODAY}\n"
    )
    call_command(
        "import", "accounts", str(path), "--agency", agency.ori, stdout=io.StringIO()
    )
    data = json.loads(_worklist(agency, "--format", "json"))
    brian = next(i for i in data["items"] if i["employee_id"] == "E1")
    assert brian["reasons"] == ["SEPARATED"]
    assert brian["note"] == "still active in CLETS"


def orphan_details(data):
    return next(i for i in data["items"] if i["name"] == "")["details"][
        "ORPHAN_ACCOUNT"
    ]
