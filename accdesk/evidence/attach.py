"""Adding evidence to a record, and what a record page shows of it.

``add_evidence`` is the one way a file becomes evidence (the upload pages, the
demo data and any command go through it): content checked by its bytes, stored
encrypted, recorded. ``evidence_for(request, record)`` gives a record page what
``evidence/_evidence.html`` draws; a template adds it with one line,
``{% load evidence %}`` then ``{% evidence_files record %}``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from accdesk.agency.models import Agency
from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.core.actor import current_actor
from accdesk.evidence import contents, storage
from accdesk.evidence.models import EvidenceFile


class EvidenceRefused(ValueError):
    """The file cannot be taken as evidence (type, size): the message says why."""


def max_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024


def takes_evidence(model: type[models.Model]) -> bool:
    return hasattr(model, "evidence_view_action") and hasattr(
        model, "evidence_edit_action"
    )


def add_evidence(
    agency: Agency,
    record: models.Model,
    *,
    filename: str,
    data: bytes,
    title: str,
    kind: str,
    effective_date: dt.date,
    owner: Any,
    expiry_date: dt.date | None = None,
    notes: str = "",
    uploaded_by: Any = None,
    replaces: EvidenceFile | None = None,
) -> EvidenceFile:
    """Check, encrypt and record one file; a new version supersedes ``replaces``."""
    if len(data) > max_bytes():
        raise EvidenceRefused(
            f"“{filename}” is larger than {settings.EVIDENCE_MAX_UPLOAD_MB} MB, "
            "the limit for evidence files."
        )
    if not data:
        raise EvidenceRefused(f"“{filename}” is empty.")
    try:
        media_type = contents.check(filename, data)
    except contents.ContentRefused as exc:
        raise EvidenceRefused(str(exc)) from None
    stored = storage.store(agency.ori, data)
    actor = current_actor().label
    try:
        with transaction.atomic():
            if replaces is not None:
                replaces.supersede(by=actor, note="replaced by a new version")
            return EvidenceFile.objects.create(
                agency=agency,
                content_type=ContentType.objects.get_for_model(record),
                object_id=record.pk,
                title=title,
                kind=kind,
                effective_date=effective_date,
                expiry_date=expiry_date,
                owner=owner,
                notes=notes,
                filename=filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200],
                media_type=media_type,
                size=stored.size,
                sha256=stored.sha256,
                stored_name=stored.stored_name,
                uploaded_by=uploaded_by,
                uploaded_by_label=actor,
                version=replaces.version + 1 if replaces else 1,
                replaces=replaces,
            )
    except BaseException:
        # Not recorded: the encrypted file would be an orphan nobody can list.
        storage.path_on_disk(agency.ori, stored.stored_name).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class EvidenceBlock:
    """What a record page shows: its files in force, how many were superseded,
    and whether this member may add one."""

    record: models.Model
    content_type: ContentType
    files: list[EvidenceFile]
    superseded: int
    can_add: bool
    today: dt.date


def evidence_for(request: AgencyRequest, record: models.Model) -> EvidenceBlock | None:
    """The evidence block of ``record``'s page; ``None`` when the member may not
    see the record's evidence (the partial then draws nothing)."""
    if not may(request, "evidence.view") or not may(
        request, record.evidence_view_action
    ):
        return None
    attached = EvidenceFile.objects.filter(agency=request.agency).attached_to(record)
    files = list(attached.current().select_related("owner"))
    return EvidenceBlock(
        record=record,
        content_type=ContentType.objects.get_for_model(record),
        files=files,
        superseded=attached.count() - len(files),
        can_add=may(request, "evidence.add")
        and may(request, record.evidence_edit_action),
        today=request.agency.today(),
    )
