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
    # Issue 12: the historical 24 months needs a reason.
    "note": "Certifications taken while recertification was biennial",
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


# -- issue 12 §1.10: bounded settings ---------------------------------------------------


def _add(client, agency, **changes):
    data = {**VERSION, "effective_from": "2026-01-01", **changes}
    return client.post(f"/a/{agency.ori}/roster/policy/new/", data)


@pytest.mark.parametrize(
    ("name", "allowed", "refused", "citation"),
    [
        ("inactivity", "90", "91", "AC-2(3)"),
        ("training_interval", "12", "13", "AT-2"),
        ("nextest_recertification", "11", "13", "SFPD DN 24-096"),
        ("disable_within", "7", "8", "AC-2(3)"),
        ("separation_notice", "1", "2", "AC-2(h)"),
        ("reinvestigation", "5", "6", "§5.12.1"),
        ("nextest_pass_mark", "70", "69", "70 %"),
        ("new_operator_window_months", "6", "7", "§3.2.7"),
        ("training_before_access_from", "2022-12-01", "2022-12-02", "v5.9.2"),
    ],
)
def test_a_value_may_tighten_but_never_loosen_past_the_policy(
    as_alice, agency, frozen_today, name, allowed, refused, citation
):
    response = _add(as_alice, agency, name=name, value=refused)
    assert response.status_code == 400
    assert citation in str(response.context["form"].errors["value"])
    assert not PolicySetting.objects.exists()
    assert _add(as_alice, agency, name=name, value=allowed).status_code == 302
    assert PolicySetting.objects.get().name == name


def test_the_expiring_window_is_free(as_alice, agency, frozen_today):
    response = _add(as_alice, agency, name="expiring_window", value="120")
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["training_interval", "nextest_recertification"])
def test_the_historical_24_months_needs_a_reason(as_alice, agency, frozen_today, name):
    response = _add(as_alice, agency, name=name, value="24", note="")
    assert response.status_code == 400
    assert "reason" in str(response.context["form"].errors["value"])
    response = _add(as_alice, agency, name=name, value="24", note="Biennial until 2024")
    assert response.status_code == 302


def test_the_superseded_grace_in_days_takes_no_new_version(
    as_alice, agency, frozen_today
):
    response = _add(as_alice, agency, name="new_operator_grace", value="90")
    assert response.status_code == 400 and not PolicySetting.objects.exists()


def test_a_version_is_dated_recorded_and_shown_with_its_unit(
    as_alice, agency, frozen_today
):
    _add(as_alice, agency, name="training_before_access_from", value="2022-06-01")
    setting = PolicySetting.objects.get()
    assert setting.value == 20220601
    assert ChangeRecord.objects.filter(
        object_type="personnel.policysetting", action="create"
    ).exists()
    html = as_alice.get(f"/a/{agency.ori}/roster/policy/").content.decode()
    assert "2022-06-01 from Jan 1, 2026" in html
    assert "70 %" in html
