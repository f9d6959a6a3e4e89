"""The roster: people, their CLETS accounts, and every input to their eligibility
(background checks, training, NexTEST certifications, signed statements), plus the
agency's dated policy values. The rules themselves are in ``eligibility.py``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from accdesk.agency.models import Agency
from accdesk.core.audit import Audited
from accdesk.personnel.policy import BASELINE, show


class RoleLevel(models.TextChoices):
    """CJISSECPOL v5.9.5 AT-3 role-based training levels, lowest first; each level
    includes the topics of the levels below it."""

    UNESCORTED = "unescorted", "Unescorted access to a physically secure location"
    GENERAL = "general", "General user"
    PRIVILEGED = "privileged", "Privileged user"
    SECURITY = "security", "Personnel with security responsibilities"


class Person(Audited):
    """Someone on the agency's HR roster (employee, volunteer or contractor) who
    may touch CLETS or CLETS-derived information. Matched to CLETS accounts by
    ``employee_id``."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        LEAVE = "leave"
        SEPARATED = "separated"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="people")
    employee_id = models.CharField("employee ID", max_length=40)
    last_name = models.CharField(max_length=80)
    first_name = models.CharField(max_length=80)
    employer = models.CharField(
        max_length=120,
        default="agency",
        help_text='"agency", or the contractor vendor\'s name (IA-4(4)).',
    )
    sworn = models.BooleanField(default=False)
    employment_status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    hire_date = models.DateField(null=True, blank=True)
    separation_date = models.DateField(null=True, blank=True)
    clets_assigned_date = models.DateField(
        "CLETS assignment date",
        null=True,
        blank=True,
        help_text="Appointment as a CLETS operator: the new-operator training and "
        "testing windows count from it (blank: the account's created date).",
    )
    role_level = models.CharField(
        max_length=12,
        choices=RoleLevel.choices,
        blank=True,
        help_text="Blank for people with no access to CJI.",
    )
    administrator = models.BooleanField(
        default=False,
        help_text='Agency management who must review the NCIC "Areas of Liability".',
    )
    supervisor_employee_id = models.CharField(max_length=40, blank=True)
    access_revoked_on = models.DateField(null=True, blank=True)
    access_revoked_reason = models.TextField(blank=True)
    access_revoked_by = models.CharField(max_length=120, blank=True)
    absent_from_roster_since = models.DateField(
        null=True,
        blank=True,
        help_text="Set when an HR roster import no longer lists this person (they "
        "are kept, not deleted, until the ACC resolves it).",
    )

    # Evidence files on a person (accdesk/evidence): not for supervisors or viewers,
    # as the background checks (a file is not scoped to a supervisor's people).
    evidence_view_action = "roster.checks"
    evidence_edit_action = "roster.import"

    class Meta:
        ordering = ["last_name", "first_name", "employee_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "employee_id"], name="one_person_per_employee_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name} ({self.employee_id})"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def revoke_access(self, *, on: dt.date, reason: str, by: str) -> None:
        """Record that the agency revoked this person's CLETS access (training deck:
        "access revoked" is a deactivation trigger); ``ACCESS_REVOKED`` follows."""
        self.access_revoked_on = on
        self.access_revoked_reason = reason
        self.access_revoked_by = by
        self.save(
            update_fields=[
                "access_revoked_on",
                "access_revoked_reason",
                "access_revoked_by",
            ]
        )


class SystemAccount(Audited):
    """A CLETS operator account. ``employee_id`` links it to a ``Person``; an
    account whose employee ID matches nobody on the roster is an orphan."""

    class Access(models.TextChoices):
        FULL = "full", "Full access"
        LTF = "ltf", "Less than full access"
        NONE = "none", "None"

    class Status(models.TextChoices):
        ACTIVE = "active"
        DISABLED = "disabled"

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="accounts"
    )
    operator_id = models.CharField("operator ID", max_length=40)
    employee_id = models.CharField("employee ID", max_length=40, blank=True)
    access_level = models.CharField(max_length=4, choices=Access.choices)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    created_date = models.DateField()
    last_activity_date = models.DateField(null=True, blank=True)
    disabled_date = models.DateField(null=True, blank=True)
    disabled_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["operator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "operator_id"], name="one_account_per_operator_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator_id} ({self.get_access_level_display()})"

    def mark_deactivated(
        self, *, on: dt.date, by: str, user: object | None, note: str, reasons: str
    ) -> Deactivation:
        """The ACC disabled this account in CLETS: record it here too. A later
        accounts import that still says ``active`` reopens the item."""
        self.status = self.Status.DISABLED
        self.disabled_date = on
        self.disabled_reason = "; ".join(x for x in (reasons, note) if x)
        self.save(update_fields=["status", "disabled_date", "disabled_reason"])
        return Deactivation.objects.create(
            agency_id=self.agency_id,
            account=self,
            deactivated_on=on,
            marked_by=by,
            marked_by_user=user,
            note=note,
            reasons=reasons,
        )


