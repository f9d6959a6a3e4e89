"""Every upload page offers a template -- the header row and one example row -- as
CSV and as .xlsx (issue 10), and each template imports cleanly as it is."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from accdesk.agreements.imports import AGREEMENTS
from accdesk.core.imports import run_import
from accdesk.investigations.imports import MISUSE_CASES
from accdesk.personnel.imports import FORMATS
from accdesk.releaselogs.importer import RELEASE_LOG
from accdesk.terminals.imports import TERMINALS
from accdesk.testing import make_person

pytestmark = pytest.mark.django_db

PAGES = [(f"roster:import_{name}", fmt) for name, fmt in FORMATS.items()] + [
    ("releaselogs:import", RELEASE_LOG),
    ("investigations:import", MISUSE_CASES),
    ("agreements:import", AGREEMENTS),
    ("terminals:import", TERMINALS),
]


@pytest.mark.parametrize(("page", "fmt"), PAGES, ids=[p for p, _ in PAGES])
def test_every_format_has_an_example_for_each_of_its_columns(page, fmt):
    assert set(fmt.example) == {*fmt.required, *fmt.optional}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(("page", "fmt"), PAGES, ids=[p for p, _ in PAGES])
def test_each_upload_page_offers_a_template_that_imports(
    as_alice, agency, page, fmt, kind
):
    url = reverse(page, kwargs={"ori": agency.ori})
    assert f'href="?template={kind}"'.encode() in as_alice.get(url).content
    response = as_alice.get(url, {"template": kind})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-template.{kind}"')
    for employee_id in ("E1004", "E1042"):  # the people the examples name
        make_person(agency, employee_id=employee_id)
    result = run_import(
        fmt, io.BytesIO(response.content), f"template.{kind}", agency, dry_run=True
    )
    assert result.ok, [str(e) for e in result.errors]
    assert result.rows == 1 and result.created + result.updated == 1
