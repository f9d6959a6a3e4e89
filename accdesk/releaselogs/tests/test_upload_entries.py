"""The import page: /a/<ori>/releases/import/ (upload, preview, confirm)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accdesk.releaselogs.models import ReleaseLogEntry
from accdesk.releaselogs.tests.test_importer import HEADER, ROW_1, ROW_2

pytestmark = pytest.mark.django_db


def url(agency):
    return f"/a/{agency.ori}/releases/import/"


def upload(text):
    return SimpleUploadedFile("old-log.csv", text.encode(), content_type="text/csv")


def test_it_previews_then_appends_on_confirm(as_alice, agency):
    response = as_alice.post(url(agency), {"file": upload(HEADER + ROW_1 + ROW_2)})
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "2 new" in content
        and "#1: 2024-05-01 09:00 to Bravo County Probation" in content
    )
    assert not ReleaseLogEntry.objects.exists()
    token = response.context["token"]
    response = as_alice.post(url(agency), {"token": token, "confirm": "1"})
    assert response.status_code == 302 and response.url == f"/a/{agency.ori}/releases/"
    assert ReleaseLogEntry.objects.filter(agency=agency).count() == 2


def test_bad_rows_are_listed_and_nothing_is_written(as_alice, agency):
    text = HEADER + ROW_1 + ROW_2.replace("In Person", "carrier")
    response = as_alice.post(url(agency), {"file": upload(text)})
    assert response.status_code == 400
    assert "unknown value &#x27;carrier&#x27;" in response.content.decode()
    assert not ReleaseLogEntry.objects.exists()


@pytest.mark.parametrize("client", ["as_sam", "as_vera", "as_bob"])
def test_only_the_acc_imports(request, agency, client):
    response = request.getfixturevalue(client).post(
        url(agency), {"file": upload(HEADER + ROW_1)}
    )
    assert response.status_code == 403


def test_an_outsider_gets_404(as_charlie, agency):
    assert as_charlie.get(url(agency)).status_code == 404
