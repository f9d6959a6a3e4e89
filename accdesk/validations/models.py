"""Record validations (NCIC and the California DOJ databases), entry quality and
the yearly ORI validation.

- ``ListedRecord``: one record on one monthly DOJ validation list, and what the
  agency did to validate it (domain brief §3.3; data model 13). The natural key is
  ``(database, record_id, list_date)``: the same record comes back on next year's
  list as a new row, so the history of its validations stays.
- ``EntryCheck``: an entry or a modify/locate/clear/cancel action and its
  second-party check (data model 14; brief §3.7).
- ``HitConfirmation``: a hit-confirmation request and the agency's answer, with
  the URGENT 10-minute / ROUTINE 1-hour limit (brief §3.7).
- ``OriValidation``: the yearly check of the NCIC ORI record against the agency
  profile (brief §3.2).

The rules (clocks, schedule, second-party rule, summaries) are in ``rules.py``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accdesk.agency.models import Agency, DojNotice
from accdesk.core.audit import Audited


class Database(models.TextChoices):
    """The databases a validation list comes from (brief §3.7)."""

    WPS = "WPS", "Wanted Persons System (WPS)"
    SVS = "SVS", "Stolen Vehicle System (SVS)"
    ABS = "ABS", "Automated Boat System (ABS)"
    APS = "APS", "Automated Property System (APS)"
    AFS = "AFS", "Automated Firearms System (AFS)"
    CARPOS = "CARPOS", "Restraining and Protective Order System (CARPOS)"
    CSAR = "CSAR", "California Sex and Arson Registry (CSAR)"
    MUPS = "MUPS", "Missing/Unidentified Persons System (MUPS)"
    NCIC = "NCIC", "NCIC"


class RecordFile(models.TextChoices):
    """The file (record type) of a listed record: a closed code table (issue 14)."""

    WANTED_PERSON = "wanted_person", "Wanted person"
    MISSING_PERSON = "missing_person", "Missing person"
    UNIDENTIFIED_PERSON = "unidentified_person", "Unidentified person"
    PROTECTION_ORDER = "protection_order", "Protection order"
    SEX_ARSON_REGISTRANT = "sex_arson_registrant", "Sex or arson registrant"
    STOLEN_VEHICLE = "stolen_vehicle", "Stolen vehicle"
    VEHICLE_PART = "vehicle_part", "Vehicle or boat part"
    LICENSE_PLATE = "license_plate", "License plate"
    BOAT = "boat", "Boat"
    GUN = "gun", "Gun"
    ARTICLE = "article", "Article"
    SECURITIES = "securities", "Securities"
    PROPERTY = "property", "Property"


class Result(models.TextChoices):
    VALIDATED = "validated", "Validated as is"
    MODIFIED = "modified", "Modified"
    CANCELLED = "cancelled", "Cancelled"
    CLEARED = "cleared", "Cleared"


# The sources an entering agency consults (brief §3.3, NCIC validation job aid).
SOURCES = (
    ("complainant", "Complainant"),
    ("victim", "Victim"),
    ("prosecutor", "Prosecutor"),
    ("court", "Court"),
    ("dmv", "DMV"),
    ("iii", "III"),
    ("other", "Other"),
)


class ListedRecord(Audited):
    """One record on one monthly validation list, and its validation."""

    # The description and contact notes may name a wanted or missing person.
    audit_restricted = True

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="listed_records"
    )
    database = models.CharField(max_length=8, choices=Database.choices)
    record_id = models.CharField(
        "record ID", max_length=40, help_text="NIC, FCN or the database's number."
    )
    record_file = models.CharField("file", max_length=24, choices=RecordFile.choices)
    entered_date = models.DateField("date entered (DTE)")
    list_date = models.DateField(
        help_text="The date of the DOJ list: starts the 30-day clock."
    )
    description = models.CharField(max_length=300, blank=True)
    entered_by = models.CharField(max_length=120, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    sources = models.JSONField("sources consulted", default=list, blank=True)
    contact_notes = models.TextField(blank=True)
    result = models.CharField(max_length=10, choices=Result.choices, blank=True)
    master_case_located = models.BooleanField(
        "master case record located",
        null=True,
        blank=True,
        help_text="No: the record must be cancelled (CJIS Manual §2.3.1(G)).",
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    validated_on = models.DateField(null=True, blank=True)
    second_party_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="second-party check by",
    )
    second_party_on = models.DateField("second-party check on", null=True, blank=True)

    evidence_view_action = "validations.view"
    evidence_edit_action = "validations.edit"

    class Meta:
        ordering = ["list_date", "database", "record_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "database", "record_id", "list_date"],
                name="one_listed_record_per_list",
            ),
            # The second-party rule (issue 14): the checker is another person.
            models.CheckConstraint(
                condition=models.Q(second_party_by__isnull=True)
                | ~models.Q(second_party_by=models.F("validated_by")),
                name="validation_second_party_is_another_person",
                violation_error_message="The second-party check must be made by "
                "another person than the one who validated the record.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.database} {self.record_id} (list {self.list_date})"

    def get_absolute_url(self) -> str:
        return reverse(
            "validations:record", kwargs={"ori": self.agency.ori, "pk": self.pk}
        )

    @property
    def completed(self) -> bool:
        """Validated and second-party checked."""
        return self.validated_on is not None and self.second_party_on is not None

    @property
    def completed_on(self) -> dt.date | None:
        if not self.completed:
            return None
        return max(self.validated_on, self.second_party_on)  # type: ignore[type-var]


class EntryCheck(Audited):
    """An entry or an update of a record, and its second-party check."""

    class Kind(models.TextChoices):
        ENTRY = "entry", "Entry"
        MODIFY = "modify", "Modify"
        LOCATE = "locate", "Locate"
        CLEAR = "clear", "Clear"
        CANCEL = "cancel", "Cancel"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    database = models.CharField(max_length=8, choices=Database.choices)
    record_id = models.CharField("record ID", max_length=40)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.ENTRY)
    needed_on = models.DateField(
        null=True,
        blank=True,
        help_text="For an update: when it became necessary (the arrest, the "
        "recovery, the court's order). Blank for an entry.",
    )
    done_on = models.DateField()
    done_by = models.CharField(max_length=120)
    second_party_by = models.CharField(
        "second-party check by", max_length=120, blank=True
    )
    second_party_on = models.DateField("second-party check on", null=True, blank=True)

    class Meta:
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.database} {self.record_id}"


class HitConfirmation(Audited):
    """A hit-confirmation request to the agency, and its substantive answer."""

    class Priority(models.TextChoices):
        URGENT = "urgent", "URGENT (10 minutes)"
        ROUTINE = "routine", "ROUTINE (1 hour)"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    database = models.CharField(max_length=8, choices=Database.choices)
    record_id = models.CharField("record ID", max_length=40)
    requesting_ori = models.CharField("requesting agency ORI", max_length=9)
    priority = models.CharField(max_length=8, choices=Priority.choices)
    requested_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(responded_at__isnull=True)
                | models.Q(responded_at__gte=models.F("requested_at")),
                name="hit_answered_after_request",
                violation_error_message="The answer is before the request.",
            )
        ]

    def __str__(self) -> str:
        return f"Hit confirmation {self.database} {self.record_id} ({self.priority})"


class OriValidation(Audited):
    """The yearly ORI validation: what the NCIC ORI record says, compared with the
    agency profile. A mismatch opens a Notify-DOJ task (``oris.py``)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="ori_validations"
    )
    validated_on = models.DateField()
    name = models.CharField("name on the ORI record", max_length=200)
    address = models.TextField("address on the ORI record", blank=True)
    phone = models.CharField("phone on the ORI record", max_length=40, blank=True)
    agency_head = models.CharField(
        "agency head on the ORI record", max_length=200, blank=True
    )
    ori_type = models.CharField(
        "ORI type on the record", max_length=8, choices=Agency.OriAccess.choices
    )
    mismatches = models.JSONField(default=list, blank=True)
    notice = models.ForeignKey(
        DojNotice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_by = models.CharField(max_length=254)
    notes = models.TextField(blank=True)

    evidence_view_action = "validations.view"
    evidence_edit_action = "validations.edit"

    class Meta:
        ordering = ["-validated_on", "-id"]

    def __str__(self) -> str:
        return f"ORI validation {self.validated_on}"

    @property
    def confirmed(self) -> bool:
        return not self.mismatches
