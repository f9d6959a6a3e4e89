"""The import pages: an index, and upload -> preview -> confirm for each format."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accdesk.personnel.imports import FORMATS
from accdesk.personnel.models import Person, SystemAccount

pytestmark = pytest.mark.django_db

ROSTER = (
    "employee_id,last_name,first_name,employment_status,hire_date,separation_date,"
    "role_level,administrator,sworn,employer\n"
    "E1,Archer,Ann,active,2020-01-06,,general,no,yes,agency\n"
)


def _upload(client, agency, kind, text, name=None):
    upload = SimpleUploadedFile(
        name or f"{kind}.csv", text.encode(), content_type="text/csv"
    )
    return client.post(f"/a/{agency.ori}/roster/import/{kind}/", {"file": upload})


def test_the_index_links_every_format(as_alice, agency):
    response = as_alice.get(f"/a/{agency.ori}/roster/import/")
    assert response.status_code == 200
    for name in FORMATS:
        assert f"/roster/import/{name}/".encode() in response.content


@pytest.mark.parametrize("kind", list(FORMATS))
def test_each_upload_page_shows_its_columns_and_an_example(as_alice, agency, kind):
    response = as_alice.get(f"/a/{agency.ori}/roster/import/{kind}/")
    assert response.status_code == 200
    assert FORMATS[kind].required[0].encode() in response.content
    assert b"<pre" in response.content


def test_it_previews_then_imports_on_confirm(as_alice, agency):
    response = _upload(as_alice, agency, "roster", ROSTER)
    assert response.status_code == 200 and b"1 new" in response.content
    assert not Person.objects.exists()
    response = as_alice.post(
        f"/a/{agency.ori}/roster/import/roster/",
        {"token": response.context["token"], "confirm": "1"},
    )
    assert response["Location"] == f"/a/{agency.ori}/roster/worklist/"
    assert Person.objects.filter(agency=agency, employee_id="E1").exists()


def test_bad_rows_are_shown_and_nothing_is_kept(as_alice, agency):
    text = "operator_id,employee_id,access_level,status,created_date,last_activity_date\nLPD1,E1,root,active,2020-01-01,\n"
    response = _upload(as_alice, agency, "accounts", text)
    assert response.status_code == 400
    assert b"unknown value &#x27;root&#x27;" in response.content
    assert not SystemAccount.objects.exists()


def test_a_wrong_file_type_is_refused(as_alice, agency):
    response = _upload(as_alice, agency, "roster", ROSTER, name="roster.pdf")
    assert response.status_code == 400 and b"is not a CSV or Excel" in response.content


@pytest.mark.parametrize("client", ["as_vera", "as_bob", "as_sam", "as_sue"])
def test_only_the_acc_may_import(request, agency, client):
    response = _upload(request.getfixturevalue(client), agency, "roster", ROSTER)
    assert response.status_code == 403
    assert (
        request.getfixturevalue(client)
        .get(f"/a/{agency.ori}/roster/import/")
        .status_code
        == 403
    )
    assert not Person.objects.exists()


def test_an_outsider_gets_404(as_charlie, agency):
    assert _upload(as_charlie, agency, "roster", ROSTER).status_code == 404
