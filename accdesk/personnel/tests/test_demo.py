"""The demo roster: every status and reason, idempotent, and the same as its files."""

from __future__ import annotations

import pytest

from accdesk.core.imports import run_import
from accdesk.demo import loaders
from accdesk.personnel import demo, worklist
from accdesk.personnel.eligibility import REASONS, STATUSES
from accdesk.personnel.imports import FORMATS
from accdesk.personnel.models import Person, SystemAccount
from accdesk.testing import make_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_agency(frozen_today):
    return loaders.load().agency


def test_every_status_and_reason_appears(demo_agency):
    result = worklist.compute(demo_agency)
    assert all(result.counts_by_status()[s] > 0 for s in STATUSES)
    assert [code for code, n in result.counts_by_reason().items() if n == 0] == []
    assert {i.note for i in result.items} == {"", "still active in CLETS"}
    assert len(REASONS) == len(result.counts_by_reason())


def test_loading_again_changes_nothing(demo_agency):
    people = Person.objects.filter(agency=demo_agency).count()
    loaders.load()
    assert Person.objects.filter(agency=demo_agency).count() == people


def test_it_adds_a_supervisor_who_sees_their_people(demo_agency):
    membership = demo_agency.memberships.get(user__email=demo.SUPERVISOR_EMAIL)
    assert membership.role == "supervisor"
    supervised = Person.objects.filter(
        agency=demo_agency, supervisor_employee_id=membership.employee_id
    )
    assert 3 <= supervised.count() < Person.objects.filter(agency=demo_agency).count()


def test_the_demo_files_import_cleanly_and_give_the_same_worklist(
    demo_agency, tmp_path, frozen_today
):
    paths = demo.write_files(tmp_path, frozen_today)
    assert [p.name for p in paths] == [f"{kind}.csv" for kind in FORMATS]
    fresh = make_agency()
    for path in paths:
        result = run_import(FORMATS[path.stem], path, path.name, fresh)
        assert result.ok, result.errors
    assert SystemAccount.objects.filter(agency=fresh).count() == (
        SystemAccount.objects.filter(agency=demo_agency).count()
    )
    # load() adds a revocation and a reopened deactivation on top of the files,
    # and the incidents' demo an IR-team member never trained (E1006) and an
    # officer to retrain after an incident (E1005).
    files_only = {i.employee_id: i.status for i in worklist.compute(fresh).items}
    loaded = {i.employee_id: i.status for i in worklist.compute(demo_agency).items}
    changed = {k for k in loaded if loaded[k] != files_only[k]}
    assert changed == {"E2003", "E1005", "E1006"}
