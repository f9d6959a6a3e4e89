"""The upload page of the misuse-case import (upload -> preview -> confirm)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accdesk.investigations.models import MisuseCase
from accdesk.testing import make_misuse_case

pytestmark = pytest.mark.django_db
HEADER = (
    "case_number,opened_date,closed_date,subject_employee_id,source,systems,"
    "allegation,finding,action,referred_for_prosecution\n"
)


@pytest.fixture
def url(agency):
    return reverse("investigations:import", kwargs={"ori": agency.ori})


def _file(text):
    return SimpleUploadedFile("cases.csv", text.encode(), content_type="text/csv")


def test_it_shows_the_format_with_an_example(as_alice, url):
    response = as_alice.get(url)
    assert b"Misuse investigations" in response.content
    assert b"IA-2025-001,2025-02-10" in response.content


def test_it_previews_then_imports(as_alice, url, agency):
    response = as_alice.post(
        url, {"file": _file(HEADER + "IA-1,2025-01-05,,,audit,CLETS,x,,,\n")}
    )
    assert response.status_code == 200 and b"1 new" in response.content
    assert not MisuseCase.objects.exists()
    response = as_alice.post(url, {"token": response.context["token"], "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "investigations:list", kwargs={"ori": agency.ori}
    )
    assert MisuseCase.objects.get().case_number == "IA-1"


def test_it_lists_row_errors_and_imports_nothing(as_alice, url):
    response = as_alice.post(
        url, {"file": _file(HEADER + "IA-1,2025-01-05,,,audit,,x,,,\n")}
    )
    assert response.status_code == 400
    assert b"name at least one system" in response.content
    assert b'name="confirm"' not in response.content
    assert not MisuseCase.objects.exists()


def test_the_page_refuses_to_reopen_a_case_of_an_earlier_year(as_alice, url, agency):
    make_misuse_case(
        agency,
        case_number="IA-1",
        opened_on=dt.date(2024, 10, 1),
        closed_on=dt.date(2024, 11, 2),
        finding="unfounded",
        action="none",
    )
    response = as_alice.post(
        url, {"file": _file(HEADER + "IA-1,2024-10-01,,,audit,CLETS,x,,,\n")}
    )
    assert response.status_code == 400
    assert b"it cannot be reopened" in response.content
    assert b'name="confirm"' not in response.content
    assert not MisuseCase.objects.get().is_open
