"""The change record (audit trail) of one agency, for its ACC and SPOC.

Reading it never alters it (AU-7): these views only filter and page. A download
of it is an export like any other list's, and recorded as one.
"""

from __future__ import annotations

import json

from django.db.models import Case, F, Max, Q, TextField, Value, When
from django.db.models.functions import Cast, Lower, NullIf
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accdesk.agency.tenancy import AgencyRequest, agency_view
from accdesk.changes.forms import ChangeSearchForm
from accdesk.core.downloads import list_download
from accdesk.core.models import ChangeRecord
from accdesk.lib.dates import day_range
from accdesk.lib.listing import Column, paginate, read_filters, wants_download


def _agency_records(request: AgencyRequest):  # noqa: ANN202 - a queryset
    member_ids = list(request.agency.memberships.values_list("user_id", flat=True))
    return ChangeRecord.objects.for_agency(request.agency.pk, member_ids)


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
    records = _agency_records(request)
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
    if fmt := wants_download(request):
        # The download is recorded before it is written: the file holds the
        # record as it was, without that entry.
        latest = ChangeRecord.objects.aggregate(latest=Max("pk"))["latest"] or 0
        return list_download(
            request,
            records.filter(pk__lte=latest),
            COLUMNS,
            fmt=fmt,
            what="change record",
            filename=f"change-record-{request.agency.ori}",
            default_sort="-at",
            filters=form.fields,
        )
    listing = paginate(
        request, records, PAGE_COLUMNS, default_sort="-at", filters=form.fields
    )
    return render(
        request,
        "changes/change_list.html",
        {"form": form, "listing": listing, "now": timezone.now()},
    )


@agency_view("changes.view")
def change_detail(request: AgencyRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(_agency_records(request), pk=pk)
    rows = [(name, record.changes.get(name)) for name in record.changed_fields]
    return render(
        request, "changes/change_detail.html", {"record": record, "rows": rows}
    )
