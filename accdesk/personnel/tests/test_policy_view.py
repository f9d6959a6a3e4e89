"""The policy values page, and adding a dated version."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.personnel.models import PolicySetting

pytestmark = pytest.mark.django_db

VERSION = {
    "name": "nextest_recertification",
    "value": "24",
    "effective_from": "2010-01-01",
    "citation": "CA DOJ CLEW proficiency exam: biennial",
    "note": "",
}


def test_it_shows_each_value_with_its_source(as_vera, agency, frozen_today):
    response = as_vera.get(f"/a/{agency.ori}/roster/policy/")
    assert response.status_code == 200
    rows = {
        name: (value, versions) for name, _, value, versions in response.context["rows"]
    }
    assert rows["inactivity"] == (90, [])
    assert b"CJISSECPOL v5.9.5 AC-2(3)" in response.content
    assert b"Add a version" not in response.content


def test_the_acc_adds_a_version_in_force_from_its_date(as_alice, agency, frozen_today):
    response = as_alice.post(f"/a/{agency.ori}/roster/policy/new/", VERSION)
    assert response.status_code == 302
    setting = PolicySetting.objects.get(agency=agency)
    assert (setting.value, setting.effective_from) == (24, dt.date(2010, 1, 1))
    assert ChangeRecord.objects.filter(
        object_type="personnel.policysetting", action="create"
    ).exists()
    rows = {
        name: (value, versions)
        for name, _, value, versions in as_alice.get(
            f"/a/{agency.ori}/roster/policy/"
        ).context["rows"]
    }
    assert rows["nextest_recertification"] == (24, [setting])


def test_two_versions_may_not_start_the_same_day(as_alice, agency, frozen_today):
    as_alice.post(f"/a/{agency.ori}/roster/policy/new/", VERSION)
    response = as_alice.post(
        f"/a/{agency.ori}/roster/policy/new/", {**VERSION, "value": "12"}
    )
    assert response.status_code == 400
    assert "starts that day" in str(response.context["form"].errors)
    assert PolicySetting.objects.count() == 1


def test_a_version_needs_its_citation(as_alice, agency, frozen_today):
    response = as_alice.post(
        f"/a/{agency.ori}/roster/policy/new/", {**VERSION, "citation": ""}
    )
    assert response.status_code == 400 and not PolicySetting.objects.exists()


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam", "as_sue"])
def test_only_the_acc_may_add_a_version(request, agency, client):
    response = request.getfixturevalue(client).post(
        f"/a/{agency.ori}/roster/policy/new/", VERSION
    )
    assert response.status_code == 403


def test_an_outsider_gets_404(as_charlie, agency):
    assert as_charlie.get(f"/a/{agency.ori}/roster/policy/").status_code == 404
