"""Fixtures of the roster tests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accdesk import testing

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def frozen_today():
    """Freeze the clock at 2026-06-15 late evening in California -- already the
    16th in UTC -- so a date computed in UTC instead of the agency's time zone
    fails. Returns that agency-local date."""
    with time_machine.travel(dt.datetime(2026, 6, 16, 5, tzinfo=dt.UTC), tick=False):
        yield TODAY


@pytest.fixture
def sue(agency):
    """A supervisor linked to roster person S1: sees only the people of S1."""
    return testing.make_member(
        agency, "supervisor", testing.make_user("sue@alpha.test"), employee_id="S1"
    ).user


@pytest.fixture
def as_sue(sue):
    return testing.signed_in_client(sue)


@pytest.fixture
def crew(agency, frozen_today):
    """Three people on 2026-06-15: Ann eligible and Cal to remediate (both
    supervised by S1), Ben separated five days ago with an active account
    (overdue, supervised by S2)."""
    ann, _ = testing.make_eligible_operator(
        agency,
        employee_id="E1",
        first_name="Ann",
        last_name="Archer",
        supervisor_employee_id="S1",
    )
    ben, ben_account = testing.make_eligible_operator(
        agency,
        employee_id="E2",
        first_name="Ben",
        last_name="Baker",
        supervisor_employee_id="S2",
        employment_status="separated",
        separation_date=frozen_today - dt.timedelta(days=5),
    )
    cal, _ = testing.make_eligible_operator(
        agency,
        employee_id="E3",
        first_name="Cal",
        last_name="Cole",
        supervisor_employee_id="S1",
        role_level="privileged",
    )
    cal.signed_forms.all().delete()
    cal.training.update(level="privileged")
    return {"ann": ann, "ben": ben, "ben_account": ben_account, "cal": cal}
