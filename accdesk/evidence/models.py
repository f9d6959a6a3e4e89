"""Evidence files: the signed copies, diagrams, photos and reports an auditor asks
for, attached to the record they prove (an agreement, a site, a document...).

One model for every app (``contenttypes``). A file is stored once, encrypted, and
never changed: a new version is a new ``EvidenceFile`` that ``replaces`` the old
one, which is kept, marked superseded. Nothing is ever deleted (CJISSECPOL v5.9.5
AU-11 and the DOJ triennial audit: the history of what was on file is evidence too).

A model that takes evidence names, on itself, the actions needed to see its files
and to add to them (``evidence_view_action``, ``evidence_edit_action``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from accdesk.agency.models import Agency
from accdesk.core.audit import Audited


class NeverDeleted(RuntimeError):
    """Evidence files are kept: mark one superseded instead."""


class Kind(models.TextChoices):
    SIGNED_COPY = "signed_copy", "Signed copy"
    DIAGRAM = "diagram", "Diagram"
    POLICY = "policy", "Policy or procedure"
    CONFIGURATION = "configuration", "Configuration record"
    PHOTO = "photo", "Photo"
    REPORT = "report", "Report or checklist"
    LOG = "log", "Log or review record"
    CERTIFICATE = "certificate", "Certificate"
    CORRESPONDENCE = "correspondence", "Correspondence"
    OTHER = "other", "Other"


class EvidenceQuerySet(models.QuerySet["EvidenceFile"]):
    def current(self) -> EvidenceQuerySet:
        """The versions in force: not superseded."""
        return self.filter(superseded_at__isnull=True)

    def attached_to(self, record: models.Model) -> EvidenceQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
        )


class EvidenceFile(Audited):
    """One version of one uploaded document, attached to one record.

    ``sha256`` and ``size`` are those of the file as uploaded; the stored copy is
    encrypted (``storage.py``). ``media_type`` is what its bytes show it is
    (``contents.py``), never what its name claims.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    effective_date = models.DateField(
        help_text="When the document took effect (signed, approved, taken): "
        "not the upload date."
    )
    expiry_date = models.DateField(
        null=True, blank=True, help_text="Blank when the document does not expire."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member who keeps this document current.",
    )
    notes = models.TextField(blank=True)

    filename = models.CharField(
        max_length=200, help_text="The name it was uploaded as."
    )
    media_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(help_text="Bytes, as uploaded.")
    sha256 = models.CharField("SHA-256", max_length=64)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by_label = models.CharField(
        max_length=254, help_text="Who uploaded it (a user, or cli:<os user>)."
    )

    version = models.PositiveIntegerField(default=1)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text="The previous version, kept.",
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by_label = models.CharField(max_length=254, blank=True)
    superseded_note = models.TextField(blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "-version", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expiry_date__isnull=True)
                | models.Q(expiry_date__gte=models.F("effective_date")),
                name="evidence_expires_after_it_takes_effect",
                violation_error_message="The expiry date is before the effective date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version}, {self.filename})"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise NeverDeleted("evidence files are kept: mark this one superseded")

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    def expired_on(self, day: Any) -> bool:
        return self.expiry_date is not None and self.expiry_date < day

    def versions(self) -> list[EvidenceFile]:
        """Every version of this document, newest first (this one included)."""
        newest = self
        while hasattr(newest, "replaced_by"):
            newest = newest.replaced_by
        chain = [newest]
        while chain[-1].replaces_id is not None:
            chain.append(chain[-1].replaces)
        return chain

    def supersede(self, *, by: str, note: str = "") -> None:
        """No longer in force (replaced, withdrawn); kept and still viewable."""
        self.superseded_at = timezone.now()
        self.superseded_by_label = by
        self.superseded_note = note
        self.save(
            update_fields=["superseded_at", "superseded_by_label", "superseded_note"]
        )
