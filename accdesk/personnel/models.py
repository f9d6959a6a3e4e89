from __future__ import annotations

from django.db import models

from accdesk.agency.models import Agency
from accdesk.core.audit import Audited


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
