"""Small generated PDFs for the demo agency's evidence files: made with WeasyPrint
when the demo loads (no binary is kept in the repository), fictional content only."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.db import models
from django.utils.html import escape

from accdesk.agency.models import Agency, Membership, Role
from accdesk.evidence.attach import add_evidence
from accdesk.evidence.models import EvidenceFile


@cache
def generated_pdf(title: str, lines: tuple[str, ...]) -> bytes:
    from weasyprint import HTML  # imported late: it loads pango at import time

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = (
        "<html><body style='font-family: sans-serif; font-size: 11pt'>"
        f"<h1 style='font-size: 16pt'>{escape(title)}</h1>{body}"
        "<p style='color: #888'>Demo document: fictional agency and people.</p>"
        "</body></html>"
    )
    return HTML(string=html).write_pdf()


def attach_pdf(
    agency: Agency,
    record: models.Model,
    *,
    title: str,
    lines: tuple[str, ...],
    kind: str,
    effective_date: dt.date,
    **kwargs: Any,
) -> EvidenceFile | None:
    """Attach a generated PDF to ``record`` unless it has evidence already."""
    if EvidenceFile.objects.filter(agency=agency).attached_to(record).exists():
        return None
    owner = (
        Membership.objects.filter(agency=agency, role=Role.ACC)
        .select_related("user")
        .first()
    )
    slug = "-".join(title.lower().split())[:60]
    return add_evidence(
        agency,
        record,
        filename=f"{slug}.pdf",
        data=generated_pdf(title, lines),
        title=title,
        kind=kind,
        effective_date=effective_date,
        owner=owner.user,
        **kwargs,
    )
