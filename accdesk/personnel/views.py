"""The roster pages. Views orchestrate; the rules are in ``eligibility.py``.

Every page that lists or shows people narrows them with ``scoping.scope``, so a
supervisor sees only the people assigned to them. The roster and the worklist are
lists (``lib.listing``): 50 rows a page, sorted by any column, filters in the URL,
downloads of every matching row. Today's roster and worklist are read from the
stored worklist (``worklistcache.store``: the rules' result, kept current), one
page at a time, so a page costs the same whatever the agency's size (issue 18);
another date is computed on the fly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may
from accdesk.core.audit import record_event
from accdesk.core.downloads import list_download
from accdesk.lib.htmx import is_htmx
from accdesk.lib.listing import (
    EARLIEST,
    LATEST,
    Column,
    check_query,
    filter_params,
    paginate,
    read_filters,
    wants_download,
)
from accdesk.personnel import worklist
from accdesk.personnel.eligibility import (
    DEACTIVATE,
    ORPHAN_ACCOUNT,
    Item,
    Worklist,
    score_passes,
)
from accdesk.personnel.facts import load_policy
from accdesk.personnel.forms import (
    ApprovalForm,
    DeactivateForm,
    ExpiringForm,
    RevokeForm,
    RosterFilterForm,
    WorklistFilterForm,
)
from accdesk.personnel.models import (
    BackgroundCheck,
    Certification,
    Deactivation,
    Person,
    SystemAccount,
)
from accdesk.personnel.scoping import scope
from accdesk.personnel.timeline import timeline
from accdesk.personnel.worklistcache import store
from accdesk.personnel.worklistcache.models import WorklistRow


def _as_of(request: AgencyRequest) -> dt.date:
    today = request.agency.today()
    text = request.GET.get("as_of", "")
    if not text:
        return today
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        messages.error(
            request, f"{text[:40]!r} is not a date (YYYY-MM-DD): showing today."
        )
        return today
    if not EARLIEST <= day <= LATEST:
        messages.error(
            request,
            f"{day:%Y-%m-%d} is outside the dates the worklist is worked out for "
            f"({EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}): showing today.",
        )
        return today
    return day


# -- roster ---------------------------------------------------------------------------


def filter_items(items: list[Item], data: dict[str, Any]) -> list[Item]:
    """The roster's and worklist's filters: text, status, reason, role level,
    supervisor."""
    q = (data.get("q") or "").strip().lower()
    if q:
        items = [
            i
            for i in items
            if q in i.name.lower()
            or q == (i.employee_id or "").lower()
            or q in (op.lower() for op in i.operator_ids)
        ]
    if data.get("status"):
        items = [i for i in items if i.status == data["status"]]
    if data.get("reason"):
        items = [i for i in items if data["reason"] in i.reason_codes]
    if role := data.get("role_level"):
        wanted = "" if role == "none" else role
        items = [i for i in items if i.person and i.person.role_level == wanted]
    if data.get("supervisor"):
        items = [
            i
            for i in items
            if i.person and i.person.supervisor_employee_id == data["supervisor"]
        ]
    return items


def _role_level(item: Item) -> str:
    return item.person.role_level if item.person else ""


ROLE_LEVEL = Column("role_level", "Role level", value=_role_level)


def _columns(as_of: dt.date, keys: tuple[str, ...]) -> list[Column]:
    """The worklist file's columns (and the role level) named by ``keys``."""
    by_key = {c.key: c for c in (*worklist.file_columns(as_of), ROLE_LEVEL)}
    return [by_key[key] for key in keys]


ROSTER_PAGE = (
    "name",
    "employee_id",
    "role_level",
    "operator_ids",
    "status",
    "reasons",
    "due_date",
)
# The roster's file: the worklist file of everyone, and each person's role level.
ROSTER_FILE = (*worklist.CSV_HEADER, "role_level")


