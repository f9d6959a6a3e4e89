"""An ACC imports the roster as Excel saved it (issue 10): the page offers a
template, reads a Windows-1252 CSV with US dates, shows each change as old -> new,
and explains in one sentence a file that is not CSV at all."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accdesk.personnel.models import Person
from accdesk.testing import make_person
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROSTER = (
    "employee_id,last_name,first_name,employment_status,hire_date,separation_date,"
    "role_level,administrator,sworn,employer\r\n"
    "E1,Muñoz,Ana,active,1/6/2020,,general,no,yes,agency\r\n"
    "E2,Peña,José,active,02/15/2021,,general,no,yes,agency\r\n"
)


def test_an_acc_imports_a_windows_1252_roster_and_sees_what_changes(
    page, live_server, alice, agency, tmp_path
):
    make_person(agency, employee_id="E1", last_name="Munoz", first_name="Ana")
    sign_in(page, live_server.url, alice)
    page.goto(f"{live_server.url}/a/{agency.ori}/roster/import/roster/")

    with page.expect_download() as download:
        page.locator("#import-template").get_by_role("link", name="CSV").click()
    template = download.value.path().read_bytes().decode("utf-8-sig")
    assert template.startswith("employee_id,last_name,first_name,")

    pdf = tmp_path / "roster.csv"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    page.set_input_files("#id_file", str(pdf))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#import-file-error")).to_have_text(
        "roster.csv: this is not a CSV text file: it is a PDF document. "
        "Nothing was imported."
    )

    page.get_by_role("link", name="Upload another file").click()
    excel = tmp_path / "roster-excel.csv"
    excel.write_bytes(ROSTER.encode("cp1252"))
    page.set_input_files("#id_file", str(excel))
    page.get_by_role("button", name="Upload and preview").click()
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("1 new")
    expect(preview).to_contain_text("1 updated")
    expect(page.locator("#import-changes")).to_contain_text("last_name: Munoz → Muñoz")
    page.get_by_role("button", name=re.compile(r"^Import 2 rows")).click()
    expect(page.locator(".messages")).to_contain_text("1 new, 1 updated")
    assert sorted(Person.objects.values_list("last_name", "first_name")) == [
        ("Muñoz", "Ana"),
        ("Peña", "José"),
    ]
