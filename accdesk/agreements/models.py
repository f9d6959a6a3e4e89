"""Agreements and forms on file: the CLETS Subscriber Agreement, Management Control
Agreements, Security Addenda, the SPOC agreement, interagency agreements...; the
vendors (contractors) they bind; and the kinds of agreement, as data.

The rules over them (one Subscriber Agreement in force, signed by the current agency
head; an MCA per vendor; an addendum per private-contractor employee; expiry) are in
``rules.py``, documented with their sources in docs/agreements.md.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse

from accdesk.agency.models import Agency, validate_ori
from accdesk.core.audit import Audited


class AgreementKind(Audited):
    """A kind of agreement or form, with the rule it comes from. The standard kinds
    (``agency`` blank) come with ACC Desk; an agency adds its own."""

    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_kinds",
        help_text="Blank for the standard kinds every agency has.",
    )
    code = models.SlugField(
        max_length=40, help_text="The code used in import files, e.g. hdc_0001."
    )
    name = models.CharField(max_length=160)
    form_number = models.CharField(max_length=40, blank=True, help_text="e.g. HDC 0001")
    citation = models.CharField(
        max_length=300, help_text="The rule or document that requires it."
    )
    user_agreement = models.BooleanField(
        default=False,
        help_text="A user agreement: CJISSECPOL §5.1.1.3 lists the topics it covers.",
    )
    needs_party_ori = models.BooleanField("needs the other agency's ORI", default=False)
    needs_vendor = models.BooleanField(default=False)
    per_employee = models.BooleanField(
        default=False, help_text="Signed by each employee (needs an employee ID)."
    )

    class Meta:
        ordering = ["form_number", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="one_agreement_kind_per_code"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(agency__isnull=True),
                name="one_standard_agreement_kind_per_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.form_number})" if self.form_number else self.name


def kinds_for(agency: Agency) -> models.QuerySet[AgreementKind]:
    """The standard kinds and the agency's own."""
    return AgreementKind.objects.filter(
        models.Q(agency__isnull=True) | models.Q(agency=agency)
    )


class Vendor(Audited):
    """A contractor company whose employees appear on the roster (the roster's
    ``employer``). A government vendor signs HDC 0004A, a private one HDC 0004B, and
    each private-vendor employee with access an HDC 0012 (CJISSECPOL §5.1.1.5)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="vendors")
    name = models.CharField(
        max_length=120,
        help_text="As the HR roster writes it in the employer column.",
    )
    private = models.BooleanField(
        default=True,
        help_text="A private company (HDC 0004B and a Security Addendum per "
        "employee); untick for a government agency (HDC 0004A).",
    )
    contact = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    evidence_view_action = "agreements.view"
    evidence_edit_action = "agreements.edit"

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"], name="one_vendor_per_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "agreements:vendor", kwargs={"ori": self.agency.ori, "pk": self.pk}
        )

    @property
    def mca_code(self) -> str:
        """The Management Control Agreement this vendor signs."""
        return "hdc_0004b" if self.private else "hdc_0004a"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_FORCE = "in_force", "In force"
    SUPERSEDED = "superseded", "Superseded"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


class Topic(models.TextChoices):
    """What every user agreement must cover (CJISSECPOL v5.9.5 §5.1.1.3)."""

    AUDIT = "audit", "Audit"
    DISSEMINATION = "dissemination", "Dissemination"
    HIT_CONFIRMATION = "hit_confirmation", "Hit confirmation"
    LOGGING = "logging", "Logging"
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance"
    SCREENING = "screening", "Pre-employment screening"
    SECURITY = "security", "Security"
    TIMELINESS = "timeliness", "Timeliness"
    TRAINING = "training", "Training"
    USE = "use", "Use of the system"
    VALIDATION = "validation", "Validation"


class Agreement(Audited):
    """One agreement or signed form: its kind, parties, signatory, dates and status.
    The signed copy is an evidence file attached to it."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="agreements"
    )
    reference = models.CharField(
        max_length=60, help_text="The agency's reference; the import's key."
    )
    kind = models.ForeignKey(
        AgreementKind, on_delete=models.PROTECT, related_name="agreements"
    )
    party = models.CharField(
        "other party",
        max_length=200,
        blank=True,
        help_text="Blank for this agency alone (e.g. the Subscriber Agreement with "
        "DOJ); else the other agency or company.",
    )
    party_ori = models.CharField(
        "other party's ORI", max_length=9, blank=True, validators=[validate_ori]
    )
    vendor = models.ForeignKey(
        Vendor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    employee_id = models.CharField(
        "employee ID",
        max_length=40,
        blank=True,
        help_text="For a form each employee signs (HDC 0012).",
    )
    signatory = models.CharField(max_length=120, blank=True)
    signatory_title = models.CharField(max_length=120, blank=True)
    signed_date = models.DateField(null=True, blank=True)
    effective_date = models.DateField(null=True, blank=True)
    expiry_date = models.DateField(
        "expiry or review date",
        null=True,
        blank=True,
        help_text="Past this date the agreement counts as expired, whatever its "
        "recorded status.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.IN_FORCE
    )
    topics = models.JSONField(
        "topics covered",
        default=list,
        blank=True,
        help_text="For a user agreement: the §5.1.1.3 topics it covers.",
    )
    notes = models.TextField(blank=True)

    evidence_view_action = "agreements.view"
    evidence_edit_action = "agreements.edit"

    class Meta:
        ordering = ["kind__form_number", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "reference"], name="one_agreement_per_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.kind.form_number or self.kind.name})"

    def get_absolute_url(self) -> str:
        return reverse(
            "agreements:detail", kwargs={"ori": self.agency.ori, "pk": self.pk}
        )

    def status_on(self, day: dt.date) -> str:
        """The status that counts on ``day``: an agreement whose expiry date has
        passed is expired whatever its recorded status (issue 13)."""
        if self.expiry_date is not None and self.expiry_date < day:
            return Status.EXPIRED
        return self.status

    def in_force_on(self, day: dt.date) -> bool:
        return self.status_on(day) == Status.IN_FORCE and (
            self.effective_date is None or self.effective_date <= day
        )

    @property
    def party_label(self) -> str:
        if self.vendor_id is not None:
            return str(self.vendor)
        if self.party:
            return f"{self.party} ({self.party_ori})" if self.party_ori else self.party
        return self.party_ori or "this agency"
