from __future__ import annotations

import datetime as dt
import gzip
import io
import zoneinfo

import pytest
from openpyxl import Workbook

from accdesk.lib.dates import day_range
from accdesk.lib.tabular import (
    CellError,
    TableError,
    parse_bool,
    parse_choice,
    parse_column_map,
    parse_date,
    read_rows,
)


def _rows(data: bytes, filename: str = "f.csv", **kwargs):
    kwargs.setdefault("required", ["employee_id", "hire_date"])
    return list(read_rows(io.BytesIO(data), filename, **kwargs))


def test_it_reads_columns_case_insensitively_and_ignores_extras():
    rows = _rows(b"Employee_ID,Extra,HIRE DATE\n 42 ,x,2020-01-31\n")
    assert rows == [(1, {"employee_id": "42", "hire_date": "2020-01-31"})]


def test_it_accepts_a_byte_order_mark():
    rows = _rows("\ufeffemployee_id,hire_date\n1,2020-01-01\n".encode())
    assert rows[0][1]["employee_id"] == "1"


def test_it_numbers_data_rows_from_one_and_skips_blank_rows():
    rows = _rows(b"employee_id,hire_date\n1,2020-01-01\n,\n3,2020-01-03\n")
    assert [number for number, _ in rows] == [1, 3]


def test_it_names_missing_columns():
    with pytest.raises(TableError, match="Missing column: hire_date"):
        _rows(b"employee_id\n1\n")


def test_it_rejects_a_column_given_twice():
    with pytest.raises(TableError, match="appears twice"):
        _rows(b"employee_id,hire_date,Employee_Id\n1,2,3\n")


def test_it_rejects_other_file_types():
    with pytest.raises(TableError, match="not a CSV or Excel"):
        _rows(b"%PDF-1.4", "roster.pdf")


def test_it_reads_gzip():
    data = gzip.compress(b"employee_id,hire_date\n7,2021-02-03\n")
    assert _rows(data, "log.csv.gz")[0][1]["employee_id"] == "7"


def test_it_reads_xlsx_with_real_date_cells():
    book = Workbook()
    sheet = book.active
    sheet.append(["Employee_ID", "hire_date"])
    sheet.append([1234, dt.datetime(2019, 5, 6)])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = _rows(buffer.getvalue(), "roster.xlsx")
    assert rows == [(1, {"employee_id": "1234", "hire_date": "2019-05-06T00:00:00"})]
    assert parse_date(rows[0][1], "hire_date") == dt.date(2019, 5, 6)


def test_it_renames_columns_with_a_map():
    mapping = parse_column_map(["Emp No=employee_id"])
    rows = _rows(b"emp no,hire_date\n5,2020-01-01\n", column_map=mapping)
    assert rows[0][1]["employee_id"] == "5"


def test_a_bad_map_is_an_error():
    with pytest.raises(TableError):
        parse_column_map(["employee_id"])


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-30",
        "13/02/2024",
        "02/30/2024",
        "2/3/24",
        "2024-2-3",
        "yesterday",
        "20240203",
        "2024-W05-1",
        "2024-02-03T10:00:00",
    ],
)
def test_it_rejects_bad_dates_naming_the_column(text):
    with pytest.raises(CellError) as info:
        parse_date({"hire_date": text}, "hire_date")
    assert info.value.column == "hire_date"
    assert text in info.value.message


def test_it_parses_dates_and_optional_blanks():
    assert parse_date({"d": "2024-02-29"}, "d") == dt.date(2024, 2, 29)
    assert parse_date({"d": ""}, "d", required=False) is None
    with pytest.raises(CellError, match="required"):
        parse_date({"d": ""}, "d")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("Y", True),
        ("true", True),
        ("1", True),
        ("no", False),
        ("n", False),
        ("FALSE", False),
        ("0", False),
    ],
)
def test_it_parses_yes_no(text, expected):
    assert parse_bool({"sworn": text}, "sworn") is expected


def test_it_rejects_other_yes_no_values():
    with pytest.raises(CellError, match="not yes/no"):
        parse_bool({"sworn": "maybe"}, "sworn")


def test_it_maps_choices_and_lists_the_expected_ones():
    choices = {"full access": "full", "full": "full", "ltf": "ltf"}
    assert parse_choice({"test": "Full Access"}, "test", choices) == "full"
    with pytest.raises(CellError, match="expected one of: full, ltf"):
        parse_choice({"test": "partial"}, "test", choices)


def test_day_range_covers_whole_days_in_the_agency_zone():
    # 8 March 2026 is the day clocks spring forward in California: 23 hours.
    la = zoneinfo.ZoneInfo("America/Los_Angeles")
    start, end = day_range(dt.date(2026, 3, 8), dt.date(2026, 3, 8), la)
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=23)
    assert day_range(None, dt.date.max, la) == (None, None)
