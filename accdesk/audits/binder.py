"""The audit binder: one PDF an auditor can read from cover to end, in
questionnaire order (issue 14).

Cover (agency, ORI, audit, date, prepared by), a table of contents, then per
section each question with its answer and note, the reports of the records it
links to (generated on the spot, dated), and its evidence files: PDFs merged in
after the section's pages, images placed on the pages, other files listed with
their SHA-256 (the auditor can check the copy they are given). Findings and
corrective actions close the binder. Bookmarks: one per section, with the merged
evidence files beneath it.

WeasyPrint lays out each part; pypdf counts their pages (so the contents give the
right page numbers), merges the evidence and writes the bookmarks.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from accdesk.audits import reports, rules
from accdesk.audits.models import Answer, Audit, Question
from accdesk.evidence import storage
from accdesk.evidence.models import EvidenceFile
from accdesk.lib.exports import PDF_BASE, _static_fetcher
from accdesk.lib.text import us_date

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@dataclass
class Item:
    question: Question
    answer: Answer | None
    report: reports.Report | None
    # The report is printed once, under the first question that links to it;
    # later questions refer to that one.
    report_under: str = ""
    images: list[tuple[EvidenceFile, str]] = field(default_factory=list)
    listed: list[EvidenceFile] = field(default_factory=list)
    merged: list[EvidenceFile] = field(default_factory=list)


@dataclass
class Part:
    title: str
    pdf: bytes
    pages: int
    merged: list[tuple[EvidenceFile, bytes, int]] = field(default_factory=list)
    start: int = 0  # 1-based page of the part in the binder


def _files(audit: Audit, answer: Answer | None) -> list[EvidenceFile]:
    if answer is None:
        return []
    return list(
        EvidenceFile.objects.filter(agency_id=audit.agency_id)
        .attached_to(answer)
        .current()
        .order_by("id")
    )


def _page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _fetcher(images: dict[str, tuple[bytes, str]]) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static = _static_fetcher()

    class BinderFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url in images:
                body, mime = images[url]
                return URLFetcherResponse(url, body, {"Content-Type": mime})
            return static.fetch(url, headers)

    return BinderFetcher()


def _render(template: str, context: dict[str, Any], images: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(
        string=html, base_url=PDF_BASE, url_fetcher=_fetcher(images)
    ).write_pdf()


def _section(
    audit: Audit,
    title: str,
    questions: list[Question],
    day: dt.date,
    ctx: dict,
    printed: dict[str, str],
) -> Part:
    answers = {a.question_id: a for a in audit.answers.all()}
    images: dict[str, tuple[bytes, str]] = {}
    items, merged = [], []
    for question in questions:
        answer = answers.get(question.pk)
        item = Item(question, answer, None)
        if question.link in printed:
            item.report_under = printed[question.link]
        elif question.link:
            item.report = reports.generate(question.link, audit.agency, day)
            printed[question.link] = question.number
        for evidence in _files(audit, answer):
            data = storage.read(audit.agency.ori, evidence.stored_name)
            if evidence.media_type == "application/pdf" and _readable(data):
                item.merged.append(evidence)
                merged.append((evidence, data, _page_count(data)))
            elif evidence.media_type in IMAGE_TYPES:
                url = f"{PDF_BASE}evidence/{evidence.pk}"
                images[url] = (data, evidence.media_type)
                item.images.append((evidence, url))
            else:
                item.listed.append(evidence)
        items.append(item)
    pdf = _render(
        "audits/binder_section.html", {**ctx, "title": title, "items": items}, images
    )
    return Part(title, pdf, _page_count(pdf), merged)


def _readable(data: bytes) -> bool:
    """A PDF pypdf can merge; one it cannot (damaged, encrypted) is listed."""
    try:
        reader = PdfReader(io.BytesIO(data))
        return not reader.is_encrypted and len(reader.pages) > 0
    except (PdfReadError, ValueError, OSError):
        return False


def build(audit: Audit, prepared_by: str) -> bytes:
    agency = audit.agency
    day = agency.today()
    ctx = {"agency": agency, "audit": audit, "today": day, "prepared_by": prepared_by}
    parts: list[Part] = []
    printed: dict[str, str] = {}
    if audit.questionnaire is not None:
        for title, questions in audit.questionnaire.sections():
            parts.append(_section(audit, title, questions, day, ctx, printed))
    findings = list(audit.findings.prefetch_related("actions__owner"))
    pdf = _render("audits/binder_findings.html", {**ctx, "findings": findings}, {})
    parts.append(Part("Findings and corrective actions", pdf, _page_count(pdf)))

    def front(numbers: bool) -> bytes:
        return _render(
            "audits/binder_front.html",
            {
                **ctx,
                "parts": parts if numbers else [],
                "part_titles": [p.title for p in parts],
                "open": rules.counts(audit),
                "generated": us_date(day),
            },
            {},
        )

    # The contents' page count does not depend on the numbers it prints: lay it
    # out once to count its pages, then again with the numbers.
    front_pages = _page_count(front(False))
    page = front_pages + 1
    for part in parts:
        part.start = page
        page += part.pages + sum(n for _, _, n in part.merged)
    writer = PdfWriter()
    # The binder's own bookmarks only: not those WeasyPrint makes of headings, nor
    # an evidence file's.
    writer.append(io.BytesIO(front(True)), import_outline=False)
    writer.add_outline_item(title="Cover and contents", page_number=0)
    for part in parts:
        first = len(writer.pages)
        writer.append(io.BytesIO(part.pdf), import_outline=False)
        parent = writer.add_outline_item(title=part.title, page_number=first)
        for evidence, data, _ in part.merged:
            at = len(writer.pages)
            writer.append(io.BytesIO(data), import_outline=False)
            writer.add_outline_item(
                title=f"Evidence: {evidence.title}", page_number=at, parent=parent
            )
    writer.add_metadata(
        {"/Title": f"Audit binder: {audit.title}", "/Author": prepared_by}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def filename(audit: Audit) -> str:
    return f"audit-binder-{audit.agency.ori}-{audit.pk}-{audit.agency.today()}.pdf"
