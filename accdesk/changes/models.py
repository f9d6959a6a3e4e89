"""The weekly review of the change record (CJISSECPOL v5.9.5 AU-6: audit records
are reviewed and analyzed at least weekly).

The SPOC (or the ACC) records each review: who reviewed, which period, notes. A
period is whole weeks, Monday to Sunday in the agency's time zone; a week's review
is due the following Monday (``reviews.py``). Reviews are kept like the record
they review: nothing in the app changes or deletes one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accdesk.agency.models import Agency
from accdesk.core.audit import Audited


class AuditLogReview(Audited):
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="audit_log_reviews"
    )
    period_start = models.DateField(help_text="A Monday: the first day reviewed.")
    period_end = models.DateField(help_text="A Sunday: the last day reviewed.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField()
    notes = models.TextField(
        blank=True,
        help_text="What was looked at and anything found (no personal identifiers).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="audit_log_review_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return (
            f"Change record reviewed {self.period_start:%Y-%m-%d} to "
            f"{self.period_end:%Y-%m-%d}"
        )
