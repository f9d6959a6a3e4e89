"""Every upload page decides who may upload, and how much, before the body is read
(issue 11 item 8): a viewer's, an outsider's or an anonymous 8 MiB upload is
refused without a byte of it being read or stored -- even though the request
carries a valid CSRF token, and CsrfViewMiddleware would read the whole body.

The requests go through Django's real handler with CSRF checks on, from a body
stream that counts what is read from it.
"""

from __future__ import annotations

import io
import os
import stat

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, ClientHandler, RequestFactory, encode_multipart
from django.urls import reverse
from django.utils.crypto import get_random_string

from accdesk.agency.uploads import upload_dir
from accdesk.testing import signed_in_client

pytestmark = pytest.mark.django_db

UPLOAD_PAGES = [
    "roster:import_roster",
    "roster:import_accounts",
    "releaselogs:import",
    "investigations:import",
    "agreements:import",
    "terminals:import",
    "querylogs:upload",
    "evidence:add",
]
ROSTER = (
    b"employee_id,last_name,first_name,employment_status,hire_date,separation_date,"
    b"role_level,administrator,sworn,employer\n"
    b"E1,Mu\xc3\xb1oz,Ann,active,01/06/2020,,general,no,yes,agency\n"
)
BIG = 8 * 1024 * 1024


class CountingBody(io.BytesIO):
    """``wsgi.input`` that remembers how many bytes the server read."""

    consumed = 0

    def read(self, size=-1):
        data = super().read(size)
        self.consumed += len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.consumed += len(data)
        return data


def _post(client, path, content: bytes, filename="roster.csv", **headers):
    """POST a multipart body with a valid CSRF token, as a browser would."""
    secret = get_random_string(32)
    body = encode_multipart(
        BOUNDARY,
        {
            "csrfmiddlewaretoken": secret,
            "file": SimpleUploadedFile(filename, content, content_type="text/csv"),
        },
    )
    stream = CountingBody(body)
    cookies = {settings.CSRF_COOKIE_NAME: secret}
    if client is not None:
        cookies.update({name: c.value for name, c in client.cookies.items()})
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="POST",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(len(body)),
        HTTP_COOKIE="; ".join(f"{k}={v}" for k, v in cookies.items()),
        **{"wsgi.input": stream},
        **headers,
    )
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    return response, stream, len(body)


@pytest.fixture(autouse=True)
def _temp_dir(settings, tmp_path):
    """Django's own upload handlers would write big files here."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "system-tmp")
    os.mkdir(settings.FILE_UPLOAD_TEMP_DIR)


def _stored_files(settings) -> list[str]:
    found = []
    for folder, _, files in os.walk(settings.DATA_DIR):
        found += [os.path.join(folder, f) for f in files if "keys" not in folder]
    return found + os.listdir(settings.FILE_UPLOAD_TEMP_DIR)


def _url(name, agency):
    kwargs = {"ori": agency.ori}
    if name == "evidence:add":  # evidence on the agency's own record
        kwargs.update(app_label="agency", model_name="agency", pk=agency.pk)
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", UPLOAD_PAGES)
@pytest.mark.parametrize(("persona", "status"), [("vera", 403), ("charlie", 404)])
def test_a_member_without_the_role_or_an_outsider_is_refused_before_the_body(
    request, settings, agency, name, persona, status
):
    client = signed_in_client(request.getfixturevalue(persona))
    response, body, size = _post(client, _url(name, agency), b"x" * BIG)
    assert response.status_code == status
    assert b"CSRF verification failed" not in response.content  # the gate refused
    assert body.consumed == 0 < size
    assert _stored_files(settings) == []


@pytest.mark.parametrize("name", UPLOAD_PAGES)
def test_an_anonymous_upload_goes_to_sign_in_unread(settings, agency, name):
    response, body, _ = _post(None, _url(name, agency), b"x" * BIG)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:signin"))
    assert body.consumed == 0
    assert _stored_files(settings) == []


def test_a_body_over_the_limit_is_refused_unread_naming_the_setting(
    settings, alice, agency
):
    settings.MAX_UPLOAD_MB = 1
    response, body, _ = _post(
        signed_in_client(alice), _url("roster:import_roster", agency), b"x" * (2 << 20)
    )
    assert response.status_code == 413
    assert b"ACCDESK_MAX_UPLOAD_MB" in response.content
    assert body.consumed == 0
    assert _stored_files(settings) == []


def test_a_query_log_has_its_own_larger_limit(settings, alice, agency):
    settings.MAX_UPLOAD_MB = 1
    settings.QUERYLOG_MAX_UPLOAD_MB = 1
    response, body, _ = _post(
        signed_in_client(alice), _url("querylogs:upload", agency), b"x" * (2 << 20)
    )
    assert response.status_code == 413
    assert b"ACCDESK_QUERYLOG_MAX_UPLOAD_MB" in response.content
    assert body.consumed == 0


def test_an_htmx_upload_over_the_limit_gets_its_refusal_in_place_of_the_page(
    settings, alice, agency
):
    settings.QUERYLOG_MAX_UPLOAD_MB = 1
    response, body, _ = _post(
        signed_in_client(alice),
        _url("querylogs:upload", agency),
        b"x" * (2 << 20),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("main", "outerHTML")
    assert b"ACCDESK_QUERYLOG_MAX_UPLOAD_MB" in response.content
    assert body.consumed == 0


def test_the_acc_uploads_through_the_same_path_into_a_private_folder(
    settings, alice, agency
):
    response, body, size = _post(
        signed_in_client(alice), _url("roster:import_roster", agency), ROSTER
    )
    assert response.status_code == 200, response.content
    assert b"1 new" in response.content
    assert body.consumed == size
    (stored,) = upload_dir().iterdir()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(upload_dir().stat().st_mode) == 0o700
    assert os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []


def test_an_upload_without_a_csrf_token_is_still_refused_and_leaves_nothing(
    settings, alice, agency
):
    client = signed_in_client(alice)
    client.handler.enforce_csrf_checks = True
    upload = SimpleUploadedFile("roster.csv", ROSTER, content_type="text/csv")
    response = client.post(_url("roster:import_roster", agency), {"file": upload})
    assert response.status_code == 403
    assert list(upload_dir().iterdir()) == []
