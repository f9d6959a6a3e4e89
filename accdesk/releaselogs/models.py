"""The third-party release log: every release of CORI or III to someone outside the
agency -- when, to whom, what, how, and by whom.

11 CCR §707(c) requires the record (release date, requesting and receiving terminal
identifiers, the information given) and keeps it available for inspection for at
least three years; CJISSECPOL v5.9.5 §5.1.3 requires logging CHRI released outside
the primary information-exchange agreement.

Entries are append-only (AU-9): nothing in the app updates or deletes one. The only
removal is the retention purge (``retention.py``), which leaves a
``PurgeCertificate`` behind so the hash chain (``chain.py``) still verifies.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connections, models, transaction
from django.db.models import F, OuterRef, Q, Subquery

from accdesk.agency.models import Agency, validate_ori
from accdesk.core.audit import Audited
from accdesk.core.models import AppendOnlyError
from accdesk.lib.dates import day_range, start_of_day
from accdesk.personnel.models import Person


class AppendOnlyQuerySet(models.QuerySet):
    """No bulk path may change or remove rows, or add rows around ``chain.append``."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted")

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[Any]:
        raise AppendOnlyError(f"{self.model.__name__} rows are added one at a time")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be updated")


class AppendOnly(models.Model):
    """Rows are inserted once and never saved again or deleted (AU-9)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted")


class Method(models.TextChoices):
    """How the information was transmitted (CLETS ACC training: "how transmitted")."""

    IN_PERSON = "in_person", "In person"
    MAIL = "mail", "Mail"
    FAX = "fax", "Fax"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    ELECTRONIC = "electronic", "Electronic (message or system)"


class EntryQuerySet(AppendOnlyQuerySet):
    def released_between(
        self, first: dt.date | None, last: dt.date | None, tz: dt.tzinfo
    ) -> EntryQuerySet:
        """Entries released from ``first`` to ``last`` inclusive (either may be
        open), in the agency's calendar (``tz``)."""
        start, end = day_range(first, last, tz)
        entries = self
        if start is not None:
            entries = entries.filter(released_at__gte=start)
        if end is not None:
            entries = entries.filter(released_at__lt=end)
        return entries

    def released_before(self, day: dt.date, tz: dt.tzinfo) -> EntryQuerySet:
        return self.filter(released_at__lt=start_of_day(day, tz))

    def search(self, text: str) -> EntryQuerySet:
        query = Q()
        for name in SEARCHED_FIELDS:
            query |= Q(**{f"{name}__icontains": text})
        return self.filter(query)

    def with_superseded_by(self) -> EntryQuerySet:
        """Annotate ``superseded_by``: the sequence number of the correction."""
        corrections = ReleaseLogEntry.objects.filter(
            agency=OuterRef("agency"), corrects_sequence=OuterRef("sequence")
        ).values("sequence")[:1]
        return self.annotate(superseded_by=Subquery(corrections))

    def _purge(self) -> int:
        """Delete for the retention purge only (``retention.purge``), which writes
        the purge certificate first. Deletions are recorded by the signals.

        On PostgreSQL a trigger refuses DELETE on this table unless the
        transaction says it is the purge (migration 0002)."""
        connection = connections[self.db]
        with transaction.atomic(using=self.db):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL accdesk.purge = 'on'")
            removed = models.QuerySet.delete(self)[0]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL accdesk.purge = 'off'")
        return removed


# What a release says, in the order of the import and export columns.
CONTENT_FIELDS = (
    "released_at",
    "requesting_terminal",
    "receiving_terminal",
    "requestor_name",
    "requesting_agency",
    "requesting_ori",
    "information",
    "method",
    "purpose",
    "case_number",
    "released_by",
)
SEARCHED_FIELDS = (
    "requestor_name",
    "requesting_agency",
    "requesting_ori",
    "requesting_terminal",
    "receiving_terminal",
    "information",
    "purpose",
    "case_number",
    "released_by",
)