@agency_view("roster.view")
def roster(request: AgencyRequest) -> HttpResponse:
    check_query(request)
    rows = store.current_rows(request.agency, scope(request))
    as_of = request.agency.today()
    form = RosterFilterForm(request.GET, supervisors=store.supervisor_choices(rows))
    matching = store.filter_rows(rows, read_filters(request, form))
    if fmt := wants_download(request):
        return list_download(
            request,
            store.items(matching),
            _columns(as_of, ROSTER_FILE),
            fmt=fmt,
            what=f"roster as of {as_of:%Y-%m-%d}",
            filename=f"roster-{request.agency.ori}-{as_of:%Y-%m-%d}",
            default_sort="status",
            filters=form.fields,
        )
    listing = paginate(
        request,
        matching.only("pk", "item"),
        store.row_columns(_columns(as_of, ROSTER_PAGE)),
        default_sort="status",
        filters=form.fields,
    )
    context = {
        "form": form,
        "listing": store.decode_page(listing),
        "counts": store.counts_by_status(rows),
        "as_of": as_of,
    }
    template = (
        "personnel/_roster_results.html"
        if is_htmx(request)
        else "personnel/roster.html"
    )
    return render(request, template, context)


# -- worklist -------------------------------------------------------------------------

WORKLIST_PAGE = ("due_date", "name", "operator_ids", "action", "reasons")
WORKLIST_FILTERS = ("as_of", *WorklistFilterForm.base_fields)
SELECT = Column("select", "Select", sortable=False, exported=False)


def _worklist(
    request: AgencyRequest, as_of: dt.date
) -> tuple[WorklistFilterForm, Worklist, list[Item]]:
    """The worklist on ``as_of`` (another day than today) of the people the member
    sees, and its items to deactivate or remediate that match the URL's filters."""
    form = WorklistFilterForm(request.GET)
    data = read_filters(request, form)
    result = worklist.compute(request.agency, as_of, people=scope(request))
    return form, result, filter_items(result.listed(), data)


def _stored_worklist(
    request: AgencyRequest,
) -> tuple[WorklistFilterForm, QuerySet[WorklistRow], QuerySet[WorklistRow]]:
    """Today's stored rows of the people the member sees, and those to deactivate
    or remediate that match the URL's filters."""
    form = WorklistFilterForm(request.GET)
    data = read_filters(request, form)
    rows = store.current_rows(request.agency, scope(request))
    return form, rows, store.filter_rows(rows.filter(listed=True), data)


@agency_view("roster.view")
def worklist_page(request: AgencyRequest) -> HttpResponse:
    check_query(request)
    today = request.agency.today()
    as_of = _as_of(request)
    can_mark = may(request, "roster.deactivate") and as_of == today
    columns = _columns(as_of, WORKLIST_PAGE) + ([SELECT] if can_mark else [])
    if as_of == today:
        form, rows, matching = _stored_worklist(request)
        if fmt := wants_download(request):
            return _worklist_download(request, store.items(matching), as_of, fmt)
        listing = store.decode_page(
            paginate(
                request,
                matching.only("pk", "item"),
                store.row_columns(columns),
                default_sort="action",
                filters=WORKLIST_FILTERS,
            )
        )
        counts = store.counts_by_status(rows)
        to_deactivate = store.accounts_to_deactivate(matching)
    else:
        form, result, items = _worklist(request, as_of)
        if fmt := wants_download(request):
            return _worklist_download(request, items, as_of, fmt)
        listing = paginate(
            request, items, columns, default_sort="action", filters=WORKLIST_FILTERS
        )
        counts = result.counts_by_status()
        to_deactivate = 0  # marks are made on today's worklist only
    return render(
        request,
        "personnel/worklist.html",
        {
            "form": form,
            "listing": listing,
            "as_of": as_of,
            "today": today,
            "counts": counts,
            "can_mark": can_mark,
            "to_deactivate": to_deactivate,
        },
    )


def _worklist_download(
    request: AgencyRequest, items: list[Item], as_of: dt.date, fmt: str, what: str = ""
) -> HttpResponse:
    return list_download(
        request,
        items,
        worklist.file_columns(as_of),
        fmt=fmt,
        what=what or f"worklist as of {as_of:%Y-%m-%d}",
        filename=f"worklist-{request.agency.ori}-{as_of:%Y-%m-%d}",
        default_sort="action",
        filters=WORKLIST_FILTERS,
    )


