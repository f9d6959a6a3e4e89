"""The change record (audit trail) of one agency, for its ACC and SPOC.

Reading it never alters it (AU-7): these views only filter and page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accdesk.agency.tenancy import AgencyRequest, agency_view, may
from accdesk.changes.forms import ChangeSearchForm, ReviewForm
from accdesk.changes.models import AuditLogReview
from accdesk.changes.reviews import unreviewed_ended_weeks, weeks
from accdesk.core.models import ChangeRecord
from accdesk.lib.dates import day_range

PAGE_SIZE = 50


def _agency_records(request: AgencyRequest):  # noqa: ANN202 - a queryset
    member_ids = list(request.agency.memberships.values_list("user_id", flat=True))
    return ChangeRecord.objects.for_agency(request.agency.pk, member_ids)


@agency_view("changes.view")
def change_list(request: AgencyRequest) -> HttpResponse:
    records = _agency_records(request)
    form = ChangeSearchForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
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
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "changes/change_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


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
