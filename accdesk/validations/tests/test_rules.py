"""The validation clocks at their boundaries, the schedule, the second-party rule,
hit confirmations, entry quality and the ORI validation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings

from accdesk import testing
from accdesk.agency.models import DojNotice
from accdesk.validations import oris, rules
from accdesk.validations.forms import ValidationForm
from accdesk.validations.models import EntryCheck, HitConfirmation, ListedRecord

pytestmark = pytest.mark.django_db

LIST = dt.date(2026, 10, 5)
ENTERED = dt.date(2026, 3, 2)


def listed(agency, **kwargs):
    values = {
        "database": "WPS",
        "record_id": "W1",
        "record_file": "wanted_person",
        "entered_date": ENTERED,
        "list_date": LIST,
    }
    return ListedRecord.objects.create(agency=agency, **{**values, **kwargs})


def day(n: int, start: dt.date = LIST) -> dt.date:
    return start + dt.timedelta(days=n)


# -- the 30-day clock ------------------------------------------------------------------


def test_a_listed_record_is_due_30_days_after_the_list_and_overdue_from_day_31(agency):
    record = listed(agency)
    assert rules.due_date(record) == day(30)
    assert rules.clock_status(record, day(29)) == "upcoming"
    assert rules.clock_status(record, day(30)) == "due_today"
    assert rules.clock_status(record, day(31)) == "overdue"
    assert rules.overdue(agency, day(30)) == []
    assert rules.overdue(agency, day(31)) == [record]


def test_a_completed_validation_is_never_overdue(agency, alice, sam):
    record = listed(
        agency,
        validated_by=alice,
        validated_on=day(10),
        second_party_by=sam,
        second_party_on=day(11),
    )
    assert rules.clock_status(record, day(90)) == "done"
    assert rules.completed(agency) == [record]


def test_a_validation_without_its_second_party_check_is_still_open(agency, alice):
    record = listed(agency, validated_by=alice, validated_on=day(10))
    assert rules.clock_status(record, day(31)) == "overdue"


def test_the_worklist_groups_by_list_and_database(agency):
    listed(agency, record_id="W1")
    listed(agency, record_id="W2")
    listed(agency, record_id="V1", database="SVS")
    listed(agency, record_id="W3", list_date=day(-31))
    groups = rules.worklist(agency, day(0))
    assert [(g.list_date, g.database, len(g.records)) for g in groups] == [
        (day(-31), "WPS", 1),
        (LIST, "SVS", 1),
        (LIST, "WPS", 2),
    ]
    assert groups[0].status == "overdue" and groups[1].status == "upcoming"


@override_settings(VALIDATION_PURGE_DAYS=60)
def test_the_purge_warning_lists_overdue_records_with_the_purge_estimate(agency):
    listed(agency, record_id="W1")
    listed(agency, record_id="W2", list_date=day(-10))
    assert rules.purge_warnings(agency, day(20)) == []
    found = rules.purge_warnings(agency, day(21))
    assert [(r.record_id, when) for r, when in found] == [("W2", day(50))]


# -- the schedule: 60-90 days after entry, then yearly ---------------------------------


@pytest.mark.parametrize(
    ("n", "status"), [(59, "not_due"), (60, "due"), (90, "due"), (91, "overdue")]
)
def test_the_first_validation_falls_60_to_90_days_after_entry(n, status):
    state = rules.schedule_state(ENTERED, "wanted_person", [], day(n, ENTERED))
    assert state.status == status
    assert (state.start, state.end) == (day(60, ENTERED), day(90, ENTERED))


def test_then_every_year(settings):
    validated = [day(75, ENTERED)]
    state = rules.schedule_state(ENTERED, "wanted_person", validated, day(100, ENTERED))
    assert state.cycle == 1 and state.status == "not_due"
    assert state.start == dt.date(2027, 5, 1)  # entry + 60 days, a year on
    late = rules.schedule_state(
        ENTERED, "wanted_person", validated, dt.date(2027, 6, 1)
    )
    assert late.status == "overdue"


def test_property_files_need_only_the_first_validation(settings):
    validated = [day(75, ENTERED)]
    for record_file in ("stolen_vehicle", "gun", "article", "boat", "securities"):
        state = rules.schedule_state(
            ENTERED, record_file, validated, dt.date(2028, 1, 1)
        )
        assert state.status == "done", record_file
    settings.VALIDATION_FIRST_ONLY_FILES = []
    state = rules.schedule_state(ENTERED, "gun", validated, dt.date(2028, 1, 1))
    assert state.status == "overdue"


def test_a_record_missing_from_the_list_it_was_expected_on_is_flagged(agency):
    # Entered March 2 2026: first on the May 2026 list, then the May 2027 list.
    listed(agency, record_id="W1", list_date=dt.date(2026, 5, 4))
    listed(agency, record_id="W2", list_date=dt.date(2026, 5, 4))
    listed(
        agency,
        record_id="V1",
        database="SVS",
        record_file="stolen_vehicle",
        list_date=dt.date(2026, 5, 4),
    )
    assert rules.missing_from_lists(agency) == []  # no May 2027 list yet
    listed(agency, record_id="W2", list_date=dt.date(2027, 5, 3))
    listed(
        agency,
        record_id="W9",
        entered_date=dt.date(2027, 3, 1),
        list_date=dt.date(2027, 5, 3),
    )
    flagged = rules.missing_from_lists(agency)
    assert [(r.record_id, month) for r, month in flagged] == [
        ("W1", dt.date(2027, 5, 1))
    ]


def test_a_cancelled_record_is_not_expected_again(agency):
    listed(agency, record_id="W1", list_date=dt.date(2026, 5, 4), result="cancelled")
    listed(agency, record_id="W2", list_date=dt.date(2027, 5, 3))
    assert rules.missing_from_lists(agency) == []


# -- the second-party rule -------------------------------------------------------------


def test_one_person_may_not_validate_and_check_the_same_record(agency, alice, sam):
    record = listed(agency)
    data = {
        "sources": ["court"],
        "result": "validated",
        "master_case_located": "yes",
        "validated_by": alice.pk,
        "validated_on": "2026-10-10",
        "second_party_by": alice.pk,
        "second_party_on": "2026-10-11",
    }
    form = ValidationForm(data, instance=record, agency=agency)
    assert not form.is_valid()
    assert "another person" in str(form.errors["second_party_by"])
    form = ValidationForm(
        {**data, "second_party_by": sam.pk}, instance=record, agency=agency
    )
    assert form.is_valid(), form.errors
    form.save()
    record.refresh_from_db()
    assert record.completed and record.completed_on == dt.date(2026, 10, 11)


def test_the_database_refuses_the_same_person_twice(agency, alice):
    record = listed(agency)
    record.validated_by = record.second_party_by = alice
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_a_validation_needs_its_result_and_the_master_case_answer(agency, alice):
    form = ValidationForm(
        {"validated_by": alice.pk, "validated_on": "2026-10-10"},
        instance=listed(agency),
        agency=agency,
    )
    assert not form.is_valid()
    assert {"result", "master_case_located"} <= set(form.errors)


def test_an_entry_checked_by_its_own_clerk_does_not_count(agency):
    def check(**kwargs):
        values = {
            "database": "WPS",
            "record_id": "W1",
            "done_on": LIST,
            "done_by": "Clerk Ames",
        }
        return EntryCheck(agency=agency, **{**values, **kwargs})

    assert rules.second_party_ok(check(second_party_by="Clerk Bell"))
    assert not rules.second_party_ok(check(second_party_by=" clerk ames "))
    assert not rules.second_party_ok(check(second_party_by=""))
    assert rules.timely(check()) is None
    assert rules.timely(check(kind="clear", needed_on=LIST)) is True
    assert rules.timely(check(kind="clear", needed_on=day(-1))) is False


# -- hit confirmations -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "minutes", "seconds", "met"),
    [
        ("urgent", 10, 0, True),
        ("urgent", 10, 1, False),
        ("routine", 60, 0, True),
        ("routine", 60, 1, False),
    ],
)
def test_a_hit_confirmation_meets_its_limit_the_limit_included(
    agency, priority, minutes, seconds, met
):
    asked = dt.datetime(2026, 10, 5, 14, 0, tzinfo=dt.UTC)
    hit = HitConfirmation(
        agency=agency,
        priority=priority,
        requested_at=asked,
        responded_at=asked + dt.timedelta(minutes=minutes, seconds=seconds),
    )
    assert rules.hit_met(hit) is met
    hit.responded_at = None
    assert rules.hit_met(hit) is None


def test_the_monthly_summary_counts_in_the_agencys_time_zone(agency):
    agency.time_zone = "America/Los_Angeles"
    agency.save()
    # 03:00 UTC on Nov 1 is Oct 31 in California.
    asked = dt.datetime(2026, 11, 1, 3, 0, tzinfo=dt.UTC)
    HitConfirmation.objects.create(
        agency=agency,
        database="WPS",
        record_id="W1",
        requesting_ori="CA0990100",
        priority="urgent",
        requested_at=asked,
        responded_at=asked + dt.timedelta(minutes=12),
    )
    EntryCheck.objects.create(
        agency=agency,
        database="WPS",
        record_id="W1",
        done_on=dt.date(2026, 10, 3),
        done_by="Clerk Ames",
        second_party_by="Clerk Bell",
    )
    (october,) = rules.monthly_summary(agency)
    assert october.month == dt.date(2026, 10, 1)
    assert (october.entries, october.second_party) == (1, 1)
    assert (october.hits, october.hits_met, october.urgent) == (1, 0, 1)


# -- ORI validation --------------------------------------------------------------------


def test_an_ori_record_that_matches_is_confirmed(agency):
    done = oris.validate(
        agency, oris.profile_values(agency), dt.date(2026, 10, 1), "Alice", ""
    )
    assert done.confirmed and done.notice is None
    assert not DojNotice.objects.filter(agency=agency).exists()
    assert oris.next_due(agency) == (dt.date(2027, 10, 1), done)


def test_a_mismatch_opens_a_notify_doj_task(agency):
    record = {
        **oris.profile_values(agency),
        "phone": "(555) 999-0000",
        "ori_type": "limited",
    }
    done = oris.validate(agency, record, dt.date(2026, 10, 1), "Alice", "")
    assert [m["field"] for m in done.mismatches] == ["phone", "ori_type"]
    notice = DojNotice.objects.get(agency=agency)
    assert done.notice == notice and notice.is_open
    assert "NCIC ORI record: Agency telephone" in notice.body
    assert "(555) 999-0000" in notice.body


def test_spacing_and_case_are_not_a_mismatch(agency):
    record = {**oris.profile_values(agency), "name": agency.name.upper() + "  "}
    assert oris.compare(agency, record) == []


def test_a_never_validated_ori_is_due_today(agency):
    assert oris.next_due(agency) == (agency.today(), None)
    testing.make_agency()  # another agency's validation does not count
