"""DOJ audits and self-audits: the audit and its stages, questionnaires as data
(versioned), answers with evidence, samples of a database's records, findings and
their corrective actions (domain brief §3.1-3.9; data model 15).

The rules (next expected audit, closing, status) are in ``rules.py``; the binder in
``binder.py``; the mock audit in ``mock.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accdesk.agency.models import Agency
from accdesk.core.audit import Audited
from accdesk.validations.models import Database, ListedRecord


class AuditType(models.TextChoices):
    CLETS_SECURITY = "clets_security", "CLETS technical/security audit"
    CORI = "cori", "CORI audit"
    DATABASE = "database", "Database audit"
    NCIC = "ncic", "NCIC audit"
    FBI_TRIENNIAL = "fbi_triennial", "FBI CJIS triennial audit"
    SELF = "self", "Self-audit"


class Status(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    PREPARING = "preparing", "Preparing"
    IN_PROGRESS = "in_progress", "In progress"
    REPORT_RECEIVED = "report_received", "Report received"
    ACTIONS_OPEN = "actions_open", "Corrective actions open"
    CLOSED = "closed", "Closed"


class Questionnaire(Audited):
    """A list of sections and questions, versioned: importing DOJ's questionnaire
    again makes a new version; audits keep the version they were answered on. The
    standard one (``agency`` blank) comes with ACC Desk (``questionnaires.py``)."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(
        max_length=300, blank=True, help_text="Where it comes from (DOJ, ACC Desk)."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code", "version"],
                name="one_questionnaire_version",
            ),
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=models.Q(agency__isnull=True),
                name="one_standard_questionnaire_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def sections(self) -> list[tuple[str, list[Question]]]:
        """The questions grouped by section, in questionnaire order."""
        out: list[tuple[str, list[Question]]] = []
        for question in self.questions.all():
            if not out or out[-1][0] != question.section:
                out.append((question.section, []))
            out[-1][1].append(question)
        return out


class Link(models.TextChoices):
    """The ACC Desk records that answer a question; the binder generates each as a
    report on the spot (``reports.py``)."""

    ROSTER = "roster", "Roster report"
    TRAINING = "training", "Operator training records"
    RELEASE_LOG = "release_log", "Release log"
    AGREEMENTS = "agreements", "Agreements register"
    NETWORK_DIAGRAM = "network_diagram", "Network diagram and system documents"
    INCIDENT_PLAN = "incident_plan", "Incident response plan"
    QUERY_LOG_AUDIT = "query_log_audit", "Query-log audit sets"
    VALIDATIONS = "validations", "Validation files"
    INSPECTIONS = "inspections", "Site inspections"


