"""What's due: the list by week, the month calendar, reminders, the calendar feed.

Plain HTML forms and links (no JavaScript needed). Filters and the period are in
the URL; a bad one is a 400 with a plain message.
"""

from __future__ import annotations

import calendar as monthcal
import datetime as dt
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accdesk.access import lockout
from accdesk.agency.permissions import can
from accdesk.agency.tenancy import AgencyRequest, agency_view, in_force_memberships, may
from accdesk.core.audit import record_event
from accdesk.core.mail import printed_not_sent
from accdesk.deadlines import output
from accdesk.deadlines.feed import calendar_for
from accdesk.deadlines.forms import ReminderForm
from accdesk.deadlines.models import CalendarFeed, ReminderPreference, ReminderSettings
from accdesk.deadlines.registry import counts, gather
from accdesk.deadlines.reminders import agency_defaults, prefs_of
from accdesk.lib.dates import monday_of, parse_iso_date
from accdesk.lib.deadlines import (
    KINDS,
    OVERDUE,
    STATUS_LABELS,
    STATUSES,
    Deadline,
    kind_label,
)
from accdesk.lib.listing import download, filters_used, wants_download

DEFAULT_DAYS = 90
MAX_SPAN = dt.timedelta(days=3 * 366)
FEED_TOKEN_KEY = "new_calendar_token"


def _date_param(params: QueryDict, name: str) -> dt.date | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise BadRequest(f"{name}: {exc}") from None


def _month_param(params: QueryDict, today: dt.date) -> dt.date:
    text = params.get("month", "").strip()
    if not text:
        return today.replace(day=1)
    try:
        return parse_iso_date(f"{text}-01")
    except ValueError:
        raise BadRequest(f"month: {text[:20]!r} is not a month YYYY-MM") from None


def _choice(params: QueryDict, name: str, allowed: object) -> str:
    value = params.get(name, "")
    if value and value not in allowed:  # type: ignore[operator]
        raise BadRequest(f"{name}: unknown value {value[:40]!r}")
    return value


