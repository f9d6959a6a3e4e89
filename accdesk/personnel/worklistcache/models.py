"""The stored worklist: each person's eligibility result, as ``eligibility.evaluate``
gave it on the agency's today, so that the roster, worklist and dashboard read one
page (or a count) with an indexed query instead of computing everyone on every
request (issue 18).

These rows are a cache, not records: they hold nothing that the roster's own
records do not, so they are not ``Audited`` -- rebuilding them changes no record
of the agency. ``store.py`` builds and reads them; ``signals.py`` marks them stale.
"""

from __future__ import annotations

from django.db import models

from accdesk.agency.models import Agency
from accdesk.personnel.models import Person


class WorklistState(models.Model):
    """Whether an agency's stored rows are current.

    ``version`` goes up with every change to an input of the rules (a save or
    delete in the roster's tables, the policy, a worklist source's app, or an
    import's bulk write); the rows are current when they were built from the latest
    version (``built_version``) on the agency's today (``as_of``)."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    version = models.PositiveBigIntegerField(default=1)
    built_version = models.PositiveBigIntegerField(default=0)
    as_of = models.DateField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    build_seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"stored worklist of agency {self.agency_id} as of {self.as_of}"

    def is_current(self, today: object) -> bool:
        return self.built_version == self.version and self.as_of == today


class WorklistRow(models.Model):
    """One worklist item (a person, or an orphan account active today).

    ``item`` holds the whole item as the rules gave it (``store.encode_item``);
    the other columns are copies of what the pages filter, sort and count by."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    # The item's place in the rules' order (most urgent first).
    position = models.PositiveIntegerField()
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    employee_id = models.CharField(max_length=40, blank=True)
    employee_key = models.CharField(max_length=40, blank=True)  # lower case
    name = models.CharField(max_length=200, blank=True)
    name_key = models.CharField(max_length=200, blank=True)  # lower case
    # ";op1;op2;" lower case, for "is one of their operator IDs".
    operator_keys = models.TextField(blank=True)
    operators_sort = models.TextField(blank=True)
    status = models.CharField(max_length=20)
    status_rank = models.PositiveSmallIntegerField()
    listed = models.BooleanField()  # on the default list: deactivate or remediate
    due_date = models.DateField(null=True, blank=True)
    reason_codes = models.TextField(blank=True)  # ";CODE;CODE;"
    reasons_sort = models.TextField(blank=True)  # reason ranks, 3 digits each
    role_level = models.CharField(max_length=12, blank=True)
    supervisor_employee_id = models.CharField(max_length=40, blank=True)
    accounts_to_deactivate = models.PositiveIntegerField(default=0)
    item = models.JSONField()

    class Meta:
        indexes = [
            models.Index(fields=["agency", "listed", "position"]),
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["agency", "listed", "due_date"]),
            # The dashboard's most overdue (``store.most_overdue``): read in the
            # index's order, not a sort of every row. ``listed`` is left out:
            # Django writes ``listed=True`` as a bare column, which SQLite cannot
            # match to an index column.
            models.Index(fields=["agency", "due_date", "position"]),
            models.Index(fields=["agency", "position"]),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.employee_id or 'account'}: {self.status}"


class WorklistDuty(models.Model):
    """One dated duty of a stored item (``personnel.duties``: a NexTEST or training
    expiry, a reinvestigation, a deactivation), so that "What's due" lists and the
    dashboard counts the roster's deadlines by date, reading no item."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    date = models.DateField()
    # The place in the order "What's due" lists the kind's deadlines in (by date,
    # title, subject): its first few are an index range, not a sort.
    rank = models.PositiveIntegerField()
    title = models.TextField()
    subject = models.CharField(max_length=200)
    source = models.TextField()
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    personal = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["agency", "kind", "date", "rank"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}: {self.subject}"
