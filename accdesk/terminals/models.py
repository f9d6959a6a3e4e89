"""Terminals and the secure locations they stand in, their physical security
records, and the system documentation (network diagram, policies...).

The rules over them (inspection older than a year, reviews due, keys not returned,
the network diagram) are in ``rules.py``; docs/sites.md describes them with sources.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from accdesk.agency.models import Agency
from accdesk.core.audit import Audited
from accdesk.personnel.models import Person
from accdesk.personnel.policy import add_months


class Site(Audited):
    """A physically secure location (CJISSECPOL v5.9.5 PE-3; 11 CCR §707(a)) where
    CLETS terminals stand or CJI is handled."""

    class Type(models.TextChoices):
        STATION = "station", "Station"
        DISPATCH = "dispatch", "Dispatch centre"
        RECORDS = "records", "Records unit"
        DATA_CENTRE = "data_centre", "Data centre"
        MOBILE = "mobile", "Mobile (vehicles)"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=120)
    address = models.TextField(blank=True)
    site_type = models.CharField(
        "type", max_length=12, choices=Type.choices, default=Type.STATION
    )
    locks = models.BooleanField(default=True, help_text="Locked doors or cabinets.")
    badge_access = models.BooleanField(default=False)
    visitor_log = models.BooleanField(
        default=True, help_text="A visitor log is kept (PE-8)."
    )
    escort_rules = models.TextField(
        blank=True, help_text="How visitors are escorted and monitored."
    )
    unescorted = models.ManyToManyField(
        Person,
        blank=True,
        related_name="unescorted_sites",
        verbose_name="people with unescorted access",
        help_text="The facility access list (PE-2), from the roster.",
    )
    notes = models.TextField(blank=True)

    evidence_view_action = "sites.view"
    evidence_edit_action = "sites.edit"

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="one_site_per_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("terminals:site", kwargs={"ori": self.agency.ori, "pk": self.pk})


class Terminal(Audited):
    """A CLETS terminal or device: its mnemonic / device ID is the query log's
    ``terminal`` column. The inventory is reviewed annually (CM-8)."""

    class Type(models.TextChoices):
        WORKSTATION = "workstation", "Workstation"
        MDC = "mdc", "MDC / mobile"
        PRINTER = "printer", "Printer"
        INTERFACE = "interface", "Interface"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="terminals"
    )
    terminal = models.CharField(
        "mnemonic / device ID",
        max_length=40,
        help_text="As the CLETS query log writes it.",
    )
    terminal_type = models.CharField(
        "type", max_length=12, choices=Type.choices, default=Type.WORKSTATION
    )
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="terminals",
    )
    host = models.CharField("IP or host name", max_length=120, blank=True)
    public_view = models.BooleanField(
        "can be seen by the public",
        default=False,
        help_text="Its screen or output can be seen by the public (PE-5).",
    )
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    unit = models.CharField("assigned unit", max_length=120, blank=True)
    retired_date = models.DateField(null=True, blank=True)

    evidence_view_action = "sites.view"
    evidence_edit_action = "sites.edit"

    class Meta:
        ordering = ["terminal"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "terminal"], name="one_terminal_per_mnemonic"
            ),
            models.CheckConstraint(
                condition=models.Q(status="active", retired_date__isnull=True)
                | models.Q(status="retired", retired_date__isnull=False),
                name="retired_terminal_has_retired_date",
                violation_error_message="A retired terminal needs its retired date, "
                "an active one has none.",
            ),
        ]

    def __str__(self) -> str:
        return self.terminal

    def get_absolute_url(self) -> str:
        return reverse(
            "terminals:edit_terminal", kwargs={"ori": self.agency.ori, "pk": self.pk}
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The query log writes mnemonics in capitals; compare them so.
        self.terminal = self.terminal.strip().upper()
        super().save(*args, **kwargs)


class InventoryReview(Audited):
    """A dated sign-off that the terminal inventory was reviewed and is accurate
    (CJISSECPOL v5.9.5 CM-8: reviewed and updated annually)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    reviewed_on = models.DateField()
    reviewed_by = models.CharField(max_length=254)
    terminals = models.PositiveIntegerField(help_text="Active terminals at review.")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Inventory reviewed {self.reviewed_on} by {self.reviewed_by}"


class InspectionQuestion(Audited):
    """One question of the self-inspection checklist, with its source. Standard
    questions have no agency (``questions.py``); an agency adds its own."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(max_length=40)
    text = models.CharField("question", max_length=300)
    source = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="one_question_per_code"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(agency__isnull=True),
                name="one_standard_question_per_code",
            ),
        ]

    def __str__(self) -> str:
        return self.text


def questions_for(agency: Agency) -> models.QuerySet[InspectionQuestion]:
    return InspectionQuestion.objects.filter(
        models.Q(agency__isnull=True) | models.Q(agency=agency), active=True
    )


class Inspection(Audited):
    """A self-inspection of one site, answered question by question and signed off.
    The last one older than a year is flagged (domain brief §3.8)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="inspections")
    inspected_on = models.DateField()
    inspector = models.CharField(max_length=120)
    signed_off_on = models.DateField(null=True, blank=True)
    signed_off_by = models.CharField(max_length=254, blank=True)
    notes = models.TextField(blank=True)

    evidence_view_action = "sites.view"
    evidence_edit_action = "sites.edit"

    class Meta:
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"Inspection of {self.site} on {self.inspected_on}"

    def get_absolute_url(self) -> str:
        return reverse(
            "terminals:inspection", kwargs={"ori": self.agency.ori, "pk": self.pk}
        )

    @property
    def signed_off(self) -> bool:
        return self.signed_off_on is not None


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NA = "na", "N/A"