class Question(Audited):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField()
    section = models.CharField(max_length=120)
    number = models.CharField(max_length=20)
    text = models.TextField("question")
    source = models.CharField(max_length=300, blank=True)
    link = models.CharField(
        "answered by", max_length=20, choices=Link.choices, blank=True
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="one_question_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:80]}"

    def audit_agency_id(self) -> int | None:
        return self.questionnaire.agency_id


class Audit(Audited):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="audits")
    type = models.CharField(max_length=16, choices=AuditType.choices)
    title = models.CharField(max_length=200)
    databases = models.JSONField(
        "databases audited",
        default=list,
        blank=True,
        help_text="For a database audit: WPS, SVS, ABS...",
    )
    auditor = models.CharField(max_length=120, blank=True)
    auditor_agency = models.CharField(
        "auditor's agency", max_length=160, blank=True, default="CA DOJ"
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audits",
    )
    # The stages of the seed deck ("Database audits"): notified of the selection
    # (about 30 days before), pre-audit questionnaire, on-site audit and its
    # preliminary findings report, final report to the agency head (30-60 days
    # after the audit).
    announced_date = models.DateField("notified of selection", null=True, blank=True)
    questionnaire_received = models.DateField(
        "pre-audit questionnaire received", null=True, blank=True
    )
    onsite_start = models.DateField("on-site audit from", null=True, blank=True)
    onsite_end = models.DateField("on-site audit to", null=True, blank=True)
    preliminary_report = models.DateField(
        "preliminary findings report", null=True, blank=True
    )
    final_report = models.DateField(
        "final report to the agency head", null=True, blank=True
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    closed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    evidence_view_action = "audits.view"
    evidence_edit_action = "audits.edit"

    class Meta:
        ordering = ["-onsite_start", "-announced_date", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:detail", kwargs={"ori": self.agency.ori, "pk": self.pk})


class Answer(Audited):
    class Value(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        PARTLY = "partly", "Partly"
        NA = "na", "N/A"

    # The agency is the audit's, kept here too: evidence files find their record
    # within the agency (accdesk/evidence).
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers"
    )
    value = models.CharField("answer", max_length=6, choices=Value.choices)
    note = models.TextField(blank=True)
    record_links = models.JSONField(
        "links to records",
        default=list,
        blank=True,
        help_text="[{label, url}]: pages of ACC Desk records that support the answer.",
    )
    answered_by = models.CharField(max_length=254)
    answered_at = models.DateTimeField(default=timezone.now)

    evidence_view_action = "audits.view"
    evidence_edit_action = "audits.edit"

    class Meta:
        ordering = ["question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "question"], name="one_audit_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.number}: {self.get_value_display()}"

    def get_absolute_url(self) -> str:
        return reverse(
            "audits:answer",
            kwargs={
                "ori": self.audit.agency.ori,
                "pk": self.audit_id,
                "question": self.question_id,
            },
        )


class Sample(Audited):
    """A reproducible random sample of the agency's records in one database (from
    the validation lists), for a database audit: the same seed gives the same
    records (``samples.py``)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="samples")
    database = models.CharField(max_length=8, choices=Database.choices)
    size = models.PositiveIntegerField()
    seed = models.CharField(max_length=64)
    drawn_at = models.DateTimeField(default=timezone.now)
    drawn_by = models.CharField(max_length=254)

    class Meta:
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"{self.database} sample of {self.size} (seed {self.seed})"

    def audit_agency_id(self) -> int | None:
        return self.audit.agency_id


class SampleItem(Audited):
    """One sampled record and its four checks; any "no" fails it."""

    audit_restricted = True  # the note may name the record's subject

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    record = models.ForeignKey(ListedRecord, on_delete=models.PROTECT, related_name="+")
    master_case = models.BooleanField(
        "master case record located", null=True, blank=True
    )
    second_party = models.BooleanField("second-party check done", null=True, blank=True)
    validation_current = models.BooleanField(null=True, blank=True)
    accurate = models.BooleanField("entry accurate", null=True, blank=True)
    note = models.TextField(blank=True)
    checked_by = models.CharField(max_length=254, blank=True)

    CHECKS = ("master_case", "second_party", "validation_current", "accurate")

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"Sample item {self.position}: {self.record}"

    def audit_agency_id(self) -> int | None:
        return self.record.agency_id

    @property
    def result(self) -> str:
        """``pass`` when every check is yes, ``fail`` when one is no, else blank."""
        values = [getattr(self, name) for name in self.CHECKS]
        if any(v is False for v in values):
            return "fail"
        return "pass" if all(v is True for v in values) else ""


class Finding(Audited):
    class Severity(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    class Source(models.TextChoices):
        AUDITOR = "auditor", "Auditor's report"
        ANSWER = "answer", "A “no” answer"
        SAMPLE = "sample", "A failed sample check"
        MOCK = "mock", "Mock audit check"
        VALIDATION = "validation", "Master case record not located"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    severity = models.CharField(
        max_length=8, choices=Severity.choices, default=Severity.MEDIUM
    )
    citation = models.CharField(max_length=300, blank=True)
    description = models.TextField()
    source = models.CharField(
        max_length=12, choices=Source.choices, default=Source.AUDITOR
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sample_item = models.OneToOneField(
        SampleItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="finding",
    )
    listed_record = models.OneToOneField(
        ListedRecord,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_finding",
    )
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)

    evidence_view_action = "audits.view"
    evidence_edit_action = "audits.edit"

    class Meta:
        ordering = ["closed_on", "-severity", "id"]

    def __str__(self) -> str:
        return f"Finding {self.pk}: {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("audits:finding", kwargs={"ori": self.agency.ori, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CorrectiveAction(Audited):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closure_note = models.TextField(blank=True)

    # The closure evidence is an evidence file attached to the action.
    evidence_view_action = "audits.view"
    evidence_edit_action = "audits.edit"

    class Meta:
        ordering = ["closed_on", "due_date", "id"]

    def __str__(self) -> str:
        return f"Corrective action: {self.description[:60]} (due {self.due_date})"

    def get_absolute_url(self) -> str:
        return reverse("audits:action", kwargs={"ori": self.agency.ori, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status != self.State.DONE
