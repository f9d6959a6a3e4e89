"""The change record (audit trail) of one agency, for its ACC and SPOC.

Reading it never alters it (AU-7): these views only filter and page. A download
of it is an export like any other list's, and recorded as one.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Max, Q, TextField, Value, When
from django.db.models.functions import Cast, Lower, NullIf
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accdesk.agency.tenancy import AgencyRequest, agency_view, may
from accdesk.changes.forms import ChangeSearchForm, ReviewForm
from accdesk.changes.models import AuditLogReview
from accdesk.changes.reviews import unreviewed_ended_weeks, weeks
from accdesk.core.downloads import list_download
from accdesk.core.models import ChangeRecord
from accdesk.lib.dates import day_range
from accdesk.lib.listing import (
    Column,
    paginate,
    read_filters,
    sort_of,
    wants_download,
)


def _member_ids(request: AgencyRequest) -> list[int]:
    return list(request.agency.memberships.values_list("user_id", flat=True))


def _agency_records(request: AgencyRequest):  # noqa: ANN202 - a queryset
    return ChangeRecord.objects.for_agency(request.agency.pk, _member_ids(request))


@dataclass
class _InTimeOrder:
    """The change record newest (or oldest) first, as a ``lib.listing.Source``:
    each part of ``for_agency_parts`` read in the (agency, time) index's order, only
    as far as the page, and merged. The ``OR`` of the two parts in one query would
    sort every one of the agency's entries for each page (issue 18); the count
    reads the index alone."""

    parts: tuple[Any, Any]

    def _ordered(self, part: Any, descending: bool) -> Any:
        return part.order_by(*(("-at", "-id") if descending else ("at", "id")))

    def page(
        self, order: str, descending: bool, limit: int, offset: int
    ) -> tuple[int, list[ChangeRecord]]:
        heads = [
            list(self._ordered(part, descending)[: offset + limit])
            for part in self.parts
        ]
        merged = heapq.merge(*heads, key=lambda r: (r.at, r.pk), reverse=descending)
        return self.count(), list(islice(merged, offset, offset + limit))

    def rows(self, order: str, descending: bool) -> Iterable[ChangeRecord]:
        first, second = self.parts
        return self._ordered(first | second, descending).iterator(chunk_size=2000)

    def count(self) -> int:
        return sum(part.count() for part in self.parts)


# An event's name, or the kind of change.
_WHAT = Case(When(event="", then=F("action")), default=F("event"))

COLUMNS = [
    Column("at", "When (UTC)"),
    Column("actor", "Who", order=Lower("actor_label"), value=lambda r: r.actor_label),
    Column("what", "What", order=_WHAT, value=lambda r: r.event or r.action),
    Column(
        "object", "Object", order=Lower("object_repr"), value=lambda r: r.object_repr
    ),
    Column(
        "fields",
        "Fields",
        # No fields (an event) sorts with the blanks.
        order=NullIf(
            Cast("changed_fields", TextField()), Value("[]"), output_field=TextField()
        ),
        value=lambda r: r.changed_fields,
    ),
    # Only in downloads:
    Column("object_type", "Type"),
    Column("object_id", "Object ID"),
    Column("message", "Message"),
    Column("restricted", "Restricted", value=lambda r: "yes" if r.restricted else "no"),
    Column(
        "changes",
        "Before and after",
        sortable=False,
        value=lambda r: json.dumps(r.changes, sort_keys=True) if r.changes else "",
    ),
]
PAGE_COLUMNS = COLUMNS[:5]


@agency_view("changes.view")
def change_list(request: AgencyRequest) -> HttpResponse:
    form = ChangeSearchForm(request.GET)
    data = read_filters(request, form)
    if fmt := wants_download(request):
        # The download is recorded before it is written: the file holds the
        # record as it was, without that entry.
        latest = ChangeRecord.objects.aggregate(latest=Max("pk"))["latest"] or 0
        return list_download(
            request,
            _search(_agency_records(request), data, request).filter(pk__lte=latest),
            COLUMNS,
            fmt=fmt,
            what="change record",
            filename=f"change-record-{request.agency.ori}",
            default_sort="-at",
            filters=form.fields,
        )
    column, _ = sort_of(request, PAGE_COLUMNS, "-at")
    if column.key == "at":
        parts = ChangeRecord.objects.for_agency_parts(
            request.agency.pk, _member_ids(request)
        )
        records = _InTimeOrder(tuple(_search(p, data, request) for p in parts))
    else:
        records = _search(_agency_records(request), data, request)
    listing = paginate(
        request, records, PAGE_COLUMNS, default_sort="-at", filters=form.fields
    )
    return render(
        request,
        "changes/change_list.html",
        {"form": form, "listing": listing, "now": timezone.now()},
    )


def _search(records: Any, data: dict[str, Any], request: AgencyRequest) -> Any:
    """The change record narrowed by the search form's filters."""
    if q := data["q"].strip():
        records = records.filter(
            Q(actor_label__icontains=q)
            | Q(object_repr__icontains=q)
            | Q(object_type__icontains=q)
            | Q(event__icontains=q)
            | Q(message__icontains=q)
        )
    if data["action"]:
        records = records.filter(action=data["action"])
    start, end = day_range(data["date_from"], data["date_to"], request.agency.tz)
    if start is not None:
        records = records.filter(at__gte=start)
    if end is not None:
        records = records.filter(at__lt=end)
    return records


@agency_view("changes.view")
def change_detail(request: AgencyRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(_agency_records(request), pk=pk)
    rows = [(name, record.changes.get(name)) for name in record.changed_fields]
    return render(
        request, "changes/change_detail.html", {"record": record, "rows": rows}
    )


@agency_view("changes.view")
def reviews(request: AgencyRequest) -> HttpResponse:
    """The weekly reviews (AU-6): each week reviewed or not, and the form to
    record one (for those who may)."""
    agency = request.agency
    today = agency.today()
    form = None
    if may(request, "changes.review"):
        pending = unreviewed_ended_weeks(agency)
        initial = {}
        if pending:
            initial = {
                "period_start": pending[0].monday,
                "period_end": pending[0].sunday,
            }
        form = ReviewForm(request.POST or None, initial=initial, today=today)
        if request.method == "POST" and form.is_valid():
            AuditLogReview.objects.create(
                agency=agency,
                reviewed_by=request.user,
                reviewed_on=today,
                **form.cleaned_data,
            )
            messages.success(request, "The review was recorded.")
            return redirect("changes:reviews", ori=agency.ori)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "changes/reviews.html",
        {
            "form": form,
            "weeks": list(reversed(weeks(agency, today))),
            "today": today,
        },
    )
