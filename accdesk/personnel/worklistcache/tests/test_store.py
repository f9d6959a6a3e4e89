"""The stored worklist equals a fresh computation by the rules after every kind of
change to their inputs: an import, a hand edit, a deletion, a revocation, a mark,
a policy change, a worklist source's record, the date rolling over (issue 18)."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command

from accdesk.personnel import demo as personnel_demo
from accdesk.personnel import duties, worklist
from accdesk.personnel.demo import csv_bytes, tables
from accdesk.personnel.models import (
    Person,
    PolicySetting,
    SignedForm,
    SystemAccount,
    TrainingRecord,
)
from accdesk.personnel.tests.files import run
from accdesk.personnel.worklistcache import store
from accdesk.personnel.worklistcache.models import (
    WorklistDuty,
    WorklistRow,
    WorklistState,
)
from accdesk.testing import make_agreement, make_eligible_operator

# Late evening in California, already the next day in UTC: a date taken in UTC
# instead of the agency's time zone would show.
NOW = dt.datetime(2026, 6, 16, 5, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def lakemont(agency):
    """The demo agency's roster, loaded through the imports, and a contractor's
    agreement (a worklist source)."""
    with time_machine.travel(NOW, tick=False):
        assert agency.today() == TODAY
        personnel_demo.load(agency, TODAY)
        make_agreement(agency, "hdc_0012")
        yield agency


def stored(agency) -> list[dict]:
    return [store.encode_item(i) for i in store.items(store.current_rows(agency))]


def fresh(agency) -> list[dict]:
    result = worklist.compute(agency, agency.today(), upcoming=True)
    return [store.encode_item(i) for i in result.items]


def stored_duties(agency) -> list[duties.Duty]:
    fields = ("kind", "date", "title", "subject", "source", "person_id", "personal")
    rows = store.current_duties(agency).order_by("rank").values_list(*fields)
    return [duties.Duty(*row) for row in rows]


def fresh_duties(agency) -> list[duties.Duty]:
    result = worklist.compute(agency, agency.today(), upcoming=True)
    return duties.of_items(agency, result.items, agency.today())


def assert_current(agency) -> None:
    """The stored items are the rules' result, and the stored duties (the roster's
    deadlines) are those of the rules' items, in the same order."""
    got, expected = stored(agency), fresh(agency)
    assert len(got) == len(expected)
    assert got == expected
    assert stored_duties(agency) == fresh_duties(agency)


def built(agency) -> int:
    return WorklistState.objects.get(agency=agency).built_version


def test_it_is_built_on_first_read_and_equals_the_rules(lakemont):
    assert not WorklistRow.objects.filter(agency=lakemont).exists()
    assert_current(lakemont)
    # The demo agency has something of every kind to show.
    statuses = {row.status for row in WorklistRow.objects.filter(agency=lakemont)}
    assert {"must_deactivate", "remediate", "eligible"} <= statuses


def test_a_current_store_is_read_not_rebuilt(lakemont, django_assert_max_num_queries):
    stored(lakemont)
    version = built(lakemont)
    with mock.patch.object(worklist, "compute", side_effect=AssertionError):
        with django_assert_max_num_queries(2):
            store.items(store.current_rows(lakemont))
    assert built(lakemont) == version


def test_after_an_import(lakemont):
    assert_current(lakemont)
    before = built(lakemont)
    # HR separates someone and the CLETS list drops an account's activity.
    rows = tables(TODAY)
    roster = rows["roster"]
    roster[0] = {**roster[0], "employment_status": "separated"}
    roster[0]["separation_date"] = (TODAY - dt.timedelta(days=3)).isoformat()
    with time_machine.travel(NOW, tick=False):
        result = run("roster", lakemont, csv_bytes(roster))
        assert result.ok, result.errors
        assert WorklistState.objects.get(agency=lakemont).version > before
        assert_current(lakemont)
    assert built(lakemont) > before
    item = next(
        i
        for i in store.items(store.current_rows(lakemont))
        if i.employee_id == roster[0]["employee_id"]
    )
    assert "SEPARATED" in item.reason_codes or not item.accounts


def test_after_an_import_by_command(lakemont, tmp_path):
    assert_current(lakemont)
    accounts = tables(TODAY)["accounts"]
    accounts[-1] = {**accounts[-1], "last_activity_date": "2025-01-02"}
    path = tmp_path / "accounts.csv"
    path.write_bytes(csv_bytes(accounts))
    with time_machine.travel(NOW, tick=False):
        call_command(
            "import",
            "accounts",
            str(path),
            "--agency",
            lakemont.ori,
            stdout=io.StringIO(),
        )
        assert_current(lakemont)


def test_after_hand_edits_and_deletions(lakemont):
    with time_machine.travel(NOW, tick=False):
        assert_current(lakemont)
        person = Person.objects.filter(agency=lakemont, role_level="general").first()
        person.role_level = "security"
        person.save()
        assert_current(lakemont)
        # The roster's deadlines name people ("J. Smith"): a rename shows there.
        named = WorklistDuty.objects.filter(agency=lakemont, person__isnull=False)
        person = Person.objects.get(pk=named.values("person")[:1])
        person.first_name = "Quinn"
        person.save()
        assert_current(lakemont)
        assert named.filter(person=person, subject__startswith="Q. ").exists()
        TrainingRecord.objects.filter(agency=lakemont).first().delete()
        assert_current(lakemont)
        SignedForm.objects.filter(agency=lakemont).first().delete()
        assert_current(lakemont)
        make_eligible_operator(lakemont, employee_id="NEW1", last_name="Newcomer")
        assert_current(lakemont)
        SystemAccount.objects.get(agency=lakemont, employee_id="NEW1").delete()
        assert_current(lakemont)