@agency_view("roster.view")
def worklist_csv(request: AgencyRequest) -> HttpResponse:
    """The worklist file as ``accdesk worklist --format csv`` writes it; with
    ``?all=1`` everyone, not only those to deactivate or remediate."""
    check_query(request)
    as_of = _as_of(request)
    everyone = request.GET.get("all") == "1"
    if as_of == request.agency.today():
        rows = store.current_rows(request.agency, scope(request))
        items = store.items(rows if everyone else rows.filter(listed=True))
    else:
        result = worklist.compute(request.agency, as_of, people=scope(request))
        items = result.listed(everyone=everyone)
    what = f"worklist as of {as_of:%Y-%m-%d}" + (", everyone" if everyone else "")
    return _worklist_download(request, items, as_of, "csv", what)


def _to_deactivate(
    request: AgencyRequest, items: list[Item]
) -> dict[int, tuple[SystemAccount, Item]]:
    """The active accounts of the items to deactivate, by primary key, in the
    order of their operator IDs."""
    wanted = {
        account.pk: item
        for item in items
        if item.action == DEACTIVATE
        for account in item.accounts
    }
    accounts = SystemAccount.objects.filter(
        agency=request.agency, pk__in=wanted, status=SystemAccount.Status.ACTIVE
    ).order_by("operator_id", "pk")
    return {a.pk: (a, wanted[a.pk]) for a in accounts}


@require_POST
@agency_view("roster.deactivate")
def deactivate_bulk(request: AgencyRequest) -> HttpResponse:
    """Mark several accounts deactivated at once: those ticked on the worklist, or
    all those to deactivate that match its filters (the filters are in the
    address). The first POST shows what will be marked; the second (``confirm``)
    marks exactly the accounts listed, each recorded like a single mark
    (CJISSECPOL v5.9.5 AC-2(3): disabled within a week)."""
    check_query(request)
    today = request.agency.today()
    query = filter_params(request, WORKLIST_FILTERS)
    query.pop("as_of", None)  # marks are made on today's worklist
    back = reverse("roster:worklist", kwargs={"ori": request.agency.ori})
    if query:
        back += f"?{query.urlencode()}"
    confirming = request.POST.get("confirm") == "1"
    _, rows, matching = _stored_worklist(request)
    if confirming:
        # What was confirmed, whatever the filters: is it still to deactivate?
        matching = rows.filter(listed=True)
    items = store.items(matching.filter(accounts_to_deactivate__gt=0))
    candidates = _to_deactivate(request, items)
    if request.POST.get("scope") == "all" and not confirming:
        chosen = list(candidates)
    else:
        ticked = request.POST.getlist("account")
        asked = {int(v) for v in ticked if v.isascii() and v.isdigit()}
        chosen = [pk for pk in candidates if pk in asked]
        if left_out := len(asked) - len(chosen):
            messages.warning(
                request,
                f"{left_out} of the selected accounts "
                f"{'is' if left_out == 1 else 'are'} no longer to deactivate "
                "(already marked, or no longer on the worklist) and "
                f"{'was' if left_out == 1 else 'were'} left out.",
            )
    if not chosen:
        messages.error(request, "Select at least one account to mark deactivated.")
        return redirect(back)
    marked = [candidates[pk] for pk in chosen]
    newest = max((account for account, _ in marked), key=lambda a: a.created_date)
    form = DeactivateForm(
        request.POST if confirming else None,
        today=today,
        created=newest.created_date,
        newest=f"Account {newest.operator_id}",
    )
    if confirming and form.is_valid():
        on, note = form.cleaned_data["on"], form.cleaned_data["note"].strip()
        with transaction.atomic():
            for account, item in marked:
                account.mark_deactivated(
                    on=on,
                    by=request.user.get_username(),
                    user=request.user,
                    note=note,
                    reasons=";".join(
                        r.code for r in item.reasons if r.kind == DEACTIVATE
                    ),
                )
        names = ", ".join(account.operator_id for account, _ in marked[:10])
        more = f" and {len(marked) - 10} more" if len(marked) > 10 else ""
        messages.success(
            request,
            f"{len(marked)} account{'s' if len(marked) != 1 else ''} marked "
            f"deactivated on {on:%Y-%m-%d}: {names}{more}.",
        )
        return redirect(back)
    return render(
        request,
        "personnel/deactivate_confirm.html",
        {"marked": marked, "form": form, "back": back, "query": query.urlencode()},
        status=400 if confirming else 200,
    )


