"""Security incidents and the incident response plan (issue 15).

An ``Incident`` follows the fields of the Michigan State Police ISO Security
Incident Report CJIS-016 (domain brief §6: the CLETS "IT Security Incident
Response" form was not found), with the times its two clocks run from
(``clocks.py``). The plan (``ResponsePlan``) is versioned; its annual approval and
its annual test (``PlanTest``) are dated duties (CJISSECPOL v5.9.5 IR-1, IR-3,
IR-8). Incidents are restricted records, like misuse cases: the change record
keeps the names of changed fields only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from accdesk.agency.models import Agency
from accdesk.core.audit import Audited
from accdesk.investigations.models import MisuseCase
from accdesk.personnel.models import Person


class IncidentType(models.TextChoices):
    """The code table of incident types (domain brief, data model 12 INCIDENT_TYPE;
    the CJIS-016 categories spelled out)."""

    LOST_DEVICE = "lost_device", "Lost or stolen device"
    UNAUTHORIZED_ACCESS = "unauthorized_access", "Unauthorized access"
    CLETS_MISUSE = "clets_misuse", "Misuse of CLETS"
    MALWARE = "malware", "Malware"
    PHISHING = "phishing", "Phishing"
    CJI_DISCLOSURE = "cji_disclosure", "Disclosure of CJI"
    PHYSICAL_BREACH = "physical_breach", "Physical breach"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    """Where an incident stands. ``not_incident``: on analysis it was not a
    security incident (a false alarm); DOJ need not be told unless it was already
    due (``clocks.doj_clock``)."""

    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    NOT_INCIDENT = "not_incident", "Not an incident"


class Phase(models.TextChoices):
    """CJIS-016 "timeframe and phase"."""

    ONE_TIME = "one_time", "One-time"
    CONTINUING = "continuing", "Continuing"


class Incident(Audited):
    """One security incident, from its discovery to its resolution (IR-4, IR-5)."""

    audit_restricted = True

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="incidents"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default="open")
    incident_type = models.CharField(
        "type", max_length=20, choices=IncidentType.choices
    )
    phase = models.CharField(
        max_length=10, choices=Phase.choices, default=Phase.ONE_TIME
    )
    # The reporter and the agency contact (CJIS-016: name, title, phone, e-mail).
    reporter_name = models.CharField("reported by", max_length=120)
    reporter_title = models.CharField("reporter's title", max_length=120, blank=True)
    reporter_phone = models.CharField("reporter's phone", max_length=40, blank=True)
    reporter_email = models.EmailField("reporter's e-mail", blank=True)
    contact_name = models.CharField("agency contact", max_length=120, blank=True)
    contact_title = models.CharField("contact's title", max_length=120, blank=True)
    contact_phone = models.CharField("contact's phone", max_length=40, blank=True)
    contact_email = models.EmailField("contact's e-mail", blank=True)
    # The moments the clocks run from and stop at (stored in UTC; entered and shown
    # in the agency's time zone).
    discovered_at = models.DateTimeField("discovered")
    reported_internally_at = models.DateTimeField(
        "reported internally", null=True, blank=True
    )
    confirmed = models.BooleanField(
        default=False, help_text="Confirmed as an incident (not only suspected)."
    )
    breach = models.BooleanField(
        "breach",
        default=False,
        help_text="Data acquired, or believed to have been acquired, by an "
        "unauthorized person: DOJ is told immediately.",
    )
    breach_known_at = models.DateTimeField(
        "breach confirmed or believed", null=True, blank=True
    )
    doj_notified_at = models.DateTimeField("DOJ notified", null=True, blank=True)
    doj_notified_how = models.CharField("how", max_length=120, blank=True)
    doj_notified_to = models.TextField("to whom", blank=True)
    # What happened (CJIS-016).
    locations = models.CharField("location(s)", max_length=200, blank=True)
    systems_affected = models.TextField("systems affected", blank=True)
    data_affected = models.TextField("data affected", blank=True)
    cji_involved = models.BooleanField("CJI involved", default=False)
    pii_involved = models.BooleanField("PII involved", default=False)
    encrypted = models.BooleanField(
        "encrypted",
        null=True,
        blank=True,
        help_text="Was the device or drive encrypted?",
    )
    detection_method = models.CharField("method of detection", max_length=200)
    description = models.TextField()
    cause = models.TextField(blank=True)
    policies_applied = models.TextField("policies that applied", blank=True)
    resolution = models.TextField(blank=True)
    lessons_learned = models.TextField(blank=True)
    needs_training = models.ManyToManyField(
        Person,
        blank=True,
        related_name="incidents_needing_training",
        verbose_name="people needing training",
        help_text="Trained within 30 days of the discovery (AT-2).",
    )
    # Members other than the ACC and SPOC who may see this incident.
    named_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name="other members who may see it",
    )
    misuse_case = models.ForeignKey(
        MisuseCase,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
        help_text="The misuse investigation opened for it (Feb-1 report).",
    )
    # The breach decision (CJISSECPOL v5.9.5 IR-8(1)).
    notify_individuals = models.BooleanField(
        "individuals must be notified", null=True, blank=True
    )
    harm_assessment = models.TextField(blank=True)
    rules_applied = models.TextField("privacy rules applied", blank=True)
    decided_on = models.DateField("decided", null=True, blank=True)
    decided_by = models.CharField("decided by", max_length=120, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Evidence files (screenshots, logs, the DOJ acknowledgment): as the incident.
    evidence_view_action = "incidents.view_all"
    evidence_edit_action = "incidents.edit"

    class Meta:
        ordering = ["-discovered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(breach=False)
                | models.Q(breach_known_at__isnull=False),
                name="breach_has_its_moment",
                violation_error_message="Say when the breach was confirmed or "
                "believed.",
            ),
        ]

    def __str__(self) -> str:
        return f"Incident {self.reference}"

    @property
    def reference(self) -> str:
        return f"IR-{self.pk}" if self.pk else "IR-new"

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def discovered_on(self) -> dt.date:
        """The calendar date of the discovery where the agency is."""
        return timezone.localtime(self.discovered_at, self.agency.tz).date()

    def add_action(
        self, taken_at: dt.datetime, phase: str, text: str, *, by: Any = None
    ) -> IncidentAction:
        return IncidentAction.objects.create(
            incident=self, taken_at=taken_at, phase=phase, text=text, author=by
        )


class ActionPhase(models.TextChoices):
    """CJISSECPOL v5.9.5 IR-4: the handling phases after detection."""

    CONTAINMENT = "containment", "Containment"
    ERADICATION = "eradication", "Eradication"
    RECOVERY = "recovery", "Recovery"
    NOTE = "note", "Note"


class IncidentAction(Audited):
    """A dated entry of the incident's journal (actions taken). Added, never
    edited."""

    audit_restricted = True

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="actions"
    )
    taken_at = models.DateTimeField("when")
    phase = models.CharField(max_length=12, choices=ActionPhase.choices)
    text = models.TextField("what was done")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} entry"

    def audit_agency_id(self) -> int | None:
        return self.incident.agency_id


class ReportGeneration(Audited):
    """Each time the DOJ report of an incident was generated (PDF or e-mail
    text): who, when, which."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        EMAIL = "email", "E-mail text"

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="reports"
    )
    fmt = models.CharField("format", max_length=8, choices=Format.choices)
    generated_at = models.DateTimeField(default=timezone.now)
    generated_by = models.CharField(max_length=160)

    class Meta:
        ordering = ["-generated_at", "-id"]

    def __str__(self) -> str:
        return f"DOJ report ({self.fmt})"

    def audit_agency_id(self) -> int | None:
        return self.incident.agency_id


