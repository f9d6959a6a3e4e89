"""NexTEST export: new operators who need an account there, as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.testing import make_account, make_certification, make_person

pytestmark = pytest.mark.django_db


def _rows(response):
    return list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    )


def test_it_lists_active_operators_nexTEST_does_not_know(
    as_alice, agency, crew, frozen_today
):
    new = make_person(agency, employee_id="N1", first_name="Nia", last_name="New")
    make_account(
        agency,
        new,
        operator_id="LPD900",
        access_level="ltf",
        created_date=frozen_today - dt.timedelta(days=3),
    )
    tested = make_person(agency, employee_id="N2")
    make_certification(make_account(agency, tested, operator_id="LPD901"))
    make_account(agency, make_person(agency, employee_id="N3"), access_level="none")
    make_account(
        agency,
        make_person(agency, employee_id="N4"),
        status="disabled",
        disabled_date=frozen_today,
    )
    make_account(agency, operator_id="GHOST", employee_id="E404")
    response = as_alice.get(f"/a/{agency.ori}/roster/nextest-new-operators.csv")
    assert _rows(response) == [
        {
            "ori": agency.ori,
            "operator_id": "LPD900",
            "employee_id": "N1",
            "last_name": "New",
            "first_name": "Nia",
            "test": "Less than Full",
            "account_created": "2026-06-12",
        }
    ]
    assert ChangeRecord.objects.filter(event="export", agency_id=agency.pk).exists()


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam", "as_sue"])
def test_only_the_acc_may_export(request, agency, crew, client):
    response = request.getfixturevalue(client).get(
        f"/a/{agency.ori}/roster/nextest-new-operators.csv"
    )
    assert response.status_code == 403


def test_an_outsider_gets_404(as_charlie, agency, crew):
    assert (
        as_charlie.get(f"/a/{agency.ori}/roster/nextest-new-operators.csv").status_code
        == 404
    )


def test_people_separated_today_are_left_out_status_or_passed_date(
    as_alice, agency, frozen_today
):
    """The rules' ``is_separated``: a separation date that has passed leaves the
    person out even when HR left the status ``active``."""
    day = dt.timedelta(days=1)
    for employee_id, status, separation in (
        ("STAYS", "active", None),
        ("LEAVING", "active", frozen_today + day),  # not yet
        ("LEFT", "active", frozen_today - day),
        ("TODAY", "active", frozen_today),
        ("SAYS-SO", "separated", frozen_today + day),
    ):
        person = make_person(
            agency,
            employee_id=employee_id,
            employment_status=status,
            separation_date=separation,
        )
        make_account(agency, person, created_date=frozen_today - 10 * day)
    response = as_alice.get(f"/a/{agency.ori}/roster/nextest-new-operators.csv")
    assert sorted(row["employee_id"] for row in _rows(response)) == [
        "LEAVING",
        "STAYS",
    ]