# -- a person -------------------------------------------------------------------------


def _person_or_404(request: AgencyRequest, pk: int) -> Person:
    people = Person.objects.all()
    if (narrow := scope(request)) is not None:
        people = people.filter(narrow)
    return agency_object_or_404(request, people, pk=pk)


@agency_view("roster.view")
def person_detail(request: AgencyRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    agency = request.agency
    today = agency.today()
    (item,) = worklist.compute(agency, people=Q(pk=person.pk), upcoming=True).items
    accounts = list(
        SystemAccount.objects.filter(agency=agency, employee_id=person.employee_id)
    )
    operator_ids = [a.operator_id for a in accounts]
    certifications = list(
        Certification.objects.filter(agency=agency).filter(
            Q(operator_id__in=operator_ids)
            | Q(operator_id="", employee_id=person.employee_id)
        )
    )
    pol = load_policy(agency)
    failed = {
        c.pk for c in certifications if not score_passes(c.score, c.completed_date, pol)
    }
    deactivations = list(
        Deactivation.objects.filter(account__in=accounts).select_related("account")
    )
    show_checks = may(request, "roster.checks")
    checks = list(person.background_checks.all()) if show_checks else []
    training = list(person.training.all())
    forms = list(person.signed_forms.all())
    if show_checks:
        # Fingerprint results are criminal-history derived: record who looked.
        record_event("view", obj=person, message="person page with background checks")
    return render(
        request,
        "personnel/person.html",
        {
            "person": person,
            "item": item,
            "today": today,
            "accounts": accounts,
            "deactivations": deactivations,
            "checks": checks,
            "show_checks": show_checks,
            "training": training,
            "certifications": certifications,
            "failed": failed,
            "forms": forms,
            "timeline": timeline(
                person, accounts, deactivations, checks, training, certifications, forms
            ),
            "can_mark": may(request, "roster.deactivate"),
            "can_revoke": may(request, "roster.revoke"),
            # Hand entry, transfers and the operator record (issue 12 §2).
            "can_edit": may(request, "roster.edit"),
            "can_download_record": may(request, "roster.records"),
            "access_changes": list(person.access_changes.all()),
        },
    )


def _next_url(request: AgencyRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}):
        return url
    return reverse("roster:worklist", kwargs={"ori": request.agency.ori})


def _deactivate_reasons(request: AgencyRequest, account: SystemAccount) -> list[str]:
    """Why the account is being disabled today, for the record of it."""
    if not Person.objects.filter(
        agency=request.agency, employee_id=account.employee_id
    ).exists():
        return [ORPHAN_ACCOUNT]
    (item,) = worklist.compute(
        request.agency, people=Q(employee_id=account.employee_id)
    ).items
    return [r.code for r in item.reasons if r.kind == DEACTIVATE]


