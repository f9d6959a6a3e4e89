"""read_rows over the files agencies really have: Excel's encodings, workbooks with
formulas, things that are not CSV at all, and files too big to read."""

from __future__ import annotations

import datetime as dt
import gzip
import io

import pytest
from openpyxl import Workbook

from accdesk.lib.tabular import ReadLimits, TableError, read_rows, unquote_cell

TEXT = "employee_id,last_name\nE1,Muñoz\nE2,Nguyễn\n"
NO_LIMITS = ReadLimits()


def _rows(data: bytes, filename: str = "f.csv", limits=NO_LIMITS, **kwargs):
    kwargs.setdefault("required", ["employee_id", "last_name"])
    return list(read_rows(io.BytesIO(data), filename, limits=limits, **kwargs))


def _names(data: bytes, filename: str = "f.csv") -> list[str]:
    return [values["last_name"] for _, values in _rows(data, filename)]


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16"])
def test_unicode_files_keep_every_name(codec):
    assert _names(TEXT.encode(codec)) == ["Muñoz", "Nguyễn"]


def test_a_windows_1252_file_from_excel_keeps_its_accents():
    data = "employee_id,last_name\r\nE1,Muñoz\r\nE2,O’Brien\r\n".encode("cp1252")
    assert _names(data) == ["Muñoz", "O’Brien"]


def test_the_encoding_is_decided_for_the_whole_file_not_its_start():
    # 100,000 plain rows, then one Windows-1252 "ñ": far past the first 64 KiB.
    data = b"employee_id,last_name\n" + b"E0,Archer\n" * 100_000
    data += "E1,Muñoz\n".encode("cp1252")
    assert _names(data)[-1] == "Muñoz"


def test_a_gzip_file_is_decoded_the_same_way():
    data = gzip.compress("employee_id,last_name\nE1,Muñoz\n".encode("cp1252"))
    assert _names(data, "roster.csv.gz") == ["Muñoz"]


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "it is a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "it is a zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "it is an old Excel .xls"),
        (bytes(range(256)) * 4, "byte 0x81 is not text in UTF-8 or Windows-1252"),
        ("employee_id,last_name\nE1,Muñoz\n".encode("utf-16-le"), "binary data"),
    ],
)
def test_a_file_that_is_not_text_gets_one_clear_sentence(data, why):
    with pytest.raises(TableError) as info:
        _rows(data, "roster.csv")
    message = info.value.error.message
    assert message.startswith("roster.csv: this is not a CSV text file: ")
    assert why in message
    assert "codec" not in message


def test_a_byte_order_mark_that_lies_is_not_taken_for_text():
    data = "\ufeffemployee_id,last_name\nE1,Muñoz\n".encode("utf-8")
    data = data.replace("ñ".encode(), "ñ".encode("cp1252"))
    with pytest.raises(TableError) as info:
        _rows(data)
    assert info.value.error.message == (
        "f.csv: this is not a CSV text file: it starts with the byte-order mark of "
        "UTF-8, but byte 0xF1 is not UTF-8 text."
    )


def test_one_control_character_in_a_text_file_is_left_to_the_cell_check():
    rows = _rows(b"employee_id,last_name\nE1,Arch\x00er\n")
    assert rows[0][1]["last_name"] == "Arch\x00er"


def _workbook(rows, title="Sheet1") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_formula_written_by_a_script_is_an_error_naming_sheet_and_cell():
    # openpyxl writes formulas with no saved result, as a script would.
    data = _workbook(
        [
            ["employee_id", "last_name", "x", "y", "hire_date"],
            ["E1", "Archer", "", "", dt.datetime(2020, 1, 6)],
            ["E2", "Baker", "", "", "=DATE(2021,2,3)"],
        ],
        title="Roster",
    )
    rows = _rows(data, "roster.xlsx", optional=["hire_date"])
    assert rows[0][1].problems == ()
    (problem,) = rows[1][1].problems
    assert problem.column == "hire_date"
    assert problem.message == (
        "Roster!E3 holds a formula with no saved value: open and save the file in "
        "Excel, or export CSV"
    )


def test_a_formula_in_a_column_that_is_not_read_does_not_matter():
    data = _workbook([["employee_id", "last_name", "note"], ["E1", "Archer", "=1+1"]])
    (row,) = _rows(data, "roster.xlsx")
    assert row[1].problems == ()


def test_a_formula_is_read_by_its_saved_value(tmp_path):
    """Excel saves each formula's result beside it, an empty text result too."""
    data = _workbook(
        [["employee_id", "last_name", "hire_date"], ["E1", "x", "x"], ["E2", "x", "x"]]
    )
    path = tmp_path / "saved.xlsx"
    path.write_bytes(_with_saved_formulas(data))
    rows = list(
        read_rows(
            path,
            path.name,
            required=["employee_id", "last_name", "hire_date"],
            limits=NO_LIMITS,
        )
    )
    assert [(v["last_name"], v["hire_date"], v.problems) for _, v in rows] == [
        ("Archer", "2020-01-06T00:00:00", ()),
        ("", "", ()),
    ]


