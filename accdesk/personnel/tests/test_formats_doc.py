"""Every import format is documented in docs/formats.md with an example that
imports cleanly (so the examples cannot drift from the code)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from accdesk.personnel.imports import FORMATS
from accdesk.testing import make_person

from .files import errors, run

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[3] / "docs" / "formats.md"


def _example(kind: str) -> str:
    text = DOC.read_text()
    section = re.search(rf"### `{kind}` .*?```csv\n(.*?)```", text, re.S)
    assert section, f"docs/formats.md has no example for {kind}"
    return section.group(1)


@pytest.mark.parametrize("kind", list(FORMATS))
def test_the_documented_example_imports(agency, kind):
    example = _example(kind)
    rows = list(csv.DictReader(io.StringIO(example)))
    if kind in ("training", "background", "forms"):
        for employee_id in {row["employee_id"] for row in rows}:
            make_person(agency, employee_id=employee_id)
    result = run(kind, agency, example)
    assert result.ok, errors(result)
    assert result.created == len(rows)


@pytest.mark.parametrize("kind", list(FORMATS))
def test_every_required_column_is_documented(kind):
    header = _example(kind).splitlines()[0].split(",")
    assert set(FORMATS[kind].required) <= set(header)
