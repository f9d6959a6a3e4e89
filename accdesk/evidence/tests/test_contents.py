"""A file's type is told from its bytes, not its name."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from accdesk.evidence.contents import ContentRefused, check
from accdesk.testing import TINY_PDF

WINDOWS_PROGRAM = (
    b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"PE\x00\x00" + b"\x00" * 200
)
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data, media_type",
    [
        ("signed.pdf", TINY_PDF, "application/pdf"),
        ("Floor plan.PNG", PNG, "image/png"),
        (
            "inventory.xlsx",
            _xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "notes.txt",
            "Reviewed by Sgt. Ruiz — no exceptions.\n".encode(),
            "text/plain",
        ),
    ],
)
def test_it_takes_a_file_that_is_what_its_name_says(name, data, media_type):
    assert check(name, data) == media_type


@pytest.mark.parametrize(
    "name, data, found",
    [
        ("agreement.pdf", WINDOWS_PROGRAM, "a Windows program"),
        ("diagram.png", LINUX_PROGRAM, "a Linux program"),
        ("agreement.pdf", PNG, "a PNG image"),
        ("notes.txt", WINDOWS_PROGRAM, "a Windows program"),
        ("inventory.xlsx", TINY_PDF, "a PDF"),
    ],
)
def test_it_refuses_a_file_that_is_not_what_its_name_says(name, data, found):
    with pytest.raises(ContentRefused) as refused:
        check(name, data)
    assert f"“{name}” is named as" in str(refused.value)
    assert found in str(refused.value)


def test_it_refuses_a_type_that_is_not_accepted_whatever_it_holds():
    with pytest.raises(ContentRefused, match=r"\.exe files are not accepted"):
        check("setup.exe", WINDOWS_PROGRAM)
    with pytest.raises(ContentRefused, match=r"\.html files are not accepted"):
        check("page.html", b"<html><script>alert(1)</script></html>")


def test_a_zip_named_as_a_word_document_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", WINDOWS_PROGRAM)
    with pytest.raises(ContentRefused, match="a ZIP archive"):
        check("policy.docx", buffer.getvalue())
