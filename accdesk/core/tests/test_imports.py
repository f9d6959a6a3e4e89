"""The import engine, exercised with a small contacts format defined here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import io

import pytest
from django.core.management.base import CommandError, OutputWrapper
from openpyxl import load_workbook

from accdesk.agency.models import Designation
from accdesk.core.imports import (
    ImportAborted,
    ImportFormat,
    describe_change,
    print_result,
    run_import,
    template_csv,
    template_xlsx,
    upsert,
)
from accdesk.core.models import ChangeRecord
from accdesk.lib.tabular import Cells, parse_choice, parse_text

pytestmark = pytest.mark.django_db
KINDS = {"other": "other", "contact": "other", "acc": "acc"}


def _parse(raw):
    return {
        "name": parse_text(raw, "name"),
        "kind": parse_choice(raw, "kind", KINDS),
        "phone": raw["phone"],
        "starts_on": dt.date(2020, 1, 1),
    }


def _apply(agency, rows, result):
    upsert(
        Designation,
        agency,
        rows,
        result,
        key=("name",),
        fields=("kind", "phone", "starts_on"),
    )


CONTACTS = ImportFormat(
    "contacts", "Contacts", ("name", "kind"), ("phone",), ("name",), _parse, _apply
)


def _import(agency, text, **kwargs):
    return run_import(
        CONTACTS, io.BytesIO(text.encode()), "contacts.csv", agency, **kwargs
    )


def test_it_creates_records_and_records_the_changes(agency):
    result = _import(agency, "name,kind,phone\nAnn,contact,1\nBen,other,2\n")
    assert result.ok and result.applied
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert set(agency.designations.values_list("name", flat=True)) == {"Ann", "Ben"}
    creates = ChangeRecord.objects.filter(
        object_type="agency.designation", action="create", agency_id=agency.pk
    )
    assert creates.count() == 2
    assert ChangeRecord.objects.filter(event="import.contacts").count() == 1


def test_importing_the_same_file_again_changes_nothing(agency):
    text = "name,kind,phone\nAnn,contact,1\n"
    _import(agency, text)
    before = ChangeRecord.objects.filter(action="update").count()
    result = _import(agency, text)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert ChangeRecord.objects.filter(action="update").count() == before


def test_it_updates_changed_fields_only(agency):
    _import(agency, "name,kind,phone\nAnn,contact,1\n")
    result = _import(agency, "name,kind,phone\nAnn,contact,9\n")
    assert result.updated == 1
    assert result.changes[0].fields == ("phone",)
    record = ChangeRecord.objects.get(action="update", object_type="agency.designation")
    assert record.changes == {"phone": ["1", "9"]}


def test_one_bad_row_writes_nothing_and_names_row_and_column(agency):
    result = _import(agency, "name,kind,phone\nAnn,contact,1\nBen,boss,2\n,other,3\n")
    assert not result.ok and not result.applied
    assert [str(e) for e in result.errors] == [
        "row 2 (line 3), column 'kind': unknown value 'boss'; expected one of: acc, other",
        "row 3 (line 4), column 'name': a value is required",
    ]
    assert not agency.designations.exists()
    assert not ChangeRecord.objects.filter(object_type="agency.designation").exists()


def test_a_key_twice_in_one_file_is_an_error(agency):
    result = _import(agency, "name,kind\nAnn,other\nAnn,other\n")
    assert [str(e) for e in result.errors] == [
        "row 2 (line 3): the same record (name=Ann) is already in row 1"
    ]
    assert not agency.designations.exists()


def test_a_dry_run_reports_but_writes_nothing(agency):
    result = _import(agency, "name,kind\nAnn,other\n", dry_run=True)
    assert result.created == 1 and not result.applied
    assert not agency.designations.exists()
    assert result.summary().startswith("Would import 1 row(s)")


def test_a_missing_column_is_reported_for_the_file(agency):
    result = _import(agency, "name,phone\nAnn,1\n")
    assert [str(e) for e in result.errors] == [
        "Missing column: kind. The header must have: name, kind."
    ]


def test_a_header_without_rows_is_an_error(agency):
    assert not _import(agency, "name,kind\n").ok


def test_control_characters_are_refused_in_any_column(agency):
    result = _import(agency, "name,kind,phone\nAnn,other,12\x0034\n")
    assert [str(e) for e in result.errors] == [
        "row 1 (line 2), column 'phone': contains control characters"
    ]


def test_an_aborted_apply_rolls_back_and_reports_the_file(agency):
    def apply(agency, rows, result):
        _apply(agency, rows, result)
        raise ImportAborted("The release-log key is missing.")

    fmt = ImportFormat(
        "contacts", "Contacts", ("name", "kind"), ("phone",), ("name",), _parse, apply
    )
    result = run_import(fmt, io.BytesIO(b"name,kind\nAnn,other\n"), "c.csv", agency)
    assert [str(e) for e in result.errors] == ["The release-log key is missing."]
    assert not result.applied
    assert not agency.designations.exists()


def test_a_value_the_database_refuses_is_an_error_not_a_crash(agency):
    def parse(raw):
        return {**_parse(raw), "name": raw["name"] * 200}  # longer than the column

    fmt = ImportFormat(
        "contacts", "Contacts", ("name", "kind"), ("phone",), ("name",), parse, _apply
    )
    result = run_import(fmt, io.BytesIO(b"name,kind\nAnn,other\n"), "c.csv", agency)
    if result.ok:  # SQLite does not enforce VARCHAR lengths
        pytest.skip("this database stores over-long strings")
    assert result.errors[0].message.startswith("The database refused the data")
    assert not agency.designations.exists()


def test_an_absent_optional_column_leaves_stored_values_alone(agency):
    _import(agency, "name,kind,phone\nAnn,other,555\n")
    result = _import(agency, "name,kind\nAnn,other\nBen,other\n")
    assert (result.created, result.unchanged) == (1, 1)
    assert agency.designations.get(name="Ann").phone == "555"
    # a blank cell in a column that is there does clear it
    _import(agency, "name,kind,phone\nAnn,other,\n")
    assert agency.designations.get(name="Ann").phone == ""


# -- every error, and what changes (issue 10) ------------------------------------------


def _parse_all(raw):
    cells = Cells(raw)
    values = {
        "name": cells(parse_text, "name"),
        "kind": cells(parse_choice, "kind", choices=KINDS),
        "phone": raw["phone"],
        "starts_on": dt.date(2020, 1, 1),
    }
    cells.done()
    return values


def test_every_bad_field_of_every_bad_row_is_reported(agency):
    fmt = ImportFormat(
        "contacts",
        "Contacts",
        ("name", "kind"),
        ("phone",),
        ("name",),
        _parse_all,
        _apply,
    )
    data = b"name,kind,phone\n,boss,1\nAnn,other,2\n,,3\n"
    result = run_import(fmt, io.BytesIO(data), "c.csv", agency)
    assert [str(e) for e in result.errors] == [
        "row 1 (line 2), column 'name': a value is required",
        "row 1 (line 2), column 'kind': unknown value 'boss'; expected one of: acc, other",
        "row 3 (line 4), column 'name': a value is required",
        "row 3 (line 4), column 'kind': unknown value ''; expected one of: acc, other",
    ]
    assert not agency.designations.exists()


def test_what_apply_finds_wrong_is_reported_with_the_bad_fields(agency):
    def apply(agency, rows, result):
        for row in rows:
            if row.values["name"] == "Zed":
                result.error(row.number, "name", "Zed is not on the roster")
        _apply(agency, rows, result)

    fmt = ImportFormat(
        "contacts", "Contacts", ("name", "kind"), ("phone",), ("name",), _parse, apply
    )
    data = b"name,kind\nZed,other\nAnn,boss\n"
    result = run_import(fmt, io.BytesIO(data), "c.csv", agency)
    assert [str(e) for e in result.errors] == [
        "row 1 (line 2), column 'name': Zed is not on the roster",
        "row 2 (line 3), column 'kind': unknown value 'boss'; expected one of: acc, other",
    ]
    assert not agency.designations.exists()


def test_the_preview_shows_each_changed_field_as_old_and_new(agency):
    _import(agency, "name,kind,phone\nAnn,contact,1\nBen,other,\n")
    result = _import(agency, "name,kind,phone\nAnn,acc,9\nBen,other,5\n", dry_run=True)
    assert [change.diff for change in result.changes] == [
        (("kind", "other", "acc"), ("phone", "1", "9")),
        (("phone", "(blank)", "5"),),
    ]
    assert (
        describe_change(result.changes[1]) == "row 2: update Ben (phone: (blank) -> 5)"
    )


def test_a_file_that_cannot_be_read_fails_the_command_with_one_sentence(agency):
    result = run_import(CONTACTS, io.BytesIO(b"%PDF-1.7\n"), "c.csv", agency)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        print_result(result, OutputWrapper(out), verbose=False)
    assert out.getvalue() == (
        "error: c.csv: this is not a CSV text file: it is a PDF document.\n"
    )


def test_the_templates_hold_the_header_and_the_example(agency):
    fmt = dataclasses.replace(CONTACTS, example={"name": "Ann", "kind": "acc"})
    assert template_csv(fmt) == "\ufeffname,kind,phone\r\nAnn,acc,\r\n".encode()
    sheet = load_workbook(io.BytesIO(template_xlsx(fmt))).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["name", "kind", "phone"],
        ["Ann", "acc", None],
    ]


def test_a_gzip_bomb_is_refused_before_any_transaction_or_lock(agency, monkeypatch):
    def no_transaction(*args, **kwargs):
        raise AssertionError("the bomb reached the database")

    monkeypatch.setattr("accdesk.core.imports.transaction.atomic", no_transaction)
    bomb = gzip.compress(b"name,kind\n" + b"Ann,other\n" * 500_000)
    result = run_import(CONTACTS, io.BytesIO(bomb), "contacts.csv.gz", agency)
    (error,) = result.errors
    assert "expands more than 100 times" in error.message
    assert "ACCDESK_GZIP_MAX_RATIO" in error.message
