"""Hand entry and editing from the person page (issue 12 §2): the forms apply the
import formats' own row checks, and every change is recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk import testing
from accdesk.core.models import ChangeRecord
from accdesk.personnel.models import (
    AccessChange,
    BackgroundCheck,
    Certification,
    Person,
    SignedForm,
    SystemAccount,
    TrainingRecord,
)

pytestmark = pytest.mark.django_db

PERSON = {
    "employee_id": "E77",
    "last_name": "Quinn",
    "first_name": "Ada",
    "employment_status": "active",
    "hire_date": "03/15/2021",  # US dates, as in the files
    "separation_date": "",
    "role_level": "general",
    "administrator": "no",
    "sworn": "yes",
    "employer": "agency",
    "supervisor_employee_id": "",
    "clets_assigned_date": "",
    "unit": "Patrol",
    "changed_on": "",
}


def _base(agency):
    return f"/a/{agency.ori}/roster/people"


def test_the_acc_adds_a_person_with_the_import_rules(as_alice, agency, frozen_today):
    response = as_alice.post(f"{_base(agency)}/new/", PERSON)
    assert response.status_code == 302
    person = Person.objects.get(agency=agency, employee_id="E77")
    assert person.hire_date == dt.date(2021, 3, 15)
    assert (person.role_level, person.sworn, person.unit) == ("general", True, "Patrol")
    assert response["Location"] == f"{_base(agency)}/{person.pk}/"
    record = ChangeRecord.objects.get(
        object_type="personnel.person", object_id=str(person.pk), action="create"
    )
    assert record.actor_label == "alice@alpha.test"


def test_bad_values_name_every_field_as_an_import_would(as_alice, agency, frozen_today):
    bad = {
        **PERSON,
        "hire_date": "13/02/2026",
        "separation_date": "2020-01-01",
        "last_name": "",
    }
    response = as_alice.post(f"{_base(agency)}/new/", bad)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "month comes first" in errors["hire_date"][0]
    assert errors["last_name"] == ["a value is required"]
    assert not Person.objects.filter(employee_id="E77").exists()


def test_a_separation_before_the_hire_date_is_refused(as_alice, agency, frozen_today):
    bad = {**PERSON, "separation_date": "2020-01-01"}
    response = as_alice.post(f"{_base(agency)}/new/", bad)
    assert response.status_code == 400
    assert (
        "is before hire_date" in response.context["form"].errors["separation_date"][0]
    )


def test_an_employee_id_already_on_the_roster_is_refused(as_alice, agency, crew):
    response = as_alice.post(f"{_base(agency)}/new/", {**PERSON, "employee_id": "E1"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


def test_editing_the_role_level_keeps_a_dated_change_and_opens_a_review(
    as_alice, agency, crew
):
    ann = crew["ann"]
    data = {
        **PERSON,
        "employee_id": "IGNORED",  # fixed on an edit
        "last_name": ann.last_name,
        "first_name": ann.first_name,
        "hire_date": "",
        "role_level": "privileged",
        "supervisor_employee_id": "S1",
        "unit": "",
        "changed_on": "2026-06-10",
    }
    response = as_alice.post(f"{_base(agency)}/{ann.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    ann.refresh_from_db()
    assert (ann.employee_id, ann.role_level) == ("E1", "privileged")
    (change,) = AccessChange.objects.filter(person=ann)
    assert (change.change, change.old_value, change.new_value) == (
        "role_level",
        "general",
        "privileged",
    )
    assert change.changed_on == dt.date(2026, 6, 10)
    assert change.recorded_by == "alice@alpha.test"
    page = as_alice.get(f"{_base(agency)}/{ann.pk}/")
    codes = page.context["item"].reason_codes
    assert "ACCESS_REVIEW_DUE" in codes


def test_a_change_date_in_the_future_is_refused(as_alice, agency, crew):
    ann = crew["ann"]
    data = {
        **PERSON,
        "last_name": "A",
        "first_name": "B",
        "hire_date": "",
        "changed_on": "2026-06-16",
    }
    response = as_alice.post(f"{_base(agency)}/{ann.pk}/edit/", data)
    assert response.status_code == 400
    assert "changed_on" in response.context["form"].errors


def test_a_training_record_follows_the_training_import(as_alice, agency, crew):
    ann = crew["ann"]
    url = f"{_base(agency)}/{ann.pk}/training/new/"
    # Security awareness needs its AT-3 level (the import's cross-column rule).
    response = as_alice.post(
        url,
        {"course": "security_awareness", "level": "", "completed_date": "2026-06-01"},
    )
    assert response.status_code == 400
    assert "AT-3 level" in response.context["form"].errors["level"][0]
    response = as_alice.post(
        url,
        {
            "course": "clets_full_initial",
            "completed_date": "2026-06-01",
            "hours": "6",
            "workbook_date": "06/02/2026",
            "score": "",
        },
    )
    assert response.status_code == 302
    record = TrainingRecord.objects.get(
        person=ann, course="clets_full_initial", completed_date=dt.date(2026, 6, 1)
    )
    assert record.hours == 6
    assert record.workbook_date == dt.date(2026, 6, 2)


def test_the_same_record_twice_is_refused(as_alice, agency, crew):
    ann = crew["ann"]
    existing = ann.signed_forms.get()
    response = as_alice.post(
        f"{_base(agency)}/{ann.pk}/form/new/",
        {"form": existing.form, "signed_date": str(existing.signed_date)},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert SignedForm.objects.filter(person=ann).count() == 1


def test_editing_a_check_records_the_approval(as_alice, agency, crew):
    ann = crew["ann"]
    check = ann.background_checks.get(check_type="state")
    url = f"{_base(agency)}/{ann.pk}/check/{check.pk}/edit/"
    form = as_alice.get(url).context["form"]
    data = {**{k: v for k, v in form.initial.items() if k != "employee_id"}}
    data.update(approved_by="Chief Dana Whitfield", approved_date="")
    response = as_alice.post(url, data)
    # The import's rule: an approval needs its date.
    assert response.status_code == 400
    assert "approved_date" in response.context["form"].errors
    data["approved_date"] = "2026-06-01"
    response = as_alice.post(url, data)
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.approved_by, check.approved_date) == (
        "Chief Dana Whitfield",
        dt.date(2026, 6, 1),
    )
    record = ChangeRecord.objects.filter(
        object_type="personnel.backgroundcheck", object_id=str(check.pk)
    ).latest("id")  # the clock is frozen: every record has the same time
    assert record.action == "update"
    assert "approved_by" in record.changed_fields


def test_an_account_is_the_persons_and_its_level_change_is_kept(
    as_alice, agency, crew, frozen_today
):
    ann = crew["ann"]
    response = as_alice.post(
        f"{_base(agency)}/{ann.pk}/account/new/",
        {
            "operator_id": "LPD0042",
            "access_level": "ltf",
            "status": "active",
            "created_date": "2026-06-01",
            "last_activity_date": "",
            "disabled_date": "",
        },
    )
    assert response.status_code == 302
    account = SystemAccount.objects.get(agency=agency, operator_id="LPD0042")
    assert (account.employee_id, account.access_level) == ("E1", "ltf")
    url = f"{_base(agency)}/{ann.pk}/account/{account.pk}/edit/"
    response = as_alice.post(
        url,
        {
            "operator_id": "CHANGED",  # fixed on an edit
            "access_level": "full",
            "status": "active",
            "created_date": "2026-06-01",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.operator_id, account.access_level) == ("LPD0042", "full")
    change = AccessChange.objects.get(person=ann, change="access_level")
    assert (change.operator_id, change.old_value, change.new_value) == (
        "LPD0042",
        "ltf",
        "full",
    )
    assert change.changed_on == frozen_today
    assert not change.needs_review


def test_a_nextest_result_is_held_by_one_of_the_persons_accounts(
    as_alice, agency, crew
):
    ann = crew["ann"]
    op = SystemAccount.objects.get(employee_id="E1").operator_id
    url = f"{_base(agency)}/{ann.pk}/nextest/new/"
    response = as_alice.post(
        url,
        {
            "operator_id": crew["ben_account"].operator_id,  # not Ann's
            "test": "full",
            "completed_date": "2026-06-01",
            "expiration_date": "",
        },
    )
    assert response.status_code == 400
    assert "operator_id" in response.context["form"].errors
    response = as_alice.post(
        url,
        {
            "operator_id": op,
            "test": "full",
            "completed_date": "2026-06-01",
            "score": "91",
            "expiration_date": "2027-06-01",
        },
    )
    assert response.status_code == 302
    assert Certification.objects.filter(operator_id=op, score=91).exists()


def test_a_record_of_someone_else_is_not_found(as_alice, agency, crew):
    ann, cal = crew["ann"], crew["cal"]
    check = cal.background_checks.first()
    response = as_alice.get(f"{_base(agency)}/{ann.pk}/check/{check.pk}/edit/")
    assert response.status_code == 404
    assert as_alice.get(f"{_base(agency)}/{ann.pk}/bogus/new/").status_code == 404


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam", "as_sue"])
def test_only_the_acc_enters_records(request, agency, crew, client):
    ann = crew["ann"]
    c = request.getfixturevalue(client)
    assert c.get(f"{_base(agency)}/new/").status_code == 403
    assert c.post(f"{_base(agency)}/{ann.pk}/edit/", PERSON).status_code == 403
    assert c.get(f"{_base(agency)}/{ann.pk}/training/new/").status_code == 403
    assert BackgroundCheck.objects.filter(person=ann).count() == 2


def test_an_outsider_gets_404(as_charlie, agency, crew):
    assert as_charlie.get(f"{_base(agency)}/{crew['ann'].pk}/edit/").status_code == 404


# -- transfers ------------------------------------------------------------------


def test_a_transfer_opens_a_review_until_the_acc_records_it(as_alice, agency, crew):
    ann = crew["ann"]
    response = as_alice.post(
        f"{_base(agency)}/{ann.pk}/transfer/",
        {"changed_on": "2026-06-12", "unit": "Investigations", "note": "promotion"},
    )
    assert response.status_code == 302
    ann.refresh_from_db()
    assert ann.unit == "Investigations"
    change = AccessChange.objects.get(person=ann)
    item = as_alice.get(f"{_base(agency)}/{ann.pk}/").context["item"]
    reason = next(r for r in item.reasons if r.code == "ACCESS_REVIEW_DUE")
    assert reason.due == dt.date(2026, 6, 13)
    url = f"{_base(agency)}/{ann.pk}/changes/{change.pk}/review/"
    response = as_alice.post(url, {"reviewed_on": "2026-06-11", "review_note": "x"})
    assert response.status_code == 400  # before the change
    response = as_alice.post(
        url, {"reviewed_on": "2026-06-15", "review_note": "Level kept"}
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert (change.reviewed_on, change.reviewed_by) == (
        dt.date(2026, 6, 15),
        "alice@alpha.test",
    )
    item = as_alice.get(f"{_base(agency)}/{ann.pk}/").context["item"]
    assert "ACCESS_REVIEW_DUE" not in item.reason_codes


def test_a_transfer_out_of_clets_puts_the_accounts_on_the_worklist(
    as_alice, agency, crew
):
    ann = crew["ann"]
    as_alice.post(
        f"{_base(agency)}/{ann.pk}/transfer/",
        {"changed_on": "2026-06-15", "unit": "Property", "access_ends": "on"},
    )
    items = testing.listed(as_alice.get(f"/a/{agency.ori}/roster/worklist/"))
    ann_item = next(i for i in items if i.employee_id == "E1")
    assert ann_item.action == "deactivate"
    assert "TRANSFERRED" in ann_item.reason_codes
    # Marking the account deactivated records the reason.
    account = SystemAccount.objects.get(employee_id="E1")
    as_alice.post(
        f"/a/{agency.ori}/roster/accounts/{account.pk}/deactivate/",
        {"on": "2026-06-15", "note": ""},
    )
    assert "TRANSFERRED" in account.deactivations.get().reasons


def test_the_person_page_shows_the_history(as_alice, agency, crew):
    ann = crew["ann"]
    AccessChange.objects.create(
        agency=agency,
        person=ann,
        changed_on=dt.date(2026, 6, 1),
        change="unit",
        old_value="Patrol",
        new_value="Records",
        recorded_by="alice@alpha.test",
    )
    html = as_alice.get(f"{_base(agency)}/{ann.pk}/").content.decode()
    assert "Transfers and access changes" in html
    assert "Records" in html and "Record the review" in html