class ReleaseLogEntry(AppendOnly, Audited):
    """One release of CORI or III to an outside agency.

    ``sequence`` numbers the agency's entries 1, 2, 3, ... in the order they were
    recorded (not released: old logs are imported late); ``hash`` chains each entry
    to the one before (see ``chain.py``). A correction is a new entry whose
    ``corrects_sequence`` names the entry it supersedes; both stay in the log.
    """

    audit_restricted = True  # subject identifiers must not be copied into the trail

    agency = models.ForeignKey(
        # PROTECT: an agency with a legally retained log cannot be deleted.
        Agency,
        on_delete=models.PROTECT,
        related_name="release_log",
    )
    sequence = models.PositiveBigIntegerField(editable=False)
    hash = models.CharField(max_length=64, editable=False)
    released_at = models.DateTimeField("released at")
    requesting_terminal = models.CharField("requesting terminal ID", max_length=40)
    receiving_terminal = models.CharField("receiving terminal ID", max_length=40)
    requestor_name = models.CharField("requestor name", max_length=120)
    requesting_agency = models.CharField(max_length=200)
    requesting_ori = models.CharField(
        "requesting agency ORI",
        max_length=9,
        blank=True,
        validators=[validate_ori],
    )
    information = models.TextField(
        "information given",
        help_text="Record type and subject identifiers, e.g. "
        "“CII rap sheet – DOE, JOHN, CII A12345678”.",
    )
    method = models.CharField("how transmitted", max_length=12, choices=Method.choices)
    purpose = models.CharField("purpose or authority", max_length=200)
    case_number = models.CharField(max_length=40, blank=True)
    released_by = models.CharField(
        max_length=120, help_text="Name of the employee who released it."
    )
    # A plain link, no database constraint: the legally retained entry must outlive
    # a roster record, and an entry is never updated to clear it.
    released_by_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    corrects_sequence = models.PositiveBigIntegerField(
        "corrects entry", null=True, blank=True
    )
    correction_reason = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(editable=False)
    recorded_by = models.CharField(max_length=254, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = "release log entry"
        verbose_name_plural = "release log entries"
        indexes = [models.Index(fields=["agency", "released_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "sequence"], name="one_release_entry_per_sequence"
            ),
            models.UniqueConstraint(
                fields=["agency", "corrects_sequence"],
                name="one_correction_per_release_entry",
                violation_error_message="This entry has already been corrected.",
            ),
            models.CheckConstraint(
                condition=~Q(requesting_terminal="")
                & ~Q(receiving_terminal="")
                & ~Q(requestor_name="")
                & ~Q(requesting_agency="")
                & ~Q(information="")
                & ~Q(purpose="")
                & ~Q(released_by="")
                & ~Q(hash="")
                & Q(method__in=Method.values),
                name="release_entry_required_fields",
            ),
            models.CheckConstraint(
                condition=Q(corrects_sequence__isnull=True)
                | (Q(corrects_sequence__lt=F("sequence")) & ~Q(correction_reason="")),
                name="release_correction_points_back_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Release #{self.sequence}"

    def correction(self, reason: str, **changes: Any) -> ReleaseLogEntry:
        """A new, unsaved entry superseding this one: the same content with
        ``changes`` applied. This entry itself is never changed."""
        values = {name: getattr(self, name) for name in CONTENT_FIELDS} | changes
        return ReleaseLogEntry(
            agency=self.agency,
            corrects_sequence=self.sequence,
            correction_reason=reason,
            **values,
        )


class PurgeCertificate(AppendOnly, Audited):
    """What a retention purge removed, signed with the chain key.

    It lists the sequence number and hash of every removed entry, so that the
    remaining chain still verifies across the gaps; a gap no certificate covers is
    a deletion behind the app's back.
    """

    audit_ignored_fields = frozenset({"entries"})  # may be thousands of hashes

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="release_log_purges"
    )
    purged_at = models.DateTimeField()
    purged_by = models.CharField(max_length=254)
    before = models.DateField(help_text="Entries released before this date went.")
    retention_years = models.PositiveSmallIntegerField()
    released_from = models.DateTimeField()
    released_to = models.DateTimeField()
    count = models.PositiveIntegerField()
    entries = models.JSONField(help_text="[[sequence, hash], ...] of removed entries")
    last_sequence = models.PositiveBigIntegerField()
    last_hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-purged_at", "-id"]

    def __str__(self) -> str:
        return f"Purge of {self.count} entries released before {self.before:%Y-%m-%d}"

    @property
    def covered(self) -> dict[int, str]:
        return {int(sequence): str(value) for sequence, value in self.entries}


class ChainCheck(AppendOnly):
    """One verification of an agency's chain: its result and the head it saw.

    The page shows the latest; the next verification checks that the head seen by
    the last successful one is still there (a cut-off tail leaves no gap).
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="release_log_checks"
    )
    checked_at = models.DateTimeField()
    checked_by = models.CharField(max_length=254)
    ok = models.BooleanField()
    head_sequence = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64, blank=True)
    entries = models.PositiveIntegerField(help_text="entries whose hash was checked")
    first_bad_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    problem = models.TextField(blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        state = "intact" if self.ok else f"broken at {self.first_bad_sequence}"
        return f"{self.checked_at:%Y-%m-%d %H:%M} {state}"
