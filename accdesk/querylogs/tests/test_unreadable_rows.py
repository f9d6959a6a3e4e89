"""Rows that cannot be read are skipped, counted and reported by row number; the
rows after them keep their own numbers (issue 4)."""

from __future__ import annotations

import gzip

import pytest

from accdesk.querylogs.logfile import COLUMNS, LogFormatError
from accdesk.querylogs.tests.conftest import run_audit

HEADER = ",".join(COLUMNS)
GOOD = '2026-03-02T08:00:00,CA0990000,T1,OP1,QH,C,,DET A ROBBERY,26-1,"DOE,JOHN",1980-01-01'
BAD_PURPOSE = GOOD.replace(",QH,C,", ",QH,R,")


def audit_text(tmp_path, text, name="log.csv", compress=False):
    path = tmp_path / name
    data = text.encode()
    path.write_bytes(gzip.compress(data) if compress else data)
    return run_audit(path)


def test_bad_timestamps_and_wrong_field_counts_are_skipped_with_their_row(tmp_path):
    text = "\n".join(
        [
            HEADER,
            GOOD,
            GOOD.replace("2026-03-02T08:00:00", "yesterday"),
            GOOD + ",extra",
            BAD_PURPOSE,
            GOOD.replace("2026-03-02T08:00:00", "2026-02-30T08:00:00"),
            ",".join(GOOD.split(",")[:5]),
            BAD_PURPOSE,
        ]
    )
    result, found = audit_text(tmp_path, text + "\n")
    assert result.rows == 7
    assert [row for row, _ in result.skipped] == [2, 3, 5, 6]
    assert "'yesterday'" in result.skipped[0][1]
    assert [(row, rule) for row, rule, _ in found if rule == "PURPOSE_INVALID"] == [
        (4, "PURPOSE_INVALID"),
        (7, "PURPOSE_INVALID"),
    ]


def test_blank_lines_are_not_rows_and_do_not_shift_the_numbers(tmp_path):
    text = "\n".join([HEADER, GOOD, "", "garbage", "", BAD_PURPOSE]) + "\n"
    result, found = audit_text(tmp_path, text)
    assert result.rows == 3
    assert [row for row, _ in result.skipped] == [2]
    assert [row for row, rule, _ in found] == [3]


def test_a_quoted_line_break_stays_inside_its_row(tmp_path):
    multi = GOOD.replace("DET A ROBBERY", '"DET A\nROBBERY"')
    text = "\n".join([HEADER, multi, "bad", BAD_PURPOSE]) + "\n"
    result, found = audit_text(tmp_path, text)
    assert result.rows == 3
    assert [row for row, _ in result.skipped] == [2]
    assert [row for row, rule, _ in found] == [3]


def test_gzip_files_are_read_the_same(tmp_path):
    text = "\n".join([HEADER, "bad", BAD_PURPOSE]) + "\n"
    result, found = audit_text(tmp_path, text, "log.csv.gz", compress=True)
    assert [row for row, _ in result.skipped] == [1]
    assert [row for row, rule, _ in found] == [2]


def test_a_file_with_only_a_header_has_no_rows(tmp_path):
    result, found = audit_text(tmp_path, HEADER + "\n")
    assert (result.rows, result.chri_rows, found) == (0, 0, [])


def test_a_blank_timestamp_is_skipped_not_audited(tmp_path):
    blank = GOOD.replace("2026-03-02T08:00:00", "")
    other_key = blank.replace(",QH,", ",QW,")
    text = "\n".join([HEADER, GOOD, blank, BAD_PURPOSE, other_key]) + "\n"
    result, found = audit_text(tmp_path, text)
    assert result.rows == 4
    assert result.skipped == [(2, "timestamp is blank"), (4, "timestamp is blank")]
    assert result.chri_rows == 2
    assert {row for row, _, _ in found} == {3}


@pytest.mark.parametrize(
    ("cell", "with_bad_byte", "skipped"),
    [("DOE,JOHN", "DOE,JO\xffN", []), ("2026-03-02T08", "2026-03-02\xff08", [1])],
    ids=["in a name", "in the timestamp"],
)
def test_a_byte_that_is_not_utf8_makes_the_file_windows_1252(
    tmp_path, cell, with_bad_byte, skipped
):
    # Issue 10: the encoding is decided once per file (not UTF-8: Windows-1252),
    # so the row is read, not skipped; a timestamp with "ÿ" in it is still bad.
    path = tmp_path / "log.csv"
    bad = GOOD.replace(cell, with_bad_byte).encode("latin-1")
    path.write_bytes(b"\n".join([HEADER.encode(), bad, BAD_PURPOSE.encode()]) + b"\n")
    result, found = run_audit(path)
    assert result.rows == 2
    assert [row for row, _ in result.skipped] == skipped
    assert (2, "PURPOSE_INVALID") in [(row, rule) for row, rule, _ in found]


def test_binary_data_after_the_header_is_a_file_error_not_a_crash(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(HEADER.encode() + b"\n" + bytes(range(256)) * 12)
    with pytest.raises(LogFormatError, match="this is not a CSV text file: byte 0x81"):
        run_audit(path)


def test_lines_ending_in_a_carriage_return_alone_are_read(tmp_path):
    result, found = audit_text(tmp_path, "\r".join([HEADER, GOOD, BAD_PURPOSE]) + "\r")
    assert result.rows == 2
    assert [(row, rule) for row, rule, _ in found] == [(2, "PURPOSE_INVALID")]


def test_a_row_with_missing_fields_gets_one_reason(tmp_path):
    short = ",".join(GOOD.split(",")[:3])
    result, _ = audit_text(tmp_path, "\n".join([HEADER, short, GOOD]) + "\n")
    assert result.skipped == [(1, "Expected Number of Columns: 11 Found: 3")]
