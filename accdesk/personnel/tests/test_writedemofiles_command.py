"""``accdesk writedemofiles DIR [--as-of]``."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from accdesk.personnel.imports import FORMATS


def test_it_writes_the_six_files_dated_from_the_given_day(tmp_path):
    out = io.StringIO()
    call_command(
        "writedemofiles", str(tmp_path / "demo"), "--as-of", "2026-06-15", stdout=out
    )
    written = out.getvalue().split()
    assert [p.rsplit("/", 1)[-1] for p in written] == [f"{k}.csv" for k in FORMATS]
    with (tmp_path / "demo" / "roster.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert set(FORMATS["roster"].required) <= set(rows[0])
    separated = next(r for r in rows if r["employee_id"] == "E2002")
    assert separated["separation_date"] == "2026-06-15"  # separated "today"


def test_it_refuses_a_bad_date(tmp_path):
    with pytest.raises(CommandError, match="is not a date"):
        call_command("writedemofiles", str(tmp_path), "--as-of", "June")