@agency_view("deadlines.view")
def due(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    today = agency.today()
    params = request.GET
    view = _choice(params, "view", ("list", "month")) or "list"
    kind = _choice(params, "kind", KINDS)
    status = _choice(params, "status", STATUSES)
    owner = params.get("owner", "")
    if view == "month":
        first = _month_param(params, today)
        start = first
        end = first.replace(day=monthcal.monthrange(first.year, first.month)[1])
    else:
        start = _date_param(params, "from") or today
        end = _date_param(params, "to") or start + dt.timedelta(days=DEFAULT_DAYS)
        if end < start:
            raise BadRequest("to: the period ends before it starts")
        if end - start > MAX_SPAN:
            raise BadRequest("The period is longer than three years")
    everything = gather(agency, start, end, role=request.membership.role)
    items = [
        i
        for i in everything
        if (not kind or i.kind == kind)
        and (not status or i.status == status)
        and (not owner or i.owner == owner)
    ]
    if fmt := wants_download(request):
        record_event(
            "export",
            agency_id=agency.pk,
            message=f"what's due {start}..{end} as {fmt.upper()}: {len(items)} rows"
            + (f"; filters {', '.join(filters_used(params))}" if params else ""),
        )
        return download(
            request,
            [output.item_dict(i) for i in items],
            output.COLUMNS,
            fmt=fmt,
            filename=f"whats-due-{agency.ori}-{start}",
            default_sort="date",
        )
    query = params.copy()
    query.pop("format", None)
    context: dict[str, Any] = {
        "view": view,
        "start": start,
        "end": end,
        "today": today,
        "items": items,
        "counts": counts(items),
        "kinds": [
            (k, kind_label(k))
            for k in sorted({i.kind for i in everything}, key=_kind_order)
        ],
        "owners": sorted({i.owner for i in everything if i.owner}),
        "statuses": STATUS_LABELS,
        "selected": {"kind": kind, "status": status, "owner": owner},
        "query": query.urlencode(),
        "printed": printed_not_sent(),
    }
    if view == "month":
        context.update(_month_context(items, start, params))
    else:
        context["groups"] = _week_groups(items, today)
    return render(request, "deadlines/due.html", context)


def _kind_order(kind: str) -> tuple[int, str]:
    return (list(KINDS).index(kind) if kind in KINDS else len(KINDS), kind)


def _week_groups(
    items: list[Deadline], today: dt.date
) -> list[tuple[str, list[Deadline]]]:
    """Overdue first; then one group per week. A duty dated before today that
    cannot be overdue (a DOJ notice) is in this week's group: it is due now."""
    groups: list[tuple[str, list[Deadline]]] = []
    overdue = [i for i in items if i.status == OVERDUE]
    if overdue:
        groups.append(("Overdue", overdue))
    rest = [i for i in items if i.status != OVERDUE]
    this_week = monday_of(today)

    def week(item: Deadline) -> dt.date:
        return monday_of(max(item.date, today))

    rest.sort(key=lambda i: (week(i), i.date))
    for monday, members in groupby(rest, key=week):
        label = (
            "This week"
            if monday == this_week
            else "Next week"
            if monday == this_week + dt.timedelta(days=7)
            else f"Week of {monday:%b %-d, %Y}"
        )
        groups.append((label, list(members)))
    return groups


def _month_context(
    items: list[Deadline], first: dt.date, params: QueryDict
) -> dict[str, Any]:
    by_day: dict[dt.date, list[Deadline]] = {}
    for item in items:
        if item.date >= first:
            by_day.setdefault(item.date, []).append(item)
    weeks = [
        [(day, by_day.get(day, []), day.month == first.month) for day in week]
        for week in monthcal.Calendar(firstweekday=0).monthdatescalendar(
            first.year, first.month
        )
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)

    def link(month: dt.date) -> str:
        query = params.copy()
        query["view"] = "month"
        query["month"] = f"{month:%Y-%m}"
        return "?" + query.urlencode()

    return {
        "month": first,
        "weeks": weeks,
        "before_month": [i for i in items if i.date < first],
        "previous_link": link(previous),
        "next_link": link(following),
    }


@agency_view("deadlines.reminders")
def reminders(request: AgencyRequest) -> HttpResponse:
    """The member's own reminders; the ACC also sees the agency's defaults."""
    agency, membership = request.agency, request.membership
    own = ReminderPreference.objects.filter(membership=membership).first()
    defaults = agency_defaults(agency)
    if request.method == "POST":
        if "use_defaults" in request.POST:
            if own is not None:
                own.delete()
            messages.success(request, "You now get the agency's default reminders.")
            return redirect("deadlines:reminders", ori=agency.ori)
        form = ReminderForm(request.POST)
        if form.is_valid():
            form.apply(own or ReminderPreference(membership=membership))
            messages.success(request, "Your reminders were saved.")
            return redirect("deadlines:reminders", ori=agency.ori)
    else:
        form = ReminderForm(initial=ReminderForm.initial_from(prefs_of(membership)))
    defaults_form = None
    if may(request, "deadlines.defaults"):
        defaults_form = ReminderForm(
            initial=ReminderForm.initial_from(defaults), prefix="defaults"
        )
    return render(
        request,
        "deadlines/reminders.html",
        {
            "form": form,
            "own": own,
            "defaults_form": defaults_form,
            "printed": printed_not_sent(),
            "is_acc": membership.role == "acc",
        },
    )


@require_POST
@agency_view("deadlines.defaults")
def reminder_defaults(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    form = ReminderForm(request.POST, prefix="defaults")
    if not form.is_valid():
        messages.error(request, "The defaults were not saved: " + _errors(form))
        return redirect("deadlines:reminders", ori=agency.ori)
    settings_row = ReminderSettings.objects.filter(agency=agency).first()
    form.apply(settings_row or ReminderSettings(agency=agency))
    messages.success(request, "The agency's default reminders were saved.")
    return redirect("deadlines:reminders", ori=agency.ori)


def _errors(form: ReminderForm) -> str:
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)


# -- The calendar feed --------------------------------------------------------------


def calendar_settings(request: HttpRequest) -> HttpResponse:
    """The user's feed: make a new URL (the old one stops working) or turn it off."""
    user = request.user
    if request.method == "POST":
        if "revoke" in request.POST:
            CalendarFeed.objects.filter(user=user).delete()
            record_event("calendar.revoked", obj=user)
            messages.success(request, "Your calendar feed is off: its URL is gone.")
            return redirect("calendar:settings")
        # A feed URL works without signing in: ask for the password, so that an
        # unattended session cannot make one (as for recovery codes).
        if not user.check_password(request.POST.get("current_password", "")):
            ip = request.META.get("REMOTE_ADDR")
            if lockout.register_failure(user, user.email, "password", ip):
                return redirect("access:signin")
            messages.error(request, "That password is not correct: no feed was made.")
            return redirect("calendar:settings")
        request.session[FEED_TOKEN_KEY] = CalendarFeed.issue(user)
        record_event("calendar.issued", obj=user)
        return redirect("calendar:settings")
    token = request.session.pop(FEED_TOKEN_KEY, None)
    feed_url = (
        request.build_absolute_uri(reverse("calendar:feed", kwargs={"token": token}))
        if token
        else None
    )
    agencies = [
        m.agency for m in in_force_memberships(user) if can(m.role, "deadlines.view")
    ]
    return render(
        request,
        "deadlines/calendar_settings.html",
        {
            "feed": CalendarFeed.objects.filter(user=user).first(),
            "feed_url": feed_url,
            "agencies": agencies,
        },
    )


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: the secret in the URL is the only credential (calendar
    programs cannot sign in), so an unknown or revoked token is a plain 404."""
    user = CalendarFeed.user_for(token)
    if user is None:
        raise Http404("No such calendar.")
    response = HttpResponse(calendar_for(user), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="accdesk.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
