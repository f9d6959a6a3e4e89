"""What a person acts on: imports, per-agency rule settings, audit sets with their
dispositions, and leads. The log rows and findings themselves live in encrypted
Parquet files (``storage.py``), never as millions of database rows."""

from __future__ import annotations

from dataclasses import replace

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
    california_enabled = models.BooleanField(
        "also audit California criminal-history keys (CII, ACHS)",
        default=False,
        help_text="Off by default: check the key names against your message "
        "switch manual first (help: query-log rules).",
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
        rules = default_rules().with_overrides(**overrides)
        return replace(rules, california_enabled=self.california_enabled)


def rules_for(agency: Agency) -> RuleSet:
    """The agency's rules as configured now (the newest settings). The results
    are computed with the *adopted* version: ``ruleset.current_rules``."""
    own = AuditRules.objects.filter(agency=agency).first()
    return own.ruleset() if own else default_rules()


class RuleSetVersion(Audited):
    """One dated version of an agency's audit rules: every change of its settings
    and every rules level shipped with ACC Desk makes one (issue 17 §2). The
    results are computed with the version the ACC adopted (``ruleset.py``)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="querylog_rule_versions"
    )
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=254)
    reason = models.TextField("why")
    rules = models.JSONField(help_text="Every setting of the rule set (RuleSet).")
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["agency", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], name="one_rule_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"Rule set version {self.number} of {self.agency}"


class ResultSet(Audited):
    """The stored results of the archive computed with one rule-set version: the
    current one (the pages read it) or a candidate computed by ``reaudit`` and
    waiting to be adopted. Results folders: ``results`` and ``results.candidate``."""

    class Status(models.TextChoices):
        CURRENT = "current"
        CANDIDATE = "candidate"
        RETIRED = "retired"  # replaced by an adopted candidate
        DISCARDED = "discarded"  # a candidate an import or purge made stale

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="querylog_result_sets"
    )
    version = models.ForeignKey(
        RuleSetVersion, on_delete=models.PROTECT, related_name="result_sets"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    computed_at = models.DateTimeField(default=timezone.now)
    computed_by = models.CharField(max_length=254)
    changes = models.JSONField(
        default=dict, help_text="by_rule gained/lost against the current set"
    )

    class Meta:
        ordering = ["agency", "-computed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "status"],
                condition=models.Q(status__in=["current", "candidate"]),
                name="one_current_and_one_candidate_result_set",
            )
        ]

    def __str__(self) -> str:
        return f"{self.status} results (version {self.version.number})"

    @property
    def folder(self) -> str:
        return (
            "results.candidate" if self.status == self.Status.CANDIDATE else ("results")
        )


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
    rule_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The rule-set version whose findings the items recorded.",
    )

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
    findings = models.JSONField(
        default=list,
        help_text="[rule, severity, detail] when drawn: a later rule-set version "
        "never changes them (issue 17 §2).",
    )

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
    rule_version = models.PositiveIntegerField(null=True, blank=True)
    findings = models.JSONField(
        default=list,
        help_text="The lead's findings when acted on (key, month, rule, detail, "
        "ts, operator): a later rule-set version never changes them.",
    )

    class Meta:
        ordering = ["-acted_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "key"], name="one_lead_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.operator_id} ({self.status})"


# -- Summaries: what the pages read (issue 18; ``summaries.py``) -----------------------
# Written with every result set (import, reaudit, purge) from its Parquet results,
# so that the overview, the leads and the first pages of findings are indexed
# reads. They are a cache of the result files, not records: not in the change
# record, rebuilt whenever the results are.


class Summary(models.Model):
    result_set = models.ForeignKey(
        ResultSet, on_delete=models.CASCADE, related_name="+"
    )
    month = models.CharField(max_length=7)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.month}"


class MonthRuleCount(Summary):
    rule = models.CharField(max_length=32)
    findings = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["result_set", "month"])]


class MonthOperatorCount(Summary):
    op = models.CharField("operator ID (upper case)", max_length=40)
    rows = models.PositiveBigIntegerField()
    chri_rows = models.PositiveBigIntegerField()
    noncompliant_rows = models.PositiveBigIntegerField()
    lead_rows = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["result_set", "month"])]


class LeadSummary(Summary):
    """One lead's findings within one month (a lead spanning months has a row per
    month; the leads page adds them up)."""

    key = models.CharField(max_length=32)
    rule = models.CharField(max_length=32)
    operator_id = models.CharField(max_length=40, blank=True)
    inquiries = models.PositiveBigIntegerField()
    operators = models.JSONField(default=list)
    first_ts = models.DateTimeField()
    last_ts = models.DateTimeField()
    detail = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["result_set", "month"])]


class FindingHead(Summary):
    """The first findings of a month in the findings page's default order (newest
    first, then row key and rule), with their row references."""

    position = models.PositiveIntegerField()
    key = models.CharField(max_length=32)
    rule = models.CharField(max_length=32)
    severity = models.CharField(max_length=10)
    detail = models.TextField()
    ts = models.DateTimeField()
    operator_id = models.CharField(max_length=40, blank=True)
    terminal = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [models.Index(fields=["result_set", "month", "position"])]


class CoverageGap(Summary):
    """COVERAGE_GAP: a day or a month with no rows of the agency's ORI, or an
    inventory terminal with no rows in a month."""

    class Kind(models.TextChoices):
        MONTH = "month"
        DAY = "day"
        TERMINAL = "terminal"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    day = models.DateField(null=True, blank=True)
    terminal = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["month", "kind", "day", "terminal"]
        indexes = [models.Index(fields=["result_set", "month"])]

    def __str__(self) -> str:  # noqa: DJ012 (the base class defines it first)
        if self.kind == self.Kind.DAY:
            return f"no log rows on {self.day}"
        if self.kind == self.Kind.TERMINAL:
            return f"terminal {self.terminal}: no log rows in {self.month}"
        return f"no log rows in {self.month}"
