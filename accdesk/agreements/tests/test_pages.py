"""The register, an agreement, vendors and kinds: pages, filters and exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accdesk.agreements.models import Agreement, AgreementKind, Vendor
from accdesk.core.models import ChangeRecord
from accdesk.testing import make_agreement, make_evidence, make_person, make_vendor

pytestmark = pytest.mark.django_db


def url(agency, name, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"ori": agency.ori, **kwargs})


def test_the_register_shows_findings_and_status_today(as_vera, agency):
    today = agency.today()
    make_agreement(agency, reference="SA-OLD", expiry_date=today - dt.timedelta(days=2))
    page = as_vera.get(url(agency, "register")).content.decode()
    assert "SUBSCRIBER_AGREEMENT_MISSING" in page  # the only one has expired
    assert "SA-OLD" in page and "Expired" in page
    assert "New agreement" not in page  # a viewer does not edit


def test_the_register_filters_by_status_today_and_expiry(as_alice, agency):
    today = agency.today()
    make_agreement(agency, reference="PAST", expiry_date=today - dt.timedelta(days=1))
    make_agreement(agency, reference="SOON", expiry_date=today + dt.timedelta(days=20))
    make_agreement(agency, reference="LATER", expiry_date=today + dt.timedelta(days=80))
    make_agreement(agency, reference="OPEN")

    def refs(query):
        response = as_alice.get(url(agency, "register") + "?" + query)
        return sorted(r.reference for r, _ in response.context["rows"])

    assert refs("status=expired") == ["PAST"]
    assert refs("status=in_force") == ["LATER", "OPEN", "SOON"]
    assert refs("due=30") == ["SOON"]
    assert refs("due=90") == ["LATER", "SOON"]
    assert refs("due=expired") == ["PAST"]
    assert refs("q=lat") == ["LATER"]


def test_the_register_downloads_as_csv_that_imports_again(
    as_alice, agency, other_agency, tmp_path
):
    vendor = make_vendor(agency, name="Brightline Janitorial")
    make_agreement(
        agency,
        "hdc_0004b",
        reference="MCA-1",
        vendor=vendor,
        expiry_date=dt.date(2028, 1, 1),
    )
    response = as_alice.get(url(agency, "register") + "?format=csv")
    text = b"".join(response.streaming_content).decode()
    header = text.splitlines()[0]
    assert header.startswith(
        "reference,kind,party,party_ori,vendor,signatory,signatory_title,signed_date,effective_date,expiry_date,status,employee_id"
    )
    assert "MCA-1,hdc_0004b,,,Brightline Janitorial" in text
    assert ChangeRecord.objects.filter(
        event="export", message__contains="agreements register (csv)"
    ).exists()
    path = tmp_path / "export.csv"
    path.write_text(text)
    call_command("import", "agreements", str(path), "--agency", other_agency.ori)
    assert (
        Agreement.objects.get(agency=other_agency, reference="MCA-1").vendor.name
        == "Brightline Janitorial"
    )


def test_the_register_downloads_as_xlsx_and_pdf(as_alice, agency):
    make_agreement(agency, reference="SA-1", topics=["audit"])
    xlsx = as_alice.get(url(agency, "register") + "?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    pdf = as_alice.get(url(agency, "register") + "?format=pdf")
    assert pdf.content[:4] == b"%PDF"
    assert (
        ChangeRecord.objects.filter(event="export", message__contains="(pdf)").count()
        == 1
    )


def test_the_agreement_page_shows_the_topic_checklist_and_evidence(
    as_alice, agency, alice
):
    agreement = make_agreement(agency, reference="SA-1", topics=["audit", "training"])
    make_evidence(agreement, title="Signed HDC 0001", owner=alice)
    page = as_alice.get(url(agency, "detail", pk=agreement.pk)).content.decode()
    assert "Topics of a user agreement" in page
    assert page.count("Not covered") == 9 and page.count(">Covered<") == 2
    assert "Signed HDC 0001" in page and "Add a file" in page


def test_the_acc_adds_and_edits_an_agreement(as_alice, agency):
    kind = AgreementKind.objects.get(agency=None, code="reciprocity")
    data = {
        "reference": "RECIP-1",
        "kind": kind.pk,
        "party": "County DA",
        "party_ori": "",
        "signatory": "Dana",
        "signed_date": "2025-01-01",
        "effective_date": "2025-01-01",
        "expiry_date": "",
        "status": "in_force",
        "topics": ["audit"],
    }
    response = as_alice.post(url(agency, "add"), data)
    assert response.status_code == 400
    assert "needs the other agency&#x27;s ORI" in response.content.decode()
    response = as_alice.post(url(agency, "add"), {**data, "party_ori": "ca0990013"})
    agreement = Agreement.objects.get(agency=agency, reference="RECIP-1")
    assert response["Location"] == url(agency, "detail", pk=agreement.pk)
    assert agreement.party_ori == "CA0990013" and agreement.topics == ["audit"]
    as_alice.post(
        url(agency, "edit", pk=agreement.pk),
        {**data, "party_ori": "CA0990013", "status": "terminated"},
    )
    agreement.refresh_from_db()
    assert agreement.status == "terminated"
    assert ChangeRecord.objects.filter(
        object_type="agreements.agreement", action="update"
    ).exists()


def test_a_viewer_cannot_add_or_import(as_vera, agency):
    assert as_vera.get(url(agency, "add")).status_code == 403
    assert as_vera.get(url(agency, "import")).status_code == 403
    assert as_vera.get(url(agency, "add_vendor")).status_code == 403


def test_the_vendor_page_shows_its_agreements_and_people(as_alice, agency):
    vendor = make_vendor(agency, name="Brightline Janitorial", private=True)
    person = make_person(
        agency, employer="Brightline Janitorial", role_level="unescorted"
    )
    page = as_alice.get(url(agency, "vendor", pk=vendor.pk)).content.decode()
    assert person.name in page and "No HDC 0012" in page
    assert "No Management Control Agreement (HDC 0004B)" in page
    make_agreement(agency, "hdc_0004b", vendor=vendor)
    make_agreement(agency, "hdc_0012", vendor=vendor, employee_id=person.employee_id)
    page = as_alice.get(url(agency, "vendor", pk=vendor.pk)).content.decode()
    assert "No HDC 0012" not in page and "No Management Control Agreement" not in page


def test_the_acc_adds_a_vendor_and_a_kind(as_alice, agency, other_agency):
    as_alice.post(url(agency, "add_vendor"), {"name": "Sierra CAD", "private": "on"})
    assert Vendor.objects.get(agency=agency, name="Sierra CAD").private
    response = as_alice.post(url(agency, "add_vendor"), {"name": "sierra cad"})
    assert "Another vendor has this name." in response.content.decode()
    as_alice.post(
        url(agency, "add_kind"),
        {"code": "mou_cad", "name": "CAD MOU", "citation": "Local"},
    )
    assert AgreementKind.objects.filter(agency=agency, code="mou_cad").exists()
    response = as_alice.post(
        url(agency, "add_kind"), {"code": "hdc_0001", "name": "x", "citation": "y"}
    )
    assert "hdc_0001 is a standard kind already." in response.content.decode()
    standard = AgreementKind.objects.get(agency=None, code="hdc_0001")
    assert as_alice.get(url(agency, "edit_kind", pk=standard.pk)).status_code == 404
    kinds_page = as_alice.get(url(agency, "kinds")).content.decode()
    assert "CAD MOU" in kinds_page and "CLETS Subscriber Agreement" in kinds_page


def test_the_upload_page_previews_then_imports(as_alice, agency):
    csv = (
        b"reference,kind,party,party_ori,vendor,signatory,signatory_title,signed_date,effective_date,expiry_date,status\n"
        b"SA-1,hdc_0001,,,,Dana,Chief,2025-01-01,2025-01-01,,in_force\n"
    )
    upload = io.BytesIO(csv)
    upload.name = "agreements.csv"
    preview = as_alice.post(url(agency, "import"), {"file": upload})
    assert preview.status_code == 200 and not Agreement.objects.exists()
    token = preview.context["token"]
    as_alice.post(url(agency, "import"), {"confirm": "1", "token": token})
    assert Agreement.objects.filter(agency=agency, reference="SA-1").exists()


def test_the_dashboard_panel_lists_findings_and_expiring(as_alice, agency):
    make_agreement(
        agency, reference="MCA-SOON", expiry_date=agency.today() + dt.timedelta(days=10)
    )
    page = as_alice.get(f"/a/{agency.ori}/").content.decode()
    assert 'id="panel-agreements"' in page
    assert "SPOC_AGREEMENT_MISSING" in page and "MCA-SOON" in page
