"""MisuseCase: the closing rules (clean(), close(), database constraints), the
journal, and a change record that keeps field names only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accdesk.core.models import ChangeRecord
from accdesk.investigations.models import validate_systems
from accdesk.testing import make_misuse_case, make_user

pytestmark = pytest.mark.django_db
CLOSED = {"closed_on": dt.date(2025, 6, 1), "finding": "sustained", "action": "none"}


@pytest.fixture
def case(agency):
    return make_misuse_case(agency, opened_on=dt.date(2025, 3, 1))


def _problems(case, **values):
    for name, value in values.items():
        setattr(case, name, value)
    with pytest.raises(ValidationError) as caught:
        case.clean()
    return caught.value.message_dict


def test_a_closed_case_needs_a_finding_other_than_pending(case):
    problems = _problems(case, **{**CLOSED, "finding": "pending"})
    assert problems == {
        "finding": ["Closing a case needs a finding other than pending."]
    }


def test_a_closed_case_needs_an_action(case):
    problems = _problems(case, **{**CLOSED, "action": ""})
    assert list(problems) == ["action"]


def test_an_open_case_has_no_action(case):
    problems = _problems(case, action="reprimand")
    assert "open case has no action" in problems["action"][0]


def test_a_case_cannot_close_before_it_opened(case):
    problems = _problems(case, **{**CLOSED, "closed_on": dt.date(2025, 2, 28)})
    assert list(problems) == ["closed_on"]


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC))
def test_dates_may_not_be_in_the_future(case):
    problems = _problems(case, opened_on=dt.date(2025, 6, 2))
    assert problems == {"opened_on": ["2025-06-02 is in the future."]}


def test_a_valid_closed_case_passes_and_systems_are_normalised(case):
    for name, value in CLOSED.items():
        setattr(case, name, value)
    case.systems = ["dmv", "CLETS", "DMV"]
    case.clean()
    assert case.systems == ["CLETS", "DMV"]


@pytest.mark.parametrize("systems", [[], ["CLETS", "TELETYPE"], "CLETS"])
def test_it_refuses_unknown_or_missing_systems(systems):
    with pytest.raises(ValidationError):
        validate_systems(systems)


@pytest.mark.parametrize(
    "values",
    [
        {**CLOSED, "finding": "pending"},
        {**CLOSED, "action": ""},
        {"action": "counseling"},
        {**CLOSED, "closed_on": dt.date(2025, 1, 1)},
    ],
    ids=["pending", "no-action", "open-with-action", "closes-before-opening"],
)
def test_the_database_refuses_what_clean_refuses(agency, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_misuse_case(agency, opened_on=dt.date(2025, 3, 1), **values)


def test_case_numbers_are_unique_within_an_agency(agency, other_agency):
    make_misuse_case(agency, case_number="IA-1")
    make_misuse_case(other_agency, case_number="IA-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_misuse_case(agency, case_number="IA-1")


def test_close_sets_the_outcome_and_writes_the_journal(case):
    user = make_user()
    case.close(
        on=dt.date(2025, 6, 1),
        finding="sustained",
        action="suspension",
        referred=True,
        by=user,
    )
    case.refresh_from_db()
    assert (case.closed_on, case.finding, case.action) == (
        dt.date(2025, 6, 1),
        "sustained",
        "suspension",
    )
    assert case.referred_for_prosecution
    note = case.notes.get()
    assert note.written_on == dt.date(2025, 6, 1) and note.author == user
    assert "Finding: Sustained. Action: Suspension. Referred" in note.text


@pytest.mark.parametrize(
    ("finding", "action", "field"),
    [("pending", "none", "finding"), ("unfounded", "", "action")],
)
def test_close_refuses_an_incomplete_outcome_and_changes_nothing(
    case, finding, action, field
):
    with pytest.raises(ValidationError) as caught:
        case.close(
            on=dt.date(2025, 6, 1), finding=finding, action=action, referred=False
        )
    assert list(caught.value.message_dict) == [field]
    assert case.is_open
    case.refresh_from_db()
    assert case.is_open and not case.notes.exists()


def test_a_closed_case_cannot_be_closed_again(agency):
    closed = make_misuse_case(agency, **CLOSED)
    with pytest.raises(ValidationError):
        closed.close(
            on=dt.date(2025, 7, 1), finding="unfounded", action="none", referred=False
        )


def test_reopen_clears_the_action_and_the_journal_keeps_it(agency):
    closed = make_misuse_case(agency, **CLOSED)
    closed.reopen(on=dt.date(2025, 8, 1), reason="New evidence.")
    closed.refresh_from_db()
    assert closed.is_open and closed.action == "" and closed.finding == "sustained"
    note = closed.notes.get()
    assert "was closed 2025-06-01, Sustained, No action" in note.text
    assert note.text.endswith("New evidence.")


def test_an_open_case_cannot_be_reopened(case):
    with pytest.raises(ValidationError):
        case.reopen(on=dt.date(2025, 8, 1), reason="?")


def test_the_change_record_keeps_field_names_only(case):
    case.allegation = "Secret details of the allegation"
    case.save()
    records = ChangeRecord.objects.filter(
        object_type="investigations.misusecase", object_id=str(case.pk)
    )
    create, update = records.get(action="create"), records.get(action="update")
    assert update.changed_fields == ["allegation"]
    assert create.changes == {} and update.changes == {}
    assert create.restricted and update.restricted
    assert update.object_repr == f"misuse case #{case.pk}"
    assert update.agency_id == case.agency_id
    assert "Secret" not in str(list(records.values()))


def test_journal_notes_are_restricted_and_belong_to_the_agency(case):
    note = case.add_note(dt.date(2025, 3, 2), "Interviewed the subject.")
    record = ChangeRecord.objects.get(
        object_type="investigations.casenote", object_id=str(note.pk)
    )
    assert record.restricted and record.changes == {}
    assert record.agency_id == case.agency_id


def test_subject_label_prefers_the_roster_person(agency, person):
    case = make_misuse_case(agency, subject=person, subject_description="ignored")
    assert case.subject_label == "Doe, Jamie (E1042)"
    assert (
        make_misuse_case(agency, subject_description="A former clerk").subject_label
        == "A former clerk"
    )
