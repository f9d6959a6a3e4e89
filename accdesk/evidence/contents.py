"""What an uploaded file really is: told from its first bytes, never from its name.

A DOJ auditor opens these files; a renamed executable or script must never be
stored as a "PDF". ``check(filename, data)`` returns the media type the bytes show
when they match what the name claims, and raises ``ContentRefused`` with a plain
message otherwise. ``filetype`` (pure Python, no libmagic) reads the signatures.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import filetype


class ContentRefused(ValueError):
    """The file is not of an accepted type, or not what its name says."""


@dataclass(frozen=True)
class Accepted:
    label: str
    extensions: tuple[str, ...]
    media_type: str  # "" for plain text, which has no signature
    # The folder an Office Open XML / OpenDocument zip must hold, for the rare
    # files ``filetype`` only recognises as a zip.
    zip_marker: str = ""


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
ACCEPTED = (
    Accepted("PDF", ("pdf",), "application/pdf"),
    Accepted("PNG image", ("png",), "image/png"),
    Accepted("JPEG image", ("jpg", "jpeg"), "image/jpeg"),
    Accepted("GIF image", ("gif",), "image/gif"),
    Accepted("TIFF image", ("tif", "tiff"), "image/tiff"),
    Accepted("WebP image", ("webp",), "image/webp"),
    Accepted("Word document", ("docx",), _OOXML + "wordprocessingml.document", "word/"),
    Accepted("Excel workbook", ("xlsx",), _OOXML + "spreadsheetml.sheet", "xl/"),
    Accepted(
        "PowerPoint presentation",
        ("pptx",),
        _OOXML + "presentationml.presentation",
        "ppt/",
    ),
    Accepted("Word 97-2003 document", ("doc",), "application/msword"),
    Accepted("Excel 97-2003 workbook", ("xls",), "application/vnd.ms-excel"),
    Accepted("PowerPoint 97-2003", ("ppt",), "application/vnd.ms-powerpoint"),
    Accepted("OpenDocument text", ("odt",), _ODF + "text", "mimetype"),
    Accepted("OpenDocument spreadsheet", ("ods",), _ODF + "spreadsheet", "mimetype"),
    Accepted("OpenDocument presentation", ("odp",), _ODF + "presentation", "mimetype"),
    Accepted("Rich Text", ("rtf",), "application/rtf"),
    Accepted("Text", ("txt", "csv", "md", "log"), ""),
)
BY_EXTENSION = {ext: kind for kind in ACCEPTED for ext in kind.extensions}
TEXT_MEDIA_TYPE = "text/plain"
# Names for what a refused file turned out to be.
_DESCRIBED = {
    "exe": "a Windows program",
    "elf": "a Linux program",
    "zip": "a ZIP archive",
    "rar": "a RAR archive",
    "7z": "a 7-Zip archive",
    "gz": "a gzip archive",
    "sqlite": "an SQLite database",
    "swf": "a Flash file",
}
HEAD_BYTES = 8192  # what ``filetype`` reads


def accepted_extensions() -> list[str]:
    return sorted(BY_EXTENSION)


def _extension(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _a(label: str) -> str:
    return f"{'an' if label[0] in 'AEIOU' else 'a'} {label}"


def _described(kind: filetype.Type | None) -> str:
    if kind is None:
        return "not of a type that can be recognised"
    for accepted in ACCEPTED:
        if accepted.media_type == kind.mime:
            return _a(accepted.label)
    return _DESCRIBED.get(kind.extension, f"a .{kind.extension} file ({kind.mime})")


def _zip_holds(data: bytes, marker: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
    return any(name.startswith(marker) for name in names)


def check(filename: str, data: bytes) -> str:
    """The media type of ``data``, when it is what ``filename`` says it is."""
    extension = _extension(filename)
    expected = BY_EXTENSION.get(extension)
    if expected is None:
        raise ContentRefused(
            f"“{filename}”: .{extension or '(no extension)'} files are not accepted. "
            f"Accepted: PDF, images, Office documents and plain text "
            f"({', '.join('.' + e for e in accepted_extensions())})."
        )
    found = filetype.guess(data[:HEAD_BYTES]) if data else None
    if not expected.media_type:
        if found is None and b"\0" not in data[:HEAD_BYTES]:
            return TEXT_MEDIA_TYPE
        raise ContentRefused(
            f"“{filename}” is named as text, but its contents are "
            f"{_described(found) if found else 'binary data'}: it was refused."
        )
    if found is not None and found.mime == expected.media_type:
        return expected.media_type
    if (
        found is not None
        and found.extension == "zip"
        and expected.zip_marker
        and _zip_holds(data, expected.zip_marker)
    ):
        return expected.media_type
    raise ContentRefused(
        f"“{filename}” is named as {_a(expected.label)}, but its contents are "
        f"{_described(found)}: it was refused. Upload the document itself."
    )
