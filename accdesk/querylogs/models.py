"""What a person acts on: imports, per-agency rule settings, audit sets with their
dispositions, and leads. The log rows and findings themselves live in encrypted
Parquet files (``archive.py``), never as millions of database rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from accdesk.agency.models import Agency
from accdesk.core.audit import Audited
from accdesk.querylogs.rules import RuleSet, default_rules, parse_list

_LIST_HELP = "One per line. Leave blank to use the default list."


class AuditRules(Audited):
    """An agency's own vocabularies and thresholds; blank fields use the defaults
    shipped in ``querylogs/data/``."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="querylog_rules"
    )
    chri_keys = models.TextField(
        "criminal-history message keys", blank=True, help_text=_LIST_HELP
    )
    titles = models.TextField("requester titles", blank=True, help_text=_LIST_HELP)
    requester_patterns = models.TextField(
        "badge and ID patterns",
        blank=True,
        help_text="RE2 regular expressions, one per line. " + _LIST_HELP,
    )
    reason_terms = models.TextField(
        "specific reasons", blank=True, help_text=_LIST_HELP
    )
    generic_terms = models.TextField(
        "generic words (not a reason)", blank=True, help_text=_LIST_HELP
    )
    case_patterns = models.TextField(
        "case-number patterns",
        blank=True,
        help_text="RE2 regular expressions, one per line. " + _LIST_HELP,
    )
    repeat_operators = models.PositiveSmallIntegerField(
        "REPEAT_SUBJECT: distinct operators",
        null=True,
        blank=True,
        help_text="Default 3.",
    )
    repeat_hours = models.PositiveIntegerField(
        "REPEAT_SUBJECT: window in hours",
        null=True,
        blank=True,
        help_text="Default 168.",
    )

    LIST_FIELDS = (
        "chri_keys",
        "titles",
        "requester_patterns",
        "reason_terms",
        "generic_terms",
        "case_patterns",
    )

    class Meta:
        verbose_name_plural = "audit rules"

    def __str__(self) -> str:
        return f"Query-log rules of {self.agency}"

    def ruleset(self) -> RuleSet:
        overrides: dict[str, object] = {
            name: parse_list(getattr(self, name)) for name in self.LIST_FIELDS
        }
        overrides["repeat_operators"] = self.repeat_operators
        overrides["repeat_hours"] = self.repeat_hours
        return default_rules().with_overrides(**overrides)


def rules_for(agency: Agency) -> RuleSet:
    own = AuditRules.objects.filter(agency=agency).first()
    return own.ruleset() if own else default_rules()


class LogImport(Audited):
    """One log file stored in the agency's archive, and what its audit found."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="querylog_imports"
    )
    filename = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256 of the file", max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.CharField(max_length=254)
    rows = models.PositiveBigIntegerField(default=0)
    chri_rows = models.PositiveBigIntegerField(default=0)
    skipped_rows = models.PositiveBigIntegerField(default=0)
    new_rows = models.PositiveBigIntegerField(
        default=0, help_text="Rows added to the archive (not there before)."
    )
    rows_with_findings = models.PositiveBigIntegerField(default=0)
    by_rule = models.JSONField(default=dict)
    skipped = models.JSONField(
        default=list, help_text="[row, reason] of the first skipped rows"
    )
    months = models.JSONField(default=list)
    seconds = models.FloatField(default=0)
    complete = models.BooleanField(
        default=True,
        help_text="False while the import runs: a record left so by a killed "
        "import is removed by the next one (archive.recover).",
    )

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d %H:%M})"

    @property
    def duplicate_rows(self) -> int:
        return max(0, self.rows - self.skipped_rows - self.new_rows)

    def as_json(self) -> dict[str, int | float]:
        """The contract of ``accdesk querylog import --json`` (issue 10; other
        tools read it): rows = new_rows + duplicate_rows + skipped_rows."""
        return {
            "rows": self.rows,
            "new_rows": self.new_rows,
            "duplicate_rows": self.duplicate_rows,
            "skipped_rows": self.skipped_rows,
            "rows_with_findings": self.rows_with_findings,
            "seconds": self.seconds,
        }


class AuditSet(Audited):
    """A reproducible random sample of criminal-history inquiries for a CORI
    self-audit: the same seed and period give the same sample."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="querylog_audit_sets"
    )
    date_from = models.DateField()
    date_to = models.DateField()
    size = models.PositiveIntegerField(help_text="How many inquiries were asked for.")
    seed = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=254)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Audit set {self.date_from} – {self.date_to} (seed {self.seed})"

    def progress(self) -> tuple[int, int]:
        items = list(self.items.values_list("disposition", flat=True))
        return sum(1 for d in items if d), len(items)


class AuditSample(Audited):
    """One sampled inquiry and the reviewer's disposition of it."""

    class Disposition(models.TextChoices):
        JUSTIFIED = "justified"
        UNJUSTIFIED = "unjustified"
        NEEDS_INFO = "needs_info", "Needs information"

    # Notes may name the subject of the inquiry: keep them out of the trail.
    audit_restricted = True

    audit_set = models.ForeignKey(
        AuditSet, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField()
    key = models.CharField("archive key", max_length=32)
    ts = models.DateTimeField("time of the inquiry")
    operator_id = models.CharField(max_length=40)
    terminal = models.CharField(max_length=40, blank=True)
    message_key = models.CharField(max_length=10)
    disposition = models.CharField(
        max_length=12, choices=Disposition.choices, blank=True
    )
    note = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit_set", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit_set", "position"], name="one_sample_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.operator_id} {self.ts:%Y-%m-%d %H:%M}"

    def audit_agency_id(self) -> int | None:
        return self.audit_set.agency_id

    @property
    def month(self) -> str:
        """The archive month of the inquiry: months are partitioned by the agency's
        local time (``duck.connect``), not the site's."""
        return self.ts.astimezone(self.audit_set.agency.tz).strftime("%Y-%m")


class Lead(Audited):
    """A suspicious pattern someone acted on. Leads are computed from the findings;
    a row exists here only once a person dismissed one or referred it to a misuse
    investigation."""

    class Status(models.TextChoices):
        DISMISSED = "dismissed"
        REFERRED = "referred", "Referred to a misuse investigation"

    audit_restricted = True  # names a suspected employee

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="querylog_leads"
    )
    key = models.CharField(max_length=32)
    rule = models.CharField(max_length=32)
    operator_id = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    note = models.TextField(blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    acted_at = models.DateTimeField(default=timezone.now)
    case = models.ForeignKey(
        "investigations.MisuseCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        help_text="The misuse investigation opened from this lead.",
    )

    class Meta:
        ordering = ["-acted_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "key"], name="one_lead_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.operator_id} ({self.status})"
