"""The demo agency's agreements, sites, terminals, inspection and documents: what
each is there to show, on the pages the demo ACC opens."""

from __future__ import annotations

import pytest

from accdesk.access.models import User
from accdesk.agreements import rules as agreement_rules
from accdesk.demo import loaders
from accdesk.evidence.models import EvidenceFile
from accdesk.evidence.storage import read
from accdesk.terminals import rules
from accdesk.terminals.models import Inspection, Site, Terminal
from accdesk.testing import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    agency = loaders.load().agency
    return agency, signed_in_client(User.objects.get(email=loaders.DEMO_EMAIL))


def test_the_demo_has_realistic_records_with_generated_pdfs(demo):
    agency, _ = demo
    day = agency.today()
    assert Terminal.objects.filter(agency=agency, status="active").count() == 8
    assert {f.code for f in agreement_rules.agency_findings(agency, day)} == {
        "MCA_MISSING"
    }
    assert [p.employee_id for p, _ in agreement_rules.missing_addenda(agency, day)] == [
        "E3004"
    ]
    assert rules.network_diagram_problem(agency, day) == ""
    dispatch = Site.objects.get(agency=agency, name__startswith="Lakemont Emergency")
    assert rules.inspection_due(dispatch, day).late
    # The agreements' and sites' files (audits and incidents add their own).
    files = EvidenceFile.objects.filter(
        agency=agency, content_type__app_label__in=["agency", "agreements", "terminals"]
    )
    assert files.count() == 6
    assert all(read(agency.ori, f.stored_name)[:4] == b"%PDF" for f in files)


def test_the_demo_pages_open(demo):
    agency, client = demo
    inspection = Inspection.objects.filter(agency=agency).first()
    site = Site.objects.filter(agency=agency).first()
    for path in (
        "",
        "agreements/",
        "agreements/vendors/",
        "agreements/kinds/",
        "sites/",
        f"sites/{site.pk}/",
        "sites/terminals/",
        f"sites/inspections/{inspection.pk}/",
        "sites/documents/",
        "sites/questions/",
        "evidence/",
        "profile/",
    ):
        response = client.get(f"/a/{agency.ori}/{path}")
        assert response.status_code == 200, path
    dashboard = client.get(f"/a/{agency.ori}/").content.decode()
    assert "Sierra CAD Systems: no Management Control Agreement" in dashboard
    assert "Terminal LKM005 can be seen by the public" in dashboard
