"""The audit binder, read back with pypdf: its page count, its bookmarks, the
contents' page numbers, and the text of a merged evidence PDF."""

from __future__ import annotations

import io
import json
import re
import struct
import zlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from accdesk import testing
from accdesk.audits import binder
from accdesk.audits.models import Answer
from accdesk.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def two_page_pdf(text: str) -> bytes:
    from weasyprint import HTML

    html = f"<p>{text} page one</p><p style='page-break-before: always'>{text} two</p>"
    return HTML(string=html).write_pdf()


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def answered(audit, alice):
    questions = {q.number: q for q in audit.questionnaire.questions.all()}
    first = Answer.objects.create(
        agency=audit.agency,
        audit=audit,
        question=questions["1.1"],
        value="yes",
        note="All behind the counter.",
        answered_by="Alice",
    )
    testing.make_evidence(
        first,
        audit.agency,
        filename="inspection.pdf",
        title="Inspection report",
        data=two_page_pdf("MERGED EVIDENCE 7731"),
    )
    testing.make_evidence(
        first,
        audit.agency,
        filename="lobby.png",
        title="Lobby photo",
        kind="photo",
        data=tiny_png(),
    )
    notes = testing.make_evidence(
        first,
        audit.agency,
        filename="notes.txt",
        title="Inspector notes",
        kind="other",
        data=b"Checked every terminal.\n",
    )
    Answer.objects.create(
        agency=audit.agency,
        audit=audit,
        question=questions["5.4"],
        value="partly",
        answered_by="Alice",
    )
    return notes


def outline(reader: PdfReader) -> list:
    found = []
    for item in reader.outline:
        if isinstance(item, list):
            found[-1][2].extend(
                (child.title, reader.get_destination_page_number(child))
                for child in item
            )
        else:
            found.append([item.title, reader.get_destination_page_number(item), []])
    return found


def test_the_binder_has_its_sections_bookmarked_and_the_evidence_merged(
    audit, answered
):
    data = binder.build(audit, "Alice Acc")
    reader = PdfReader(io.BytesIO(data))
    marks = outline(reader)
    sections = [title for title, _ in audit.questionnaire.sections()]
    assert [m[0] for m in marks] == [
        "Cover and contents",
        *sections,
        "Findings and corrective actions",
    ]
    # Each section starts where the previous one's pages (and evidence) end, and
    # the last part ends on the last page: the page count matches the contents.
    starts = [m[1] for m in marks]
    assert starts == sorted(starts) and starts[0] == 0
    site = marks[1]
    assert site[0] == "Site inspection"
    ((child, at),) = site[2]
    assert child == "Evidence: Inspection report"
    assert "MERGED EVIDENCE 7731 page one" in reader.pages[at].extract_text()
    assert "MERGED EVIDENCE 7731 two" in reader.pages[at + 1].extract_text()
    assert marks[2][1] == at + 2  # the next section follows the merged PDF
    last_part = reader.pages[marks[-1][1] :]
    assert "Findings and corrective actions" in last_part[0].extract_text()
    assert len(reader.pages) == marks[-1][1] + len(last_part)

    cover = reader.pages[0].extract_text()
    assert audit.agency.name in cover and audit.agency.ori in cover
    assert "Alice Acc" in cover and audit.title in cover
    contents = " ".join(p.extract_text() for p in reader.pages[: marks[1][1]])
    for title, start, _ in marks[1:]:
        number = re.search(rf"{re.escape(title)}\s+(\d+)", contents)
        assert number and int(number.group(1)) == start + 1, title

    section_text = "".join(reader.pages[i].extract_text() for i in range(site[1], at))
    assert "All behind the counter." in section_text
    assert answered.sha256 in section_text.replace("\n", "")
    assert "Lobby photo" in section_text
    assert any(page.images for page in reader.pages[site[1] : at]), (
        "the photo is placed on a page"
    )
    records = "".join(
        reader.pages[i].extract_text() for i in range(marks[5][1], marks[6][1])
    )
    assert "Validation files" in records and "generated" in records


def test_the_command_writes_the_binder_and_records_the_export(
    audit, answered, tmp_path, capsys
):
    target = tmp_path / "binder.pdf"
    call_command(
        "audit",
        "binder",
        str(audit.pk),
        "--agency",
        audit.agency.ori,
        "--output",
        str(target),
    )
    assert f"Wrote {target}" in capsys.readouterr().out
    assert len(PdfReader(target).pages) > 8
    assert ChangeRecord.objects.filter(
        event="export", message__contains="audit binder"
    ).exists()


def test_the_command_refuses_another_agencys_audit(audit, other_agency, tmp_path):
    with pytest.raises(CommandError, match="No audit"):
        call_command(
            "audit",
            "binder",
            str(audit.pk),
            "--agency",
            other_agency.ori,
            "--output",
            str(tmp_path / "x.pdf"),
        )


def test_audit_list_prints_the_contract(audit, alice, capsys):
    from accdesk.audits import rules
    from accdesk.audits.models import Finding

    finding = Finding.objects.create(
        agency=audit.agency, audit=audit, description="x", opened_on=audit.onsite_end
    )
    rules.add_action(finding, description="y", owner=alice, due_date=audit.onsite_end)
    call_command("audit", "list", "--agency", audit.agency.ori, "--format", "json")
    (row,) = json.loads(capsys.readouterr().out)
    assert row == {
        "id": audit.pk,
        "type": "clets_security",
        "status": "in_progress",
        "title": "CLETS security audit 2026",
        "announced_date": "2026-02-01",
        "open_findings": 1,
        "open_actions": 1,
    }