class InspectionAnswer(Audited):
    """One answer of an inspection; a "no" opens a corrective action."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        InspectionQuestion, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(max_length=3, choices=Answer.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["question__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.answer}"

    def audit_agency_id(self) -> int | None:
        return self.inspection.agency_id


class CorrectiveAction(Audited):
    """What will put a "no" right, who owns it and by when."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    answer = models.OneToOneField(
        InspectionAnswer, on_delete=models.PROTECT, related_name="corrective_action"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering = ["closed_on", "due_date", "id"]

    def __str__(self) -> str:
        return f"Corrective action: {self.answer.question.code} (due {self.due_date})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def site(self) -> Site:
        return self.answer.inspection.site


class PhysicalReview(Audited):
    """A dated review of a physical access record (CJISSECPOL v5.9.5): the facility
    access list (PE-2, annually), the visitor log (PE-8, quarterly), the physical
    access log (PE-6, quarterly), the key and combination inventory (PE-3,
    annually and when a holder separates). The logs themselves stay on paper or in
    the badge system: this records that they were kept and reviewed; the evidence
    (a scan, an export) is attached as an evidence file."""

    class Kind(models.TextChoices):
        ACCESS_LIST = "access_list", "Facility access list (PE-2)"
        VISITOR_LOG = "visitor_log", "Visitor log (PE-8)"
        ACCESS_LOG = "access_log", "Physical access log (PE-6)"
        KEY_INVENTORY = "key_inventory", "Key and combination inventory (PE-3)"

    # Months between reviews.
    INTERVAL_MONTHS = {
        Kind.ACCESS_LIST: 12,
        Kind.VISITOR_LOG: 3,
        Kind.ACCESS_LOG: 3,
        Kind.KEY_INVENTORY: 12,
    }

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    reviewed_on = models.DateField()
    reviewed_by = models.CharField(max_length=254)
    note = models.TextField(blank=True)

    evidence_view_action = "sites.view"
    evidence_edit_action = "sites.edit"

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reviewed {self.reviewed_on} ({self.site})"

    def get_absolute_url(self) -> str:
        return self.site.get_absolute_url()

    @property
    def next_due(self) -> dt.date:
        return add_months(self.reviewed_on, self.INTERVAL_MONTHS[self.kind])


class KeyHolding(Audited):
    """A key, combination or badge issued to someone on the roster (CJISSECPOL
    v5.9.5 PE-3: keys and combinations changed when lost or when a holder leaves)."""

    class Kind(models.TextChoices):
        KEY = "key", "Key"
        COMBINATION = "combination", "Combination"
        BADGE = "badge", "Access badge"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="key_holdings"
    )
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="keys"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.KEY)
    label = models.CharField(max_length=120, help_text="e.g. Dispatch door key #4")
    issued_on = models.DateField()
    returned_on = models.DateField(
        "returned (or changed) on",
        null=True,
        blank=True,
        help_text="For a combination: the date it was changed.",
    )

    class Meta:
        ordering = ["returned_on", "label"]

    def __str__(self) -> str:
        return f"{self.label} ({self.person.name})"

    def held_on(self, day: dt.date) -> bool:
        return self.issued_on <= day and (
            self.returned_on is None or self.returned_on > day
        )


class SystemDocument(Audited):
    """System documentation an auditor asks for: the network diagram (required:
    the LASO documents how the equipment connects to the state system, CJISSECPOL
    v5.9.5 §3.2.9), configuration, policies, plans. Reviewed at least yearly."""

    class Kind(models.TextChoices):
        NETWORK_DIAGRAM = "network_diagram", "Network diagram"
        SYSTEM_CONFIGURATION = "system_configuration", "System configuration"
        SECURITY_POLICY = "security_policy", "Security policy"
        INCIDENT_RESPONSE_PLAN = "incident_response_plan", "Incident response plan"
        MEDIA_PROTECTION_POLICY = "media_protection_policy", "Media protection policy"
        CLETS_PROCEDURES = "clets_procedures", "CLETS local procedures"
        TRAINING_MATERIAL = "training_material", "Training material"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=40, blank=True)
    effective_date = models.DateField()
    reviewed_on = models.DateField(
        "last reviewed", null=True, blank=True, help_text="Blank: not since effective."
    )
    next_review_date = models.DateField(
        blank=True, help_text="Blank: a year after the last review or effective date."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)

    evidence_view_action = "sites.view"
    evidence_edit_action = "sites.edit"

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}" if self.version else self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "terminals:document", kwargs={"ori": self.agency.ori, "pk": self.pk}
        )

    @property
    def last_reviewed(self) -> dt.date:
        return max(self.effective_date, self.reviewed_on or self.effective_date)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.next_review_date is None:
            self.next_review_date = add_months(self.last_reviewed, 12)
        super().save(*args, **kwargs)
