from __future__ import annotations

import io

import pytest
from django.test import Client

from accdesk import testing
from accdesk.querylogs.models import LogImport
from accdesk.querylogs.tests.conftest import url


def log_file(tmp_path, rows=({},)):
    path = testing.make_querylog(tmp_path / "march.csv", rows)
    return io.BytesIO(path.read_bytes())


def post(client, agency, content, name="march.csv", data=None, **headers):
    content.name = name
    return client.post(
        url("upload", agency), {"file": content, **(data or {})}, **headers
    )


def test_an_acc_imports_a_log_and_sees_its_summary(as_alice, agency, tmp_path):
    response = post(
        as_alice,
        agency,
        log_file(tmp_path, [{}, {"timestamp": "x"}]),
        data={"skip_bad_rows": "on"},
    )
    log = LogImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("import_detail", agency, pk=log.pk)
    page = as_alice.get(response["Location"])
    assert b"1 skipped" in page.content and b"timestamp &#x27;x&#x27;" in page.content


def test_htmx_gets_a_redirect_header(as_sam, agency, tmp_path):
    response = post(as_sam, agency, log_file(tmp_path), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].endswith(f"/imports/{LogImport.objects.get().pk}/")


def test_the_page_shows_progress_script_and_no_inline_script(as_alice, agency):
    page = as_alice.get(url("upload", agency)).content.decode()
    assert "querylogs/upload.js" in page and "hx-encoding" in page
    assert "<script>" not in page


def test_a_file_that_is_not_a_log_is_refused(as_alice, agency):
    response = post(as_alice, agency, io.BytesIO(b"name,age\nx,1\n"))
    assert response.status_code == 400
    assert b"Missing columns" in response.content
    assert not LogImport.objects.exists()


def test_a_file_over_the_limit_is_refused(as_alice, agency, tmp_path, settings):
    settings.QUERYLOG_MAX_UPLOAD_MB = 0
    response = post(as_alice, agency, log_file(tmp_path))
    assert response.status_code == 400
    assert b"larger than this server accepts" in response.content


def test_the_upload_is_checked_for_csrf(alice, agency, tmp_path):
    client = testing.signed_in_client(alice)
    client.handler.enforce_csrf_checks = True
    assert post(client, agency, log_file(tmp_path)).status_code == 403


@pytest.mark.parametrize(
    ("persona", "status"), [("as_vera", 403), ("as_bob", 403), ("as_charlie", 404)]
)
def test_only_acc_and_spoc_import(request, agency, tmp_path, persona, status):
    client: Client = request.getfixturevalue(persona)
    assert post(client, agency, log_file(tmp_path)).status_code == status
    assert not LogImport.objects.exists()


def test_htmx_gets_the_errors_back_in_a_page_it_swaps(as_alice, agency):
    response = post(as_alice, agency, io.BytesIO(b"a,b\n1,2\n"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"Missing columns" in response.content