class OperatorIdHolder(Audited):
    """A former holder of an operator ID: kept when an accounts import gives the
    ID to someone else, so the reconciliation can list an identifier reused
    within 1 year of its previous holder's deactivation (CJISSECPOL v5.9.5
    IA-4(d))."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    operator_id = models.CharField("operator ID", max_length=40)
    employee_id = models.CharField("employee ID", max_length=40, blank=True)
    created_date = models.DateField()
    disabled_date = models.DateField(null=True, blank=True)
    replaced_on = models.DateField(help_text="The day an import gave it to another.")

    class Meta:
        ordering = ["operator_id", "-replaced_on", "-id"]

    def __str__(self) -> str:
        return f"{self.operator_id} held by {self.employee_id or '?'}"


class Deactivation(Audited):
    """The ACC's record that they disabled a CLETS account: when, who, why."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        SystemAccount, on_delete=models.PROTECT, related_name="deactivations"
    )
    deactivated_on = models.DateField()
    marked_by = models.CharField(max_length=254)
    marked_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reasons = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deactivated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.account.operator_id} deactivated {self.deactivated_on}"


class BackgroundCheck(Audited):
    """A fingerprint-based record check. CJISSECPOL v5.9.5 §5.12.1: state and
    national (FBI) checks before access; reinvestigation every 5 years unless the
    person is enrolled in Rap Back."""

    class Check(models.TextChoices):
        STATE = "state", "State (CA DOJ) fingerprint check"
        FBI = "fbi", "FBI fingerprint check"

    class Result(models.TextChoices):
        PENDING = "pending"
        NO_RECORD = "no_record", "No record"
        RECORD = "record", "Record found"

    class Decision(models.TextChoices):
        CLEARED = "cleared"
        DENIED = "denied"

    class CsoDecision(models.TextChoices):
        GRANTED = "granted"
        DENIED = "denied"

    class PostAccessEvent(models.TextChoices):
        ARREST = "arrest"
        CONVICTION = "conviction"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="background_checks"
    )
    # Not ``check``: that would hide Model.check(); the CSV column is ``check``.
    check_type = models.CharField("check", max_length=5, choices=Check.choices)
    submitted_date = models.DateField()
    result = models.CharField(max_length=9, choices=Result.choices)
    decision = models.CharField(max_length=7, choices=Decision.choices, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    rap_back = models.BooleanField(
        "Rap Back", default=False, help_text="Enrolled in Rap Back: no reinvestigation."
    )
    rap_back_expires = models.DateField(
        "Rap Back expires",
        null=True,
        blank=True,
        help_text="The subscription exempts from reinvestigation only until then.",
    )
    # CJISSECPOL v5.12 / PPP 1.9.2: no access before the investigation is
    # "completed and approved by the agency head".
    approved_by = models.CharField(
        "approved by", max_length=120, blank=True, help_text="The agency head."
    )
    approved_date = models.DateField("approved on", null=True, blank=True)
    # CJISSECPOL §5.12.1: when a record is found, the CSO decides.
    cso_decision = models.CharField(
        "CSO decision", max_length=7, choices=CsoDecision.choices, blank=True
    )
    # §5.12.1: an arrest or conviction after access was granted -- the CSO
    # decides whether access continues.
    post_access_event = models.CharField(
        "reported after access",
        max_length=10,
        choices=PostAccessEvent.choices,
        blank=True,
    )
    post_access_reported_date = models.DateField("reported on", null=True, blank=True)
    post_access_cso_decision = models.CharField(
        "CSO decision on the report",
        max_length=7,
        choices=CsoDecision.choices,
        blank=True,
        help_text="granted: access continues; denied: it ends.",
    )
    post_access_decision_date = models.DateField(
        "CSO decided on", null=True, blank=True
    )

    class Meta:
        ordering = ["-submitted_date", "check_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "check_type", "submitted_date"],
                name="one_check_per_person_type_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_check_type_display()} submitted {self.submitted_date}"


class Course(models.TextChoices):
    """Training courses (domain brief, data model 7)."""

    SECURITY_AWARENESS = "security_awareness", "Security awareness (AT-2/AT-3)"
    CLETS_FULL_INITIAL = "clets_full_initial", "CLETS full access: initial"
    CLETS_LTF_INITIAL = "clets_ltf_initial", "CLETS less than full access: initial"
    CLETS_FULL_RECERT = "clets_full_recert", "CLETS full access: recertification"
    CLETS_LTF_RECERT = "clets_ltf_recert", "CLETS less than full: recertification"
    IR_TRAINING = "ir_training", "Incident response (IR-2)"
    PII_TRAINING = "pii_training", "PII processing (AT-3(5))"
    ADMIN_LIABILITY_REVIEW = "admin_liability_review", "Areas of Liability review"


class TrainingRecord(Audited):
    """A completed course. Security awareness counts at its AT-3 level and for
    everyone at lower levels. Kept at least 3 years (AT-4)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="training"
    )
    course = models.CharField(max_length=24, choices=Course.choices)
    level = models.CharField(max_length=12, choices=RoleLevel.choices, blank=True)
    completed_date = models.DateField()
    expiration_date = models.DateField(
        null=True,
        blank=True,
        help_text="Blank: completed date plus the training interval in force then.",
    )
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # PPP: initial CLETS training is 6 hours of lecture (full access) or 4 (less
    # than full) plus the workbook; the operator record shows both.
    hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    workbook_date = models.DateField("workbook completed", null=True, blank=True)

    class Meta:
        ordering = ["-completed_date", "course"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "level", "completed_date"],
                name="one_training_per_person_course_level_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_course_display()} {self.completed_date}"


class Certification(Audited):
    """A NexTEST result, as DOJ's expiration report lists it. Matched to accounts by
    operator ID; staff without an account are listed by employee ID instead."""

    class Test(models.TextChoices):
        FULL = "full", "Full Access"
        LTF = "ltf", "Less than Full"
        SECURITY_AWARENESS = "security_awareness", "Security Awareness"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    operator_id = models.CharField("operator ID", max_length=40, blank=True)
    employee_id = models.CharField(
        "employee ID",
        max_length=40,
        blank=True,
        help_text="Only for staff with no operator ID.",
    )
    test = models.CharField(max_length=18, choices=Test.choices)
    completed_date = models.DateField()
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    expiration_date = models.DateField(
        null=True,
        blank=True,
        help_text="Blank: completed date plus the recertification interval.",
    )

    class Meta:
        ordering = ["-completed_date", "test"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "agency",
                    "operator_id",
                    "employee_id",
                    "test",
                    "completed_date",
                ],
                name="one_certification_per_holder_test_and_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(operator_id="", employee_id=""),
                name="certification_has_a_holder",
            ),
        ]

    def __str__(self) -> str:
        holder = self.operator_id or f"employee {self.employee_id}"
        return f"NexTEST {self.get_test_display()} {holder} {self.completed_date}"


class SignedForm(Audited):
    """A signed statement or acknowledgement on file."""

    class Form(models.TextChoices):
        EMPLOYEE_STATEMENT = "employee_statement", "CLETS Employee/Volunteer Statement"
        AREAS_OF_LIABILITY = (
            "areas_of_liability",
            'NCIC "Areas of Liability" acknowledgement',
        )
        SECURITY_AWARENESS_ACK = (
            "security_awareness_ack",
            "Security awareness acknowledgement",
        )

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="signed_forms"
    )
    form = models.CharField(max_length=22, choices=Form.choices)
    signed_date = models.DateField()

    class Meta:
        ordering = ["-signed_date", "form"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "form", "signed_date"],
                name="one_form_per_person_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} signed {self.signed_date}"


class PolicySetting(Audited):
    """A dated version of one policy value for this agency, with its source. In
    force from ``effective_from`` until the next version; before the first one,
    the baseline in ``policy.py`` applies."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="policy_settings"
    )
    name = models.CharField(
        max_length=32, choices=[(k, b.label) for k, b in BASELINE.items()]
    )
    value = models.PositiveIntegerField()
    effective_from = models.DateField()
    citation = models.CharField(
        max_length=300, help_text="The document and section this value comes from."
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name", "effective_from"],
                name="one_policy_version_per_day",
            ),
        ]

    def __str__(self) -> str:
        value = show(self.name, self.value)
        return f"{self.get_name_display()}: {value} from {self.effective_from}"
