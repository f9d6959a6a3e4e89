"""The upload → preview → confirm pages, with the contacts format of core's tests."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path

from accdesk.agency.models import Membership
from accdesk.agency.uploads import upload_dir, upload_view
from accdesk.core.tests.test_imports import CONTACTS

pytestmark = pytest.mark.django_db

urlpatterns = [
    path("", include("accdesk.urls")),
    path(
        "a/<ori:ori>/upload/",
        upload_view(CONTACTS, action="agency.edit", done="agency:profile"),
        name="upload",
    ),
]


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = __name__


def _url(agency):
    return f"/a/{agency.ori}/upload/"


def _file(text, name="contacts.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_it_previews_then_imports_on_confirm(as_alice, agency):
    response = as_alice.post(_url(agency), {"file": _file("name,kind\nAnn,other\n")})
    assert response.status_code == 200
    assert b"1 new" in response.content
    assert not agency.designations.exists()
    token = response.context["token"]
    response = as_alice.post(_url(agency), {"token": token, "confirm": "1"})
    assert response.status_code == 302
    assert list(agency.designations.values_list("name", flat=True)) == ["Ann"]
    assert not list(upload_dir().iterdir())


def test_it_shows_row_errors_and_keeps_nothing(as_alice, agency):
    response = as_alice.post(_url(agency), {"file": _file("name,kind\nAnn,boss\n")})
    assert response.status_code == 400
    assert b"unknown value" in response.content
    assert b'name="confirm"' not in response.content
    assert not list(upload_dir().iterdir())


def test_it_refuses_a_token_from_another_session(as_alice, as_charlie, agency, charlie):
    response = as_alice.post(_url(agency), {"file": _file("name,kind\nAnn,other\n")})
    token = response.context["token"]
    Membership.objects.create(user=charlie, agency=agency, role="acc")
    response = as_charlie.post(_url(agency), {"token": token, "confirm": "1"})
    assert response.status_code == 302
    assert not agency.designations.exists()


def test_a_viewer_cannot_upload(as_vera, agency):
    response = as_vera.post(_url(agency), {"file": _file("name,kind\nAnn,other\n")})
    assert response.status_code == 403
