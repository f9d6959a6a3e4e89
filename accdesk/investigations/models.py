"""Misuse investigations: one record per case, its journal, and the annual reports.

Agencies report their CLETS misuse investigations to DOJ every February 1 for the
previous calendar year (domain brief §2.1). Cases are kept one by one so that both
the counts and the per-case table of the report are generated from them
(``report.py``), never typed in twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from accdesk.agency.models import Agency
from accdesk.core.audit import Audited
from accdesk.personnel.models import Person


class Source(models.TextChoices):
    """How the suspected misuse came to light."""

    AUDIT = "audit", "Audit"
    COMPLAINT = "complaint", "Complaint"
    REFERRAL = "referral", "Referral"
    # Leads from the query-log audit (querylogs app); a lead will link to its case.
    QUERY_LOG_LEAD = "query_log_lead", "Query-log lead"
    OTHER = "other", "Other"


class Finding(models.TextChoices):
    PENDING = "pending", "Pending"
    SUSTAINED = "sustained", "Sustained"
    NOT_SUSTAINED = "not_sustained", "Not sustained"
    UNFOUNDED = "unfounded", "Unfounded"
    EXONERATED = "exonerated", "Exonerated"


class Outcome(models.TextChoices):
    """The action taken at the end of a case (the report's "action")."""

    NONE = "none", "No action"
    COUNSELING = "counseling", "Counseling"
    REPRIMAND = "reprimand", "Reprimand"
    SUSPENSION = "suspension", "Suspension"
    RESIGNED = "resigned", "Resigned"
    TERMINATED = "terminated", "Terminated"
    CRIMINAL_CHARGES = "criminal_charges", "Criminal charges"


class System(models.TextChoices):
    """Systems a misuse case can involve: CLETS and what is reached through it
    (domain brief §3.7; Rohnert Park 2016 CLETS training deck)."""

    CLETS = "CLETS", "CLETS"
    CORI = "CORI", "CORI (state criminal history)"
    III = "III", "III (FBI criminal history)"
    NCIC = "NCIC", "NCIC"
    NLETS = "NLETS", "Nlets"
    DMV = "DMV", "DMV (licenses, registrations)"
    WPS = "WPS", "Wanted Persons System"
    SVS = "SVS", "Stolen Vehicle System"
    AFS = "AFS", "Automated Firearms System"
    APS = "APS", "Automated Property System"
    ABS = "ABS", "Automated Boat System"
    CARPOS = "CARPOS", "Restraining and protective orders (CARPOS)"
    CSAR = "CSAR", "Sex and Arson Registry (CSAR)"
    MUPS = "MUPS", "Missing/Unidentified Persons System"
    SRF = "SRF", "Supervised Release File"
    MHFPS = "MHFPS", "Mental Health Firearms Prohibition System"
    OTHER = "OTHER", "Other"


def normalize_systems(codes: list[str]) -> list[str]:
    """Upper-case, without duplicates, in the order of ``System`` (so that the same
    set always compares and exports the same way)."""
    wanted = {code.strip().upper() for code in codes if code.strip()}
    return [code for code in System.values if code in wanted]


def case_problems(
    *,
    opened_on: dt.date | None,
    closed_on: dt.date | None,
    finding: str,
    action: str,
    today: dt.date | None = None,
) -> dict[str, str]:
    """The rules every case obeys, by field name; empty when there is none.

    Shared by ``MisuseCase.clean()``, the close workflow and the import, so the
    form, the import and the CLI refuse the same things. The database constraints
    in ``MisuseCase.Meta`` repeat the first four.
    """
    problems: dict[str, str] = {}
    if closed_on is not None:
        if opened_on is not None and closed_on < opened_on:
            problems["closed_on"] = (
                f"A case cannot close before it opened ({opened_on:%Y-%m-%d})."
            )
        if finding == Finding.PENDING:
            problems["finding"] = "Closing a case needs a finding other than pending."
        if not action:
            problems["action"] = "Closing a case needs an action (it may be “none”)."
    elif action:
        problems["action"] = (
            "An open case has no action yet: record it when the case is closed."
        )
    if today is not None:
        for name, value in (("opened_on", opened_on), ("closed_on", closed_on)):
            if value is not None and value > today and name not in problems:
                problems[name] = f"{value:%Y-%m-%d} is in the future."
    return problems


def validate_systems(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Name at least one system involved.")
    unknown = sorted(set(value) - set(System.values))
    if unknown:
        raise ValidationError(
            "Unknown system(s): %(unknown)s.", params={"unknown": ", ".join(unknown)}
        )


class MisuseCaseQuerySet(models.QuerySet["MisuseCase"]):
    def open(self) -> MisuseCaseQuerySet:
        return self.filter(closed_on__isnull=True)

    def in_report(self, year: int) -> MisuseCaseQuerySet:
        """Every case the report for ``year`` lists: opened or closed in the year,
        or still open at its end."""
        end = dt.date(year, 12, 31)
        return self.filter(
            models.Q(opened_on__year=year)
            | models.Q(closed_on__year=year)
            | (
                models.Q(opened_on__lte=end)
                & (models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=end))
            )
        )


class MisuseCase(Audited):
    """One investigation of suspected misuse of CLETS or the systems reached through
    it, from opening to its finding and the action taken.

    Restricted: only the ACC (and the SPOC, read-only) see it, every view is
    recorded, and the change record keeps the names of changed fields only.
    """

    audit_restricted = True

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="misuse_cases"
    )
    case_number = models.CharField(
        max_length=40, help_text="The agency's own number for the investigation."
    )
    opened_on = models.DateField("opened")
    closed_on = models.DateField("closed", null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    # PROTECT: a roster person who is the subject of a case must not vanish from it.
    subject = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="misuse_cases",
        help_text="The person investigated, when they are on the roster.",
    )
    subject_description = models.CharField(
        "subject (not on the roster)",
        max_length=200,
        blank=True,
        help_text="Who, when they are not on the roster (e.g. a former employee).",
    )
    # A JSON list of ``System`` codes: portable to SQLite and PostgreSQL alike.
    systems = models.JSONField(
        "systems involved", default=list, validators=[validate_systems]
    )
    allegation = models.TextField()
    finding = models.CharField(
        max_length=16, choices=Finding.choices, default=Finding.PENDING
    )
    action = models.CharField(
        max_length=16,
        choices=Outcome.choices,
        blank=True,
        help_text="The action taken; recorded when the case is closed.",
    )
    referred_for_prosecution = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MisuseCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "case_number"],
                name="one_case_per_case_number",
                violation_error_message="Another case has this number.",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="case_closes_after_it_opens",
                violation_error_message="A case cannot close before it opened.",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True, action="")
                | (
                    models.Q(closed_on__isnull=False)
                    & ~models.Q(finding=Finding.PENDING)
                    & ~models.Q(action="")
                ),
                name="closed_case_has_finding_and_action",
                violation_error_message="A closed case needs a finding other than "
                "pending and an action; an open case has no action.",
            ),
        ]

    def __str__(self) -> str:
        return f"Misuse case {self.case_number}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def subject_label(self) -> str:
        if self.subject is not None:
            return str(self.subject)
        return self.subject_description

    def clean(self) -> None:
        self.systems = normalize_systems(self.systems or [])
        problems = case_problems(
            opened_on=self.opened_on,
            closed_on=self.closed_on,
            finding=self.finding,
            action=self.action,
            today=self.agency.today() if self.agency_id else None,
        )
        if problems:
            raise ValidationError(problems)

    @transaction.atomic
    def close(
        self,
        *,
        on: dt.date,
        finding: str,
        action: str,
        referred: bool,
        by: Any = None,
    ) -> None:
        """Close the case with its finding and action; the journal says so."""
        if not self.is_open:
            raise ValidationError("The case is already closed.")
        problems = case_problems(
            opened_on=self.opened_on,
            closed_on=on,
            finding=finding,
            action=action,
            today=self.agency.today(),
        )
        if problems:
            raise ValidationError(problems)
        self.closed_on, self.finding, self.action = on, finding, action
        self.referred_for_prosecution = referred
        self.save(
            update_fields=[
                "closed_on",
                "finding",
                "action",
                "referred_for_prosecution",
            ]
        )
        referral = "referred" if referred else "not referred"
        self.add_note(
            on,
            f"Case closed. Finding: {self.get_finding_display()}. Action: "
            f"{self.get_action_display()}. {referral.capitalize()} for prosecution.",
            by=by,
        )

    @transaction.atomic
    def reopen(self, *, on: dt.date, reason: str, by: Any = None) -> None:
        """Reopen a closed case; its action is cleared (an open case has none) and
        the journal keeps what it was."""
        if self.is_open:
            raise ValidationError("The case is open already.")
        if self.closed_on.year < on.year:
            # Reopening would move the case out of "closed in Y" in a year whose
            # report is due or sent; past reports must not change.
            raise ValidationError(
                f"This case was closed in {self.closed_on.year}, and that year's "
                "report counts it as closed: open a new case that refers to it."
            )
        was = (
            f"closed {self.closed_on:%Y-%m-%d}, {self.get_finding_display()}, "
            f"{self.get_action_display()}"
        )
        self.closed_on, self.action = None, ""
        self.save(update_fields=["closed_on", "action"])
        self.add_note(on, f"Case reopened (was {was}). {reason}", by=by)

    def add_note(self, on: dt.date, text: str, *, by: Any = None) -> CaseNote:
        return CaseNote.objects.create(case=self, written_on=on, text=text, author=by)


class CaseNote(Audited):
    """A dated entry in a case's journal: what was done or learned, and by whom.
    Entries are added, never edited."""

    audit_restricted = True

    case = models.ForeignKey(MisuseCase, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField("date")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_on", "id"]

    def __str__(self) -> str:
        return f"Note of {self.written_on:%Y-%m-%d}"

    def audit_agency_id(self) -> int | None:
        return self.case.agency_id


class AnnualReport(Audited):
    """The misuse report for one calendar year as sent to DOJ: recording the date
    it was sent closes the reporting task. ``content`` keeps the report as it was
    when sent, so later corrections to cases do not rewrite what DOJ received."""

    # The frozen report lists case numbers, findings and actions: keep them out of
    # the change record, like the cases themselves.
    audit_private_fields = frozenset({"content"})

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="misuse_reports"
    )
    year = models.PositiveSmallIntegerField()
    sent_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_how = models.CharField(
        max_length=120, blank=True, help_text="e.g. DOJ portal, email to CAS, letter"
    )
    content = models.JSONField(help_text="The report as sent (report.build_report).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"], name="one_misuse_report_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"Misuse report {self.year}, sent {self.sent_on:%Y-%m-%d}"
