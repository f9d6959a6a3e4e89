"""lib/encodings.py: one decision per file -- a BOM, else strict UTF-8, else
Windows-1252."""

from __future__ import annotations

import codecs

import pytest

from accdesk.lib.encodings import detect_encoding

TEXT = "last_name\nMuñoz\nNguyễn\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),  # little-endian, with its BOM
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        ("last_name\nMuñoz\n".encode("cp1252"), "cp1252"),
        (b"plain,ascii\n", "utf-8"),
        (b"", "utf-8"),
    ],
)
def test_it_names_the_codec_of_each_kind_of_file(data, expected):
    assert detect_encoding(data) == expected


def test_a_character_cut_off_at_the_end_of_the_head_is_still_utf8():
    head = "Nguyễn".encode()[:-1]  # the last byte of "ễ"'s three is missing
    assert detect_encoding(head) == "utf-8"


def test_windows_1252_text_is_never_taken_for_utf8():
    assert detect_encoding("Café – “quoted”".encode("cp1252")) == "cp1252"
