"""The rules over the agreements on file (docs/agreements.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.agency.models import Designation
from accdesk.agreements import rules
from accdesk.agreements.models import Agreement
from accdesk.personnel import worklist
from accdesk.personnel.models import Person
from accdesk.testing import (
    make_agreement,
    make_eligible_operator,
    make_person,
    make_vendor,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 15)


def codes(findings):
    return [f.code for f in findings]


def head_since(agency, day, kind=Designation.Kind.AGENCY_HEAD, name="Dana Chief"):
    return Designation.objects.create(
        agency=agency, kind=kind, name=name, starts_on=day
    )


def test_no_subscriber_agreement_in_force_is_a_finding(agency):
    assert codes(rules.subscriber_findings(agency, DAY)) == [
        "SUBSCRIBER_AGREEMENT_MISSING"
    ]
    make_agreement(agency, signed_date=DAY, status="draft")
    make_agreement(agency, signed_date=dt.date(2020, 1, 1), status="superseded")
    assert codes(rules.subscriber_findings(agency, DAY)) == [
        "SUBSCRIBER_AGREEMENT_MISSING"
    ]


def test_one_subscriber_agreement_in_force_is_in_order(agency):
    head_since(agency, dt.date(2024, 1, 1))
    make_agreement(agency, signed_date=dt.date(2024, 1, 1))
    assert rules.subscriber_findings(agency, DAY) == []


def test_two_in_force_are_a_duplicate(agency):
    make_agreement(agency, reference="SA-1", signed_date=dt.date(2024, 1, 1))
    make_agreement(agency, reference="SA-2", signed_date=dt.date(2025, 1, 1))
    (finding,) = rules.subscriber_findings(agency, DAY)
    assert finding.code == "SUBSCRIBER_AGREEMENT_DUPLICATE"
    assert "SA-1, SA-2" in finding.message


def test_an_agreement_past_its_expiry_counts_as_expired_whatever_its_status(agency):
    agreement = make_agreement(agency, expiry_date=DAY - dt.timedelta(days=1))
    assert agreement.status == "in_force"
    assert agreement.status_on(DAY) == "expired"
    assert agreement.status_on(DAY - dt.timedelta(days=1)) == "in_force"
    assert codes(rules.subscriber_findings(agency, DAY)) == [
        "SUBSCRIBER_AGREEMENT_MISSING"
    ]


def test_a_new_agency_head_needs_a_new_hdc_0001(agency):
    make_agreement(agency, reference="SA-1", signed_date=dt.date(2024, 1, 1))
    head_since(agency, dt.date(2024, 1, 1))
    assert rules.subscriber_findings(agency, DAY) == []
    Designation.objects.filter(agency=agency).update(ends_on=dt.date(2026, 3, 1))
    head_since(agency, dt.date(2026, 3, 2), name="Ray New")
    (finding,) = rules.subscriber_findings(agency, DAY)
    assert finding.code == "NEW_HDC_0001_NEEDED"
    assert finding.message.startswith(
        "Signatory no longer agency head: new HDC 0001 needed"
    )
    assert "Ray New agency head since 2026-03-02" in finding.message


def test_a_new_spoc_needs_a_new_hdc_0011(agency):
    assert codes(rules.spoc_findings(agency, DAY)) == ["SPOC_AGREEMENT_MISSING"]
    make_agreement(agency, "hdc_0011", signed_date=dt.date(2024, 1, 1))
    head_since(agency, dt.date(2026, 1, 1), kind=Designation.Kind.SPOC, name="Kim Spoc")
    assert codes(rules.spoc_findings(agency, DAY)) == ["NEW_HDC_0011_NEEDED"]
    make_agreement(agency, "hdc_0011", signed_date=dt.date(2026, 1, 5))
    assert rules.spoc_findings(agency, DAY) == []


def test_each_vendor_needs_the_mca_of_its_kind(agency):
    county = make_vendor(agency, name="County IT", private=False)
    company = make_vendor(agency, name="Acme CAD", private=True)
    make_agreement(agency, "hdc_0004b", vendor=county)  # the wrong form for it
    found = rules.vendor_findings(agency, DAY)
    assert [(f.code, f.vendor.name) for f in found] == [
        ("MCA_MISSING", "Acme CAD"),
        ("MCA_MISSING", "County IT"),
    ]
    assert "HDC 0004A" in found[1].message
    make_agreement(agency, "hdc_0004a", vendor=county)
    make_agreement(agency, "hdc_0004b", vendor=company)
    assert rules.vendor_findings(agency, DAY) == []


def test_a_private_vendor_employee_with_access_needs_an_addendum(agency):
    vendor = make_vendor(agency, name="Brightline Janitorial", private=True)
    make_vendor(agency, name="County IT", private=False)
    needs = make_person(
        agency, employer="BRIGHTLINE janitorial", role_level="unescorted"
    )
    make_person(
        agency, employer="Brightline Janitorial", role_level=""
    )  # no CJI access
    make_person(agency, employer="County IT", role_level="general")  # government vendor
    make_person(
        agency,
        employer="Brightline Janitorial",
        role_level="general",
        employment_status="separated",
    )
    assert rules.missing_addenda(agency, DAY) == [(needs, vendor)]
    make_agreement(
        agency,
        "hdc_0012",
        vendor=vendor,
        employee_id=needs.employee_id,
        expiry_date=DAY + dt.timedelta(days=1),
    )
    assert rules.missing_addenda(agency, DAY) == []
    assert rules.missing_addenda(agency, DAY + dt.timedelta(days=2)) == [
        (needs, vendor)
    ]


def test_only_the_vendors_employees_are_read_for_addenda(agency, monkeypatch):
    """The dashboard, the register and the worklist ask on every read: the roster's
    other people (thousands at a large agency) are left in the database."""
    vendor = make_vendor(agency, name="Ünterwald Services", private=True)
    needs = make_person(agency, employer="ÜNTERWALD SERVICES", role_level="general")
    make_person(
        agency,
        employer="Ünterwald Services",
        role_level="unescorted",
        employment_status="separated",
    )
    for _ in range(20):
        make_person(agency, employer="agency", role_level="general")
    loaded = []
    from_db = Person.from_db.__func__
    monkeypatch.setattr(
        Person,
        "from_db",
        classmethod(lambda cls, *args: loaded.append(1) or from_db(cls, *args)),
    )

    assert rules.missing_addenda(agency, DAY) == [(needs, vendor)]
    assert len(loaded) == 2  # the vendor's two employees


def test_a_missing_addendum_is_on_the_worklist_to_remediate(agency):
    make_vendor(agency, name="Brightline Janitorial", private=True)
    person, _ = make_eligible_operator(agency, employer="Brightline Janitorial")
    (item,) = worklist.compute(agency).items
    assert item.employee_id == person.employee_id
    assert item.status == "remediate"
    assert item.reason_codes == ["ADDENDUM_MISSING"]
    assert "private vendor Brightline Janitorial" in item.reasons[0].detail


def test_expiring_lists_expired_and_soon_expiring_agreements_with_dates(agency):
    make_agreement(agency, reference="PAST", expiry_date=DAY - dt.timedelta(days=3))
    make_agreement(agency, reference="SOON", expiry_date=DAY + dt.timedelta(days=30))
    make_agreement(agency, reference="LATER", expiry_date=DAY + dt.timedelta(days=90))
    make_agreement(agency, reference="FAR", expiry_date=DAY + dt.timedelta(days=91))
    make_agreement(
        agency,
        reference="DONE",
        expiry_date=DAY + dt.timedelta(days=5),
        status="terminated",
    )
    thirty = [(a.reference, state) for a, state in rules.expiring(agency, DAY, 30)]
    assert thirty == [("PAST", "expired"), ("SOON", "expiring")]
    ninety = [a.reference for a, _ in rules.expiring(agency, DAY, 90)]
    assert ninety == ["PAST", "SOON", "LATER"]


def test_the_topic_checklist_says_what_a_user_agreement_covers(agency):
    agreement = make_agreement(agency, topics=["audit", "training"])
    checklist = rules.topic_checklist(agreement)
    assert len(checklist) == 11
    assert {code for code, _, covered in checklist if covered} == {"audit", "training"}
    assert Agreement.objects.get(pk=agreement.pk).kind.user_agreement
