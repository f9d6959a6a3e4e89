"""Rules over sites, terminals, physical records and documents (docs/sites.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.personnel import worklist
from accdesk.terminals import inventory, rules
from accdesk.terminals.models import KeyHolding, PhysicalReview, SystemDocument
from accdesk.testing import (
    make_eligible_operator,
    make_inspection,
    make_person,
    make_site,
    make_terminal,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 15)


def test_a_site_never_inspected_or_inspected_over_a_year_ago_is_flagged(agency):
    site = make_site(agency)
    due = rules.inspection_due(site, DAY)
    assert due.late and due.last is None
    make_inspection(
        site, inspected_on=dt.date(2025, 6, 14), signed_off_on=dt.date(2025, 6, 14)
    )
    assert rules.inspection_due(site, DAY).late
    assert rules.inspection_due(site, DAY).due == dt.date(2026, 6, 14)
    make_inspection(
        site, inspected_on=dt.date(2025, 6, 15), signed_off_on=dt.date(2025, 6, 16)
    )
    assert not rules.inspection_due(site, DAY).late


def test_an_inspection_not_signed_off_does_not_count(agency):
    site = make_site(agency)
    make_inspection(site, inspected_on=dt.date(2026, 6, 1))
    assert rules.inspection_due(site, DAY).last is None


def test_visitor_and_access_logs_are_reviewed_quarterly_lists_and_keys_yearly(agency):
    site = make_site(agency)
    for kind, day in (
        ("visitor_log", dt.date(2026, 3, 15)),
        ("access_log", dt.date(2026, 3, 14)),
        ("access_list", dt.date(2025, 6, 15)),
        ("key_inventory", dt.date(2025, 6, 14)),
    ):
        PhysicalReview.objects.create(
            agency=agency, site=site, kind=kind, reviewed_on=day, reviewed_by="x"
        )
    dues = {d.what: d.late for d in rules.site_dues(site, DAY)[1:]}
    assert dues == {
        "Facility access list (PE-2)": False,
        "Visitor log (PE-8)": False,
        "Physical access log (PE-6)": True,
        "Key and combination inventory (PE-3)": True,
    }


def test_a_site_without_a_visitor_log_has_no_visitor_log_review(agency):
    site = make_site(agency, visitor_log=False)
    assert "Visitor log (PE-8)" not in [d.what for d in rules.site_dues(site, DAY)]


def test_the_network_diagram_is_required_and_reviewed_within_12_months(agency, alice):
    assert rules.network_diagram_problem(agency, DAY) == "No network diagram on file."
    diagram = SystemDocument.objects.create(
        agency=agency,
        kind="network_diagram",
        title="Diagram",
        effective_date=dt.date(2025, 6, 14),
        owner=alice,
    )
    assert diagram.next_review_date == dt.date(2026, 6, 14)  # a year by default
    assert "last reviewed on 2025-06-14" in rules.network_diagram_problem(agency, DAY)
    diagram.reviewed_on = dt.date(2025, 6, 15)
    diagram.save()
    assert rules.network_diagram_problem(agency, DAY) == ""


def test_the_inventory_tells_which_terminals_were_in_service_on_a_date(agency):
    assert inventory.inventory(agency) == {}
    make_terminal(agency, terminal="lkm001")
    make_terminal(agency, terminal="LKM009", retired_date=dt.date(2026, 3, 1))
    assert inventory.in_service_on(agency, dt.date(2026, 2, 28)) == {"LKM001", "LKM009"}
    assert inventory.in_service_on(agency, dt.date(2026, 3, 1)) == {"LKM001"}
    terminals = inventory.inventory(agency)
    assert inventory.known_on(terminals, "lkm009", dt.date(2026, 2, 28))
    assert not inventory.known_on(terminals, "LKM009", dt.date(2026, 3, 1))
    assert not inventory.known_on(terminals, "LKM777", dt.date(2026, 3, 1))


def test_a_separated_key_holder_is_on_the_worklist(agency):
    site = make_site(agency)
    person, _ = make_eligible_operator(agency)
    left = make_person(
        agency, employment_status="separated", separation_date=dt.date(2026, 1, 10)
    )
    returned = make_person(
        agency, employment_status="separated", separation_date=dt.date(2026, 1, 10)
    )
    KeyHolding.objects.create(
        agency=agency,
        person=person,
        site=site,
        label="Door #1",
        issued_on=dt.date(2024, 1, 1),
    )
    KeyHolding.objects.create(
        agency=agency,
        person=left,
        site=site,
        label="Safe",
        kind="combination",
        issued_on=dt.date(2024, 1, 1),
    )
    KeyHolding.objects.create(
        agency=agency,
        person=returned,
        site=site,
        label="Door #2",
        issued_on=dt.date(2024, 1, 1),
        returned_on=dt.date(2026, 1, 10),
    )
    assert [h.person for h in rules.keys_not_returned(agency, DAY)] == [left]
    items = {i.employee_id: i for i in worklist.compute(agency, DAY).items}
    assert items[left.employee_id].reason_codes == ["KEY_NOT_RETURNED"]
    assert items[left.employee_id].status == "remediate"
    assert (
        "combination “Safe” issued 2024-01-01"
        in items[left.employee_id].reasons[0].detail
    )
    assert "KEY_NOT_RETURNED" not in items[person.employee_id].reason_codes
    assert "KEY_NOT_RETURNED" not in items[returned.employee_id].reason_codes