def test_after_a_revocation_and_a_mark(lakemont, alice):
    with time_machine.travel(NOW, tick=False):
        assert_current(lakemont)
        people = Person.objects.filter(agency=lakemont, access_revoked_on=None)
        account = SystemAccount.objects.filter(
            agency=lakemont,
            status="active",
            employee_id__in=people.values("employee_id"),
        ).first()
        person = people.get(employee_id=account.employee_id)
        person.revoke_access(on=TODAY, reason="test", by="alice")
        assert_current(lakemont)
        assert (
            "ACCESS_REVOKED"
            in next(
                i
                for i in store.items(store.current_rows(lakemont))
                if i.person and i.person.pk == person.pk
            ).reason_codes
        )
        account.mark_deactivated(
            on=TODAY, by="alice", user=alice, note="", reasons="ACCESS_REVOKED"
        )
        assert_current(lakemont)


def test_after_a_policy_change(lakemont):
    with time_machine.travel(NOW, tick=False):
        assert_current(lakemont)
        PolicySetting.objects.create(
            agency=lakemont,
            name="inactivity",
            value=30,
            effective_from=TODAY - dt.timedelta(days=400),
            citation="test",
        )
        assert_current(lakemont)


def test_after_a_change_in_a_worklist_source(lakemont):
    from accdesk.agreements.models import Agreement

    with time_machine.travel(NOW, tick=False):
        assert_current(lakemont)
        version = WorklistState.objects.get(agency=lakemont).version
        Agreement.objects.filter(agency=lakemont).first().delete()
        assert WorklistState.objects.get(agency=lakemont).version > version
        assert_current(lakemont)


def test_after_people_are_named_on_an_incident(lakemont):
    """A many-to-many change (an incident's people needing training) saves no
    row of an input model, and still makes the stored worklist stale."""
    from accdesk.incidents.tests.conftest import make_incident

    with time_machine.travel(NOW, tick=False):
        incident = make_incident(lakemont, discovered_at=NOW - dt.timedelta(days=2))
        assert_current(lakemont)
        version = WorklistState.objects.get(agency=lakemont).version
        incident.needs_training.add(Person.objects.filter(agency=lakemont).first())
        assert WorklistState.objects.get(agency=lakemont).version > version
        assert_current(lakemont)


def test_after_the_date_rolls_over(lakemont):
    with time_machine.travel(NOW, tick=False):
        assert_current(lakemont)
    version = built(lakemont)
    # Midnight in Lakemont: nothing changed, but the date did.
    with time_machine.travel(NOW + dt.timedelta(days=45), tick=False):
        assert WorklistState.objects.get(agency=lakemont).as_of == TODAY
        assert_current(lakemont)
        assert WorklistState.objects.get(agency=lakemont).as_of == TODAY + dt.timedelta(
            days=45
        )
    assert built(lakemont) == version  # rebuilt for the date, from the same inputs


def test_the_hourly_job_rebuilds_what_is_due(lakemont, other_agency):
    with time_machine.travel(NOW, tick=False):
        assert store.rebuild_due() == 2  # never built
        assert store.rebuild_due() == 0  # current
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert store.rebuild_due() == 2
        assert_current(lakemont)


def test_a_change_during_a_build_is_not_lost(lakemont):
    """A change committed while the rules run raises the version after the build
    took it: the rows built are marked stale, and the next read builds again."""
    compute = worklist.compute

    def changing(*args, **kwargs):
        result = compute(*args, **kwargs)
        person = Person.objects.filter(agency=lakemont).first()
        person.role_level = ""
        person.save()
        return result

    with time_machine.travel(NOW, tick=False):
        with mock.patch.object(worklist, "compute", changing):
            store.rebuild(lakemont)
        state = WorklistState.objects.get(agency=lakemont)
        assert state.built_version < state.version
        assert_current(lakemont)


def test_rows_of_other_agencies_are_untouched(lakemont, other_agency):
    with time_machine.travel(NOW, tick=False):
        make_eligible_operator(other_agency, employee_id="O1")
        stored(other_agency)
        other_version = built(other_agency)
        person = Person.objects.filter(agency=lakemont).first()
        person.save()
        assert built(other_agency) == other_version
        assert WorklistState.objects.get(agency=other_agency).is_current(
            other_agency.today()
        )


def test_rebuild_command(lakemont):
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("worklist", "--rebuild", stdout=out)
        assert (
            f"{lakemont.ori}: stored worklist rebuilt as of {TODAY}" in out.getvalue()
        )
        first = WorklistState.objects.get(agency=lakemont).built_at
        call_command("worklist", "--rebuild", "--agency", lakemont.ori, stdout=out)
        assert WorklistState.objects.get(agency=lakemont).built_at >= first
        assert_current(lakemont)


def test_the_command_reads_today_from_the_store_and_computes_another_date(lakemont):
    import json

    with time_machine.travel(NOW, tick=False):
        out = io.StringIO()
        call_command(
            "worklist",
            "--agency",
            lakemont.ori,
            "--format",
            "json",
            "--all",
            stdout=out,
        )
        data = json.loads(out.getvalue())
        result = worklist.compute(lakemont)
        assert data == worklist.as_json(lakemont, result, everyone=True)
        earlier = TODAY - dt.timedelta(days=200)
        out = io.StringIO()
        with mock.patch.object(store, "current_rows", side_effect=AssertionError):
            call_command(
                "worklist",
                "--agency",
                lakemont.ori,
                "--format",
                "json",
                "--as-of",
                earlier.isoformat(),
                stdout=out,
            )
        assert json.loads(out.getvalue())["as_of"] == earlier.isoformat()