@agency_view("roster.deactivate")
def deactivate(request: AgencyRequest, pk: int) -> HttpResponse:
    """Record that the ACC disabled an account in CLETS (AC-2(3): within a week)."""
    account = agency_object_or_404(request, SystemAccount, pk=pk)
    back = _next_url(request)
    if account.status != SystemAccount.Status.ACTIVE:
        messages.info(request, f"{account.operator_id} is already disabled.")
        return redirect(back)
    form = DeactivateForm(
        request.POST or None,
        today=request.agency.today(),
        created=account.created_date,
    )
    if request.method == "POST" and form.is_valid():
        account.mark_deactivated(
            on=form.cleaned_data["on"],
            by=request.user.get_username(),
            user=request.user,
            note=form.cleaned_data["note"].strip(),
            reasons=";".join(_deactivate_reasons(request, account)),
        )
        messages.success(
            request,
            f"{account.operator_id} marked deactivated on "
            f"{form.cleaned_data['on']:%Y-%m-%d}.",
        )
        return redirect(back)
    person = Person.objects.filter(
        agency=request.agency, employee_id=account.employee_id
    ).first()
    return render(
        request,
        "personnel/deactivate.html",
        {"account": account, "person": person, "form": form, "next": back},
        status=400 if request.method == "POST" else 200,
    )


@agency_view("roster.revoke")
def revoke(request: AgencyRequest, pk: int) -> HttpResponse:
    person = agency_object_or_404(request, Person, pk=pk)
    form = RevokeForm(request.POST or None, today=request.agency.today())
    if request.method == "POST" and form.is_valid():
        person.revoke_access(
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"].strip(),
            by=request.user.get_username(),
        )
        messages.warning(
            request,
            f"Access of {person.name} recorded as revoked: deactivate their CLETS "
            "accounts (see the worklist).",
        )
        return redirect("roster:person", ori=request.agency.ori, pk=person.pk)
    return render(
        request,
        "personnel/revoke.html",
        {"person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# -- expiring -------------------------------------------------------------------------


@agency_view("roster.view")
def expiring(request: AgencyRequest) -> HttpResponse:
    """What falls due in the next 30, 60 or 90 days: recertifications, training,
    reinvestigations and new operators' first tests."""
    form = ExpiringForm(request.GET or None)
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 30
    result = worklist.compute(request.agency, people=scope(request), upcoming=True)
    end = result.as_of + dt.timedelta(days=days)
    rows = sorted(
        (
            (due, item)
            for item in result.items
            for due in item.upcoming
            if due.due <= end
        ),
        key=lambda row: (row[0].due, row[1].name),
    )
    return render(
        request,
        "personnel/expiring.html",
        {
            "rows": rows,
            "days": days,
            "windows": (30, 60, 90),
            "end": end,
            "today": result.as_of,
        },
    )


# -- the agency head's approval of clearances (issue 12 §1.7) ----------------------


@agency_view("roster.approve")
def approve_checks(request: AgencyRequest) -> HttpResponse:
    """Record the agency head's approval of several background checks at once:
    checks decided ``cleared`` with no approval on file (data imported before
    ACC Desk kept approvals). Each check's change is recorded."""
    today = request.agency.today()
    waiting = (
        BackgroundCheck.objects.filter(
            agency=request.agency,
            decision=BackgroundCheck.Decision.CLEARED,
            approved_date__isnull=True,
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "check_type", "pk")
    )
    chosen: list[BackgroundCheck] = []
    if request.method == "POST":
        asked = {int(v) for v in request.POST.getlist("check") if v.isdigit()}
        chosen = [c for c in waiting if c.pk in asked]
    decided = max((c.decision_date for c in chosen if c.decision_date), default=None)
    form = ApprovalForm(
        request.POST if request.method == "POST" else None, today=today, decided=decided
    )
    if request.method == "POST":
        if not chosen:
            form.add_error(None, "Select at least one background check.")
        if form.is_valid():
            by, on = form.cleaned_data["approved_by"].strip(), form.cleaned_data["on"]
            with transaction.atomic():
                for check in chosen:
                    check.approved_by, check.approved_date = by, on
                    check.save(update_fields=["approved_by", "approved_date"])
            messages.success(
                request,
                f"Approval by {by} on {on:%Y-%m-%d} recorded for "
                f"{len(chosen)} background check{'s' if len(chosen) != 1 else ''}.",
            )
            return redirect("roster:approve_checks", ori=request.agency.ori)
    return render(
        request,
        "personnel/approve_checks.html",
        {"checks": waiting, "form": form, "chosen": {c.pk for c in chosen}},
        status=400 if request.method == "POST" else 200,
    )