class ResponsePlan(Audited):
    """One version of the agency's incident response plan (IR-8): the document
    is an evidence file on it; approved by the agency head once a year."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="response_plans"
    )
    version = models.CharField(max_length=40)
    summary = models.TextField("what changed", blank=True)
    breach_annex = models.TextField(
        blank=True,
        help_text="IR-8(1): when individuals are notified, how harm is assessed, "
        "which privacy rules apply.",
    )
    approved_by = models.CharField(
        "approved by", max_length=120, blank=True, help_text="The agency head."
    )
    approved_on = models.DateField("approved", null=True, blank=True)
    distribution_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name="distributed to (members)",
    )
    distribution_people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="+",
        verbose_name="distributed to (roster people)",
    )
    notified_at = models.DateTimeField("distribution notified", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    evidence_view_action = "incidents.plan_view"
    evidence_edit_action = "incidents.plan_edit"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "version"],
                name="one_plan_per_version",
                violation_error_message="A plan with this version exists.",
            ),
        ]

    def __str__(self) -> str:
        return f"Incident response plan v{self.version}"


class Acknowledgement(Audited):
    """Someone on the distribution list acknowledged this version of the plan."""

    plan = models.ForeignKey(
        ResponsePlan, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_on = models.DateField("acknowledged")
    recorded_by = models.CharField(max_length=160)

    class Meta:
        ordering = ["acknowledged_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, person__isnull=True)
                | models.Q(user__isnull=True, person__isnull=False),
                name="acknowledgement_by_one_member_or_person",
            ),
            models.UniqueConstraint(
                fields=["plan", "user"], name="one_acknowledgement_per_member"
            ),
            models.UniqueConstraint(
                fields=["plan", "person"], name="one_acknowledgement_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"Acknowledgement of v{self.plan.version}"

    def audit_agency_id(self) -> int | None:
        return self.plan.agency_id


class PlanTest(Audited):
    """The annual test of the plan, by tabletop exercise or simulation (IR-3)."""

    class Kind(models.TextChoices):
        TABLETOP = "tabletop", "Tabletop exercise"
        SIMULATION = "simulation", "Simulation"

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="plan_tests"
    )
    plan = models.ForeignKey(
        ResponsePlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tests",
    )
    tested_on = models.DateField("tested")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    participants = models.TextField()
    lessons = models.TextField("lessons learned", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    evidence_view_action = "incidents.plan_view"
    evidence_edit_action = "incidents.plan_edit"

    class Meta:
        ordering = ["-tested_on", "-id"]

    def __str__(self) -> str:
        return f"Plan test {self.tested_on:%Y-%m-%d}"
