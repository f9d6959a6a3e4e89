"""Reading the header of a query log: names, --map, gzip."""

from __future__ import annotations

import gzip

import pytest

from accdesk.querylogs.logfile import COLUMNS, LogFormatError, read_layout


def test_it_finds_columns_in_any_order_and_case_and_ignores_extra_ones(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Extra," + ",".join(c.upper() for c in reversed(COLUMNS)) + "\n")
    layout = read_layout(path)
    assert layout.positions["subject_dob"] == 1
    assert layout.positions["timestamp"] == len(COLUMNS)
    assert layout.width == len(COLUMNS) + 1


def test_it_names_the_missing_columns(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("timestamp,rte\n")
    with pytest.raises(LogFormatError, match="Missing columns: ori, terminal"):
        read_layout(path)


def test_map_renames_columns(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("date_time," + ",".join(COLUMNS[1:]) + "\n")
    assert read_layout(path, {"date_time": "timestamp"}).positions["timestamp"] == 0


def test_it_reads_gzip_whatever_the_name(tmp_path):
    path = tmp_path / "log.dat"
    path.write_bytes(gzip.compress((",".join(COLUMNS) + "\n").encode()))
    assert read_layout(path).gzipped


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00bad"])
def test_it_rejects_empty_or_unreadable_files(tmp_path, content):
    path = tmp_path / "log.csv"
    path.write_bytes(content)
    with pytest.raises(LogFormatError):
        read_layout(path)


def test_a_column_given_twice_is_an_error(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(",".join(COLUMNS) + ",RTE\n")
    with pytest.raises(LogFormatError, match="twice"):
        read_layout(path)
