"""The query-log lists (findings, leads, audit sets) as ``lib.listing`` lists: their
columns, the DuckDB source of the findings, and the subjects a download may carry.

Subject names and dates of birth are criminal-history record information: a
download leaves them out unless the member may see them
(``querylogs.subjects``) *and* ticked "include subjects" (``?subjects=1``); such a
download is recorded as ``export.chri`` (``core.downloads``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Count, Q

from accdesk.agency.models import Agency
from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.lib.listing import Column
from accdesk.querylogs import duck, readers, ruleset, storage, summaries
from accdesk.querylogs.models import AuditSet, Lead, LogImport

SUBJECTS = "subjects"
SUBJECT_COLUMNS = [Column("subject_name", "Subject"), Column("subject_dob", "Born")]


def wants_subjects(request: AgencyRequest) -> bool:
    """Whether a download asks for subject names and dates of birth: only with
    ``?subjects=1``, and only from a member who may see them (403 otherwise)."""
    value = request.GET.get(SUBJECTS, "")
    if value == "":
        return False
    if value != "1":
        raise BadRequest("“subjects” is 1 (include them) or absent (leave them out).")
    if not may(request, "querylogs.subjects"):
        raise PermissionDenied
    return True


def latest_import_period(agency: Agency) -> tuple[dt.date, dt.date] | None:
    """The months of the most recent import that stored rows still in the archive
    (from the first day of the first to the last day of the last), or else the
    archive's latest month; None for an empty archive. The overview opens there:
    the period the ACC has just imported, not a calendar year."""
    present = set(storage.months(agency))
    if not present:
        return None
    months = []
    for log in LogImport.objects.filter(agency=agency).only("months")[:50]:
        if months := sorted(set(log.months) & present):
            break
    months = months or [max(present)]
    first = dt.date.fromisoformat(f"{months[0]}-01")
    after = dt.date.fromisoformat(f"{months[-1]}-01") + dt.timedelta(days=31)
    return first, after.replace(day=1) - dt.timedelta(days=1)


# -- Findings --------------------------------------------------------------------------

FINDING_COLUMNS = [
    Column("ts", "When"),
    Column("operator_id", "Operator"),
    Column("terminal", "Terminal"),
    Column("rule", "Rule"),
    Column("severity", "Severity"),
    Column("detail", "Why"),
]
EXPLAIN = Column("explain", "", sortable=False, exported=False)
# A download also says where each finding's row is (``rows/<month>/<key>/``).
FINDING_FILE = [*FINDING_COLUMNS, Column("month", "Month"), Column("key", "Row")]


@dataclass
class Findings:
    """The findings of a period and filters, sorted and cut by DuckDB (a
    ``lib.listing.Source``); with ``subjects``, every row of a download carries
    the subject's name and date of birth."""

    agency: Agency
    months: list[str]
    start: dt.date
    end: dt.date
    rule: str = ""
    operator: str = ""
    subjects: bool = False

    def _filters(self) -> dict[str, Any]:
        return {
            "date_from": self.start,
            "date_to": self.end,
            "rule": self.rule,
            "operator": self.operator,
        }

    def _files(self) -> list[str]:
        return storage.result_files(self.agency, "findings", self.months)

    def page(
        self, order: str, descending: bool, limit: int, offset: int
    ) -> tuple[int, list[dict[str, Any]]]:
        if (
            order == "ts"
            and descending
            and not (self.rule or self.operator)
            and summaries.whole_months(self.start, self.end) is not None
        ):
            # The default list of whole months: its first pages are stored.
            stored = summaries.findings_page(
                ruleset.current_set(self.agency), self.months, limit, offset
            )
            if stored is not None:
                return stored
        with closing(readers.connect(self.agency)) as con:
            return duck.findings_page(
                con,
                self._files(),
                **self._filters(),
                limit=limit,
                offset=offset,
                order=order,
                descending=descending,
            )

    def count(self) -> int:
        return self.page("ts", True, 0, 0)[0]

    def rows(self, order: str, descending: bool) -> Iterator[dict[str, Any]]:
        # A generator: the connection opens when the file is written (a CSV is
        # streamed after the view has returned) and closes when it is done.
        subjects = (
            storage.archive_files(self.agency, self.months) if self.subjects else None
        )
        with closing(readers.connect(self.agency)) as con:
            yield from duck.findings_rows(
                con,
                self._files(),
                **self._filters(),
                order=order,
                descending=descending,
                subjects=subjects,
            )


# -- Leads -----------------------------------------------------------------------------

# Sorting by status: new first, then referred, then dismissed.
LEAD_STATUS_RANK = {"new": 0, "referred": 1, "dismissed": 2}

LEAD_COLUMNS = [
    Column("rule", "Lead"),
    Column("operator_id", "Operator"),
    Column("inquiries", "Inquiries"),
    Column("first_ts", "First"),
    Column("last_ts", "Last"),
    Column("status", "Status", order=lambda lead: LEAD_STATUS_RANK[lead["status"]]),
]
REVIEW = Column("review", "", sortable=False, exported=False)
LEAD_FILE = [
    *LEAD_COLUMNS,
    Column("operators", "Operators"),
    Column("detail", "Detail"),
    Column("key", "Lead key"),
]


def leads(
    agency: Agency,
    months: list[str],
    start: dt.date,
    end: dt.date,
    data: dict[str, Any],
    *,
    subjects: bool = False,
) -> list[dict[str, Any]]:
    """The leads of the period with what was done about them (``acted``,
    ``status``), filtered by rule and status; with ``subjects``, the names and
    dates of birth of their inquiries' subjects."""
    if not subjects and summaries.whole_months(start, end) is not None:
        found = summaries.leads(ruleset.current_set(agency), months)
    else:
        with closing(readers.connect(agency)) as con:
            found = duck.leads(
                con,
                storage.result_files(agency, "findings", months),
                start,
                end,
                subjects=storage.archive_files(agency, months) if subjects else None,
            )
    acted = {lead.key: lead for lead in Lead.objects.filter(agency=agency)}
    rows = []
    for lead in found:
        done = acted.get(lead["key"])
        status = done.status if done else "new"
        if data.get("rule") and lead["rule"] != data["rule"]:
            continue
        if data.get("status") and status != data["status"]:
            continue
        rows.append({**lead, "acted": done, "status": status})
    return rows


# -- Audit sets ------------------------------------------------------------------------


def audit_sets(agency: Agency) -> Any:
    """The agency's audit sets with how many inquiries each holds and how many
    are reviewed (counted by the database, not one query per set)."""
    return AuditSet.objects.filter(agency=agency).annotate(
        inquiries=Count("items"),
        reviewed=Count("items", filter=~Q(items__disposition="")),
    )


AUDIT_SET_COLUMNS = [
    Column("set", "Set", order="pk", value=attrgetter("pk")),
    Column("date_from", "From"),
    Column("date_to", "To"),
    Column("seed", "Seed"),
    Column("reviewed", "Reviewed"),
    Column("inquiries", "Inquiries"),
    Column("created_at", "Drawn"),
    Column("created_by", "Drawn by"),
]