def _with_saved_formulas(data: bytes) -> bytes:
    """Rewrite the sheet as Excel would save formulas: B2 ="Archer" (text), C2 a
    date, B3 and C3 =IF(...,"",...) with an empty text result."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for part in source.infolist():
            body = source.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml":
                cells = {
                    b"B2": b'<c r="B2" t="str"><f>"Archer"</f><v>Archer</v></c>',
                    b"C2": b'<c r="C2" s="1"><f>DATE(2020,1,6)</f><v>43836</v></c>',
                    b"B3": b'<c r="B3" t="str"><f>IF(1,"","x")</f><v></v></c>',
                    b"C3": b'<c r="C3" t="str"><f>IF(1,"","x")</f><v></v></c>',
                }
                for ref, cell in cells.items():
                    start = body.index(b'<c r="' + ref + b'"')
                    end = body.index(b"</c>", start) + 4
                    body = body[:start] + cell + body[end:]
            if part.filename == "xl/styles.xml":
                body = body.replace(
                    b'<cellXfs count="1">',
                    b'<cellXfs count="2">',
                ).replace(
                    b"</cellXfs>",
                    b'<xf numFmtId="14" fontId="0" fillId="0" borderId="0" '
                    b'applyNumberFormat="1"/></cellXfs>',
                )
            target.writestr(part, body)
    return out.getvalue()


def test_text_dates_and_date_cells_both_read_as_dates():
    data = _workbook(
        [
            ["employee_id", "last_name", "hire_date"],
            ["E1", "Archer", dt.datetime(2020, 1, 6)],
            ["E2", "Baker", "01/06/2020"],
        ]
    )
    rows = _rows(data, "roster.xlsx", optional=["hire_date"])
    assert [v["hire_date"] for _, v in rows] == ["2020-01-06T00:00:00", "01/06/2020"]


def test_a_csv_file_named_xlsx_is_explained():
    with pytest.raises(TableError, match="not a zip archive"):
        _rows(b"employee_id,last_name\nE1,Archer\n", "roster.xlsx")


@pytest.mark.parametrize(
    ("exported", "imported"),
    [
        ('\'=HYPERLINK("x")', '=HYPERLINK("x")'),
        ("'+1", "+1"),
        ("'-ROBBERY", "-ROBBERY"),
        ("'@home", "@home"),
        ("'\tTAB", "\tTAB"),
        ("'quoted'", "'quoted'"),  # not something the exporter wrote
        ("'", "'"),
        ("O'Brien", "O'Brien"),
    ],
)
def test_it_strips_the_apostrophe_an_export_put_before_a_formula(exported, imported):
    assert unquote_cell(exported) == imported


def test_read_rows_unquotes_exported_cells():
    (row,) = _rows(b"employee_id,last_name\n'-1,'=Archer\n")
    assert row[1] == {"employee_id": "-1", "last_name": "=Archer"}


# -- limits (issue 11 item 8) ---------------------------------------------------------


def test_too_many_rows_is_refused_naming_the_setting():
    data = b"employee_id,last_name\n" + b"E1,Archer\n" * 11
    with pytest.raises(TableError) as info:
        _rows(data, limits=ReadLimits(max_rows=10))
    assert "more than 10 rows" in info.value.error.message
    assert "ACCDESK_IMPORT_MAX_ROWS" in info.value.error.message
    assert len(_rows(data[: -len(b"E1,Archer\n")], limits=ReadLimits(max_rows=10)))


def test_a_gzip_bomb_is_refused_naming_the_setting():
    bomb = gzip.compress(b"employee_id,last_name\n" + b"E1,Archer\n" * 6_000_000)
    limits = ReadLimits(gzip_max_ratio=100, gzip_max_bytes=1024 * 1024 * 1024)
    with pytest.raises(TableError) as info:
        _rows(bomb, "roster.csv.gz", limits=limits)
    assert "100 times" in info.value.error.message
    assert "ACCDESK_GZIP_MAX_RATIO" in info.value.error.message


def test_a_gzip_file_that_expands_too_far_is_refused():
    data = gzip.compress(b"employee_id,last_name\n" + b"E1,Archer\n" * 200_000)
    with pytest.raises(TableError, match="ACCDESK_GZIP_MAX_MB"):
        _rows(data, "roster.csv.gz", limits=ReadLimits(gzip_max_bytes=1024 * 1024))


def test_a_workbook_with_too_many_cells_is_refused_before_it_is_read():
    data = _workbook([["employee_id", "last_name"]] + [["E1", "Archer"]] * 10)
    with pytest.raises(TableError) as info:
        _rows(data, "roster.xlsx", limits=ReadLimits(xlsx_max_cells=20))
    assert "22 cells, more than 20" in info.value.error.message
    assert "ACCDESK_XLSX_MAX_CELLS" in info.value.error.message
