from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from accdesk.core.audit import Audited

ORI_PATTERN = re.compile(r"^[A-Z]{2}[A-Z0-9]{7}$")


def normalize_ori(value: str) -> str:
    return (value or "").strip().upper()


def validate_ori(value: str) -> None:
    """An ORI is the 9-character identifier the FBI assigns to an agency: a
    two-letter state code and seven letters or digits (NCIC ORI File)."""
    if not ORI_PATTERN.match(value or ""):
        raise ValidationError(
            "An ORI is 9 characters: a two-letter state code and 7 letters or "
            "digits, e.g. CA0190000 (got %(value)r).",
            params={"value": value},
            code="invalid_ori",
        )


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Unknown time zone %(value)r.", params={"value": value})


class Agency(Audited):
    """A law-enforcement agency using ACC Desk: the tenant every record belongs to.

    The fields are those DOJ holds for the agency (NCIC ORI record, CLETS
    Subscriber Agreement); a change to the phone or address must be reported to
    DOJ (see ``DojNotice``).
    """

    class Type(models.TextChoices):
        CJA = "cja", "Criminal justice agency (CJA)"
        NCJA = "ncja", "Noncriminal justice agency (NCJA)"
        CONTRACTOR = "contractor", "Contractor"

    class OriAccess(models.TextChoices):
        FULL = "full", "Full-access ORI"
        LIMITED = "limited", "Limited-access ORI"

    ori = models.CharField("ORI", max_length=9, unique=True, validators=[validate_ori])
    name = models.CharField(max_length=200)
    address = models.TextField(
        blank=True, help_text="Street, city, ZIP: as DOJ has it."
    )
    phone = models.CharField(max_length=40, blank=True)
    county = models.CharField(max_length=80, blank=True)
    agency_type = models.CharField(
        max_length=12, choices=Type.choices, default=Type.CJA
    )
    ori_access = models.CharField(
        "ORI access", max_length=8, choices=OriAccess.choices, default=OriAccess.FULL
    )
    time_zone = models.CharField(
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text="Calendar dates and deadlines are computed in this time zone.",
    )
    additional_oris = models.JSONField(
        "additional ORIs",
        default=list,
        blank=True,
        help_text="Sub-ORIs the agency answers for: their query-log rows are the "
        "agency's (issue 10). Each change is recorded.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Evidence files on the agency itself (accdesk/evidence): who sees and adds them.
    evidence_view_action = "agency.view"
    evidence_edit_action = "agency.edit"

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return f"{self.name} ({self.ori})"

    def audit_agency_id(self) -> int | None:
        return self.pk

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        self.ori = normalize_ori(self.ori)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # The query-log archive is partitioned by calendar month in this time zone
        # (querylogs/storage.py); changing it would move rows near a month's edge
        # out of the month that holds them.
        if self.pk is None or not self.querylog_imports.exists():
            return
        stored = Agency.objects.values_list("time_zone", flat=True).get(pk=self.pk)
        if stored != self.time_zone:
            raise ValidationError(
                {
                    "time_zone": "The time zone cannot change once query logs are "
                    "archived: their months are calendar months in this time zone."
                }
            )

    def all_oris(self) -> tuple[str, ...]:
        """The agency's ORI, then its additional ORIs: the ORIs a query log of
        this agency may carry (CJISSECPOL IA-0: every transaction carries the
        ORI; a servicing agency may run them under either ORI, PPP 1.6)."""
        return (self.ori, *[o for o in self.additional_oris if o != self.ori])

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> dt.date:
        """Today's date where the agency is (deadlines are calendar dates there)."""
        return timezone.now().astimezone(self.tz).date()


class Role(models.TextChoices):
    """What a signed-in user may do in one agency (see ``permissions.ACTIONS``)."""

    ACC = "acc", "Agency CLETS Coordinator"
    SPOC = "spoc", "Security Point of Contact / LASO"
    SUPERVISOR = "supervisor", "Supervisor"
    VIEWER = "viewer", "Viewer"
    AUDITOR = "auditor", "Auditor (read-only, expires)"


class Membership(Audited):
    """A user's role in one agency. A user sees only agencies they are a member of."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    expires_on = models.DateField(
        null=True,
        blank=True,
        help_text="Required for auditors: their access ends after this date.",
    )
    employee_id = models.CharField(
        max_length=40,
        blank=True,
        help_text="This user's employee ID on the agency roster (links a "
        "supervisor to the people assigned to them).",
    )
    suspended_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Suspended by the ACC: no access to this agency until reactivated.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency"], name="one_membership_per_user_and_agency"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="auditor")
                | models.Q(expires_on__isnull=False),
                name="auditor_membership_expires",
                violation_error_message="An auditor's membership needs an expiry date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.agency.ori}"

    def is_in_force(self) -> bool:
        """Not suspended, and not past its expiry date: an auditor's membership
        ends after its expiry date (agency's calendar)."""
        if self.suspended_at is not None:
            return False
        return self.expires_on is None or self.expires_on >= self.agency.today()

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    def clean(self) -> None:
        if self.role == Role.AUDITOR and self.expires_on is None:
            raise ValidationError(
                {"expires_on": "An auditor's membership needs an expiry date."}
            )


class Designation(Audited):
    """Who holds a designated role for the agency, and from when to when.

    The current holder is the one with no end date. Exactly one current holder of
    the agency head, ACC, SPOC/LASO and DOJ field representative roles (CLETS PPP;
    HDC 0011 for the SPOC); any number of other contacts.
    """

    class Kind(models.TextChoices):
        AGENCY_HEAD = "agency_head", "Agency head"
        ACC = "acc", "Agency CLETS Coordinator (ACC)"
        SPOC = "spoc", "Security Point of Contact (SPOC/LASO)"
        DOJ_FIELD_REP = "doj_field_rep", "DOJ field representative"
        # Whom the agency tells about a security incident (CA DOJ MOU, Exhibit E
        # "Breach Response"; accdesk/incidents, issue 15).
        DOJ_ISO = "doj_iso", "DOJ Information Security Officer"
        DOJ_PTM = "doj_ptm", "DOJ Program & Technical Manager"
        DOJ_CIO = "doj_cio", "DOJ Chief Information Officer (CIO)"
        OTHER = "other", "Other contact"

    # The DOJ recipients of an incident report (accdesk/incidents).
    DOJ_INCIDENT_CONTACTS = (Kind.DOJ_ISO, Kind.DOJ_PTM, Kind.DOJ_CIO)
    SINGLE_HOLDER = (
        Kind.AGENCY_HEAD,
        Kind.ACC,
        Kind.SPOC,
        Kind.DOJ_FIELD_REP,
        *DOJ_INCIDENT_CONTACTS,
    )
    # A change of these must be reported to DOJ (training deck: "Changes to Agency
    # Head, ACC, SPOC, Telephone, Address").
    REPORTABLE = (Kind.AGENCY_HEAD, Kind.ACC, Kind.SPOC)

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="designations"
    )
    kind = models.CharField("role", max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=120)
    title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    starts_on = models.DateField("effective from")
    ends_on = models.DateField("until", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind"],
                condition=models.Q(ends_on__isnull=True) & ~models.Q(kind="other"),
                name="one_current_holder_per_designated_role",
                violation_error_message="This role already has a current holder.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def is_current(self) -> bool:
        return self.ends_on is None


class DojNoticeQuerySet(models.QuerySet["DojNotice"]):
    def open(self) -> DojNoticeQuerySet:
        return self.filter(sent_on__isnull=True)


class DojNotice(Audited):
    """A "Notify DOJ" task: a change of agency head, ACC, SPOC, telephone or address
    that the ACC must report to DOJ's CLETS Administration Section and the DOJ
    field representative. The notice text is frozen when the change is made; the
    task closes when the ACC records the date it was sent."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="notices")
    changes = models.JSONField(help_text="[{item, label, old, new}]")
    effective_on = models.DateField()
    body = models.TextField(help_text="The notice as generated, ready to print.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_how = models.CharField(
        max_length=120, blank=True, help_text="e.g. email to CAS, letter, fax"
    )

    objects = DojNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        items = ", ".join(change["label"] for change in self.changes)
        return f"Notify DOJ: {items} (effective {self.effective_on:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.sent_on is None
