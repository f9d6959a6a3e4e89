"""The upload → preview → confirm pages, with the contacts format of core's tests."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import include, path
from django.utils import timezone

from accdesk.agency.models import Membership
from accdesk.agency.uploads import remove_stale_uploads, upload_dir, upload_view
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


def test_a_file_that_is_not_text_gets_one_sentence(as_alice, agency):
    upload = SimpleUploadedFile("contacts.csv", b"%PDF-1.7\n%\xe2\xe3", "text/csv")
    response = as_alice.post(_url(agency), {"file": upload})
    assert response.status_code == 400
    assert b"contacts.csv: this is not a CSV text file: it is a PDF document." in (
        response.content
    )
    assert b'id="import-errors"' not in response.content
    assert not list(upload_dir().iterdir())


def test_the_page_lists_the_first_200_errors_and_counts_them_all(as_alice, agency):
    text = "name,kind\n" + "".join(f"N{i},boss\n" for i in range(250))
    response = as_alice.post(_url(agency), {"file": _file(text)})
    assert b"250 errors: nothing was imported." in response.content
    assert b"The first 200 are listed" in response.content
    assert response.content.count(b"unknown value &#x27;boss&#x27;") == 200


def test_the_preview_shows_each_change_as_old_and_new(as_alice, agency):
    as_alice.post(
        _url(agency), {"token": _preview(as_alice, agency, "Ann,other,1"), "confirm": 1}
    )
    response = as_alice.post(
        _url(agency), {"file": _file("name,kind,phone\nAnn,other,2\nBen,other,3\n")}
    )
    assert b"1 new" in response.content and b"1 updated" in response.content
    assert "<code>phone</code>: 1 → 2" in response.content.decode()


def _preview(client, agency, row):
    response = client.post(_url(agency), {"file": _file(f"name,kind,phone\n{row}\n")})
    assert response.status_code == 200
    return response.context["token"]


def test_an_upload_removed_after_a_day_cannot_be_confirmed(as_alice, agency):
    token = _preview(as_alice, agency, "Ann,other,1")
    tomorrow = timezone.now() + dt.timedelta(hours=25)
    assert remove_stale_uploads(now=tomorrow) == 1
    response = as_alice.post(
        _url(agency), {"token": token, "confirm": "1"}, follow=True
    )
    assert b"That upload has expired" in response.content
    assert not agency.designations.exists()


def test_pending_uploads_are_private_and_removed_after_24_hours(as_alice, agency):
    _preview(as_alice, agency, "Ann,other,1")
    (fresh,) = upload_dir().iterdir()
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert stat.S_IMODE(upload_dir().stat().st_mode) == 0o700
    old = upload_dir() / "incoming-cut-off.part"
    old.write_bytes(b"half an upload")
    day_ago = time.time() - 24 * 3600 - 60
    os.utime(old, (day_ago, day_ago))
    assert remove_stale_uploads() == 1
    assert list(upload_dir().iterdir()) == [fresh]
    assert remove_stale_uploads(now=timezone.now() + dt.timedelta(hours=24, minutes=1))
    assert list(upload_dir().iterdir()) == []


def test_the_clean_command_removes_stale_uploads(agency):
    stale = upload_dir() / "abc.csv"
    stale.write_text("name,kind\n")
    day_ago = time.time() - 25 * 3600
    os.utime(stale, (day_ago, day_ago))
    (upload_dir() / "new.csv").write_text("name,kind\n")
    out = io.StringIO()
    call_command("uploads", "clean", stdout=out)
    assert out.getvalue() == "Removed 1 pending upload more than 24 hours old.\n"
    assert [p.name for p in upload_dir().iterdir()] == ["new.csv"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_page_offers_templates(as_alice, agency, kind):
    page = as_alice.get(_url(agency))
    assert f'href="?template={kind}"'.encode() in page.content
    response = as_alice.get(_url(agency), {"template": kind})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="contacts-template.{kind}"'
    )


def test_a_file_over_the_limit_is_stopped_while_it_is_received(
    settings, as_alice, agency
):
    settings.MAX_UPLOAD_MB = 0  # the body passes the gate; the file itself does not
    response = as_alice.post(_url(agency), {"file": _file("name,kind\nAnn,other\n")})
    assert response.status_code == 413
    assert b"ACCDESK_MAX_UPLOAD_MB" in response.content
    assert not list(upload_dir().iterdir())
    assert not agency.designations.exists()
