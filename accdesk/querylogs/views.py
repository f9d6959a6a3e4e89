"""Query-log audit pages: overview, import, findings and their explanations, audit
sets with dispositions, leads. Results come from the encrypted archive through
DuckDB; subject names and dates of birth are shown to the ACC and SPOC only, and
each time they are shown the view is recorded in the change record."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accdesk.agency.tenancy import (
    AgencyRequest,
    agency_object_or_404,
    agency_view,
    may,
    membership_for,
)
from accdesk.core.audit import record_event
from accdesk.core.downloads import list_download
from accdesk.lib.commandline import accdesk_command
from accdesk.lib.htmx import is_htmx
from accdesk.lib.htmx import redirect as htmx_redirect
from accdesk.lib.listing import (
    Column,
    filter_params,
    paginate,
    read_filters,
    wants_download,
)
from accdesk.lib.text import counted
from accdesk.querylogs import (
    archive,
    chart,
    duck,
    lists,
    readers,
    referral,
    ruleset,
    storage,
    summaries,
)
from accdesk.querylogs.audit import BadRowsError, skipped_cells
from accdesk.querylogs.forms import (
    AuditSetForm,
    DispositionForm,
    FindingFilterForm,
    LeadActionForm,
    LeadFilterForm,
    PeriodForm,
    RulesForm,
    UploadForm,
)
from accdesk.querylogs.logfile import LogFormatError
from accdesk.querylogs.models import (
    AuditRules,
    AuditSample,
    AuditSet,
    Lead,
    LogImport,
    ResultSet,
    RuleSetVersion,
)
from accdesk.querylogs.rules import RULES, default_rules
from accdesk.querylogs.uploads import PrivateUploadHandler

TABS = [
    ("Overview", "querylogs:overview", "querylogs.view"),
    ("Findings", "querylogs:findings", "querylogs.view"),
    ("Audit sets", "querylogs:audit_sets", "querylogs.view"),
    ("Leads", "querylogs:leads", "querylogs.leads"),
    ("Import", "querylogs:upload", "querylogs.import"),
    ("Rules", "querylogs:rules", "querylogs.rules"),
]


# The tabs that take a period keep the page's period.
PERIOD_TABS = {"querylogs:overview", "querylogs:findings", "querylogs:leads"}


def _render(
    request: AgencyRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """``render`` plus the section's tabs the member may open."""
    current = request.resolver_match.view_name if request.resolver_match else ""
    period = ""
    if "start" in context and "end" in context:
        period = (
            f"?date_from={context['start']:%Y-%m-%d}&date_to={context['end']:%Y-%m-%d}"
        )
    context["tabs"] = [
        (
            label,
            reverse(name, kwargs={"ori": request.agency.ori})
            + (period if name in PERIOD_TABS else ""),
            name == current,
        )
        for label, name, action in TABS
        if may(request, action)
    ]
    return render(request, template, context, status=status)


def _months(request: AgencyRequest, start: dt.date, end: dt.date) -> list[str]:
    """Archive months that overlap the days ``start``..``end``."""
    first, last = start.strftime("%Y-%m"), end.strftime("%Y-%m")
    return [m for m in storage.months(request.agency) if first <= m <= last]


def _period(
    request: AgencyRequest,
    form_class: type[PeriodForm] = PeriodForm,
    default: tuple[dt.date, dt.date] | None = None,
) -> tuple[PeriodForm, dict[str, Any], dt.date, dt.date]:
    """The filter form, its values (400 when one does not validate) and the
    period it gives."""
    form = form_class(request.GET)
    data = read_filters(request, form)
    start, end = form.period(request.agency.today(), default)
    return form, data, start, end


def _shows_subjects(request: AgencyRequest, count: int, where: str) -> bool:
    """Whether to show subject names and DOBs; each showing is recorded (AU-2)."""
    if not count or not may(request, "querylogs.subjects"):
        return False
    record_event(
        "view",
        agency_id=request.agency.pk,
        message="Viewed the subject names and dates of birth of "
        f"{counted(count, 'query-log row')}: {where}.",
    )
    return True


def _rows_by_key(
    request: AgencyRequest, wanted: list[tuple[str, str]]
) -> dict[str, dict[str, Any]]:
    """Archive rows for ``[(month, key)]``."""
    if not wanted:
        return {}
    months = sorted({m for m, _ in wanted} & set(storage.months(request.agency)))
    with closing(readers.connect(request.agency)) as con:
        return duck.archive_rows(
            con, storage.archive_files(request.agency, months), [k for _, k in wanted]
        )


# -- Overview --------------------------------------------------------------------------


@agency_view("querylogs.view")
def overview(request: AgencyRequest) -> HttpResponse:
    form, _, start, end = _period(
        request, default=lists.latest_import_period(request.agency)
    )
    months = _months(request, start, end)
    current = ruleset.current_set(request.agency)
    if summaries.whole_months(start, end) is not None:
        # Whole months (the default period): indexed reads of the summaries.
        data = summaries.overview(current, months)
    else:
        with closing(readers.connect(request.agency)) as con:
            data = duck.overview(
                con,
                storage.result_files(request.agency, "stats", months),
                storage.result_files(request.agency, "findings", months),
                start,
                end,
            )
    gaps = summaries.gaps(current, start, end)
    if gaps:
        data["by_rule"] = {**data["by_rule"], "COVERAGE_GAP": len(gaps)}
    totals = data["totals"]
    chri = totals.get("chri_rows", 0)
    context = {
        "form": form,
        "start": start,
        "end": end,
        "totals": totals,
        "compliance": (
            round(100 * (chri - totals["noncompliant_rows"]) / chri, 1)
            if chri
            else None
        ),
        "rules": [(rule, data["by_rule"].get(name, 0)) for name, rule in RULES.items()],
        "operators": data["operators"],
        "gaps": gaps,
        "chart": chart.bars(data["trend"]),
        "imports": LogImport.objects.filter(agency=request.agency)[:5],
        "can_import": may(request, "querylogs.import"),
        "can_rules": may(request, "querylogs.rules"),
    }
    return _render(request, "querylogs/overview.html", context)


# -- Import ----------------------------------------------------------------------------


@csrf_exempt
def upload(request: HttpRequest, ori: str) -> HttpResponse:
    """Upload page. The file is received by ``PrivateUploadHandler`` (set before the
    body is read, hence CSRF is checked on the inner view), and only from members."""
    if membership_for(request.user, ori) is None:
        raise Http404("No such agency.")
    request.upload_handlers = [PrivateUploadHandler(request)]
    return _upload(request, ori)


upload.agency_action = "querylogs.import"  # type: ignore[attr-defined]
# The upload gate checks the role and this size before the body is read.
upload.upload_limit = "QUERYLOG_MAX_UPLOAD_MB"  # type: ignore[attr-defined]


@csrf_protect
@agency_view("querylogs.import")
def _upload(request: AgencyRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST":
        if getattr(request, "upload_too_large", False):
            context["problem"] = "The file is larger than this server accepts."
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                log = archive.import_log(
                    request.agency,
                    Path(upload.temporary_file_path()),
                    upload.name,
                    skip_bad_rows=form.cleaned_data["skip_bad_rows"],
                )
            except BadRowsError as exc:
                # Every bad row named (the first 200 on the page), nothing stored.
                form.add_error("file", str(exc))
                context["bad_rows"] = exc.lines()[:BAD_ROWS_SHOWN]
                context["bad_rows_count"] = len(exc.rows)
            except LogFormatError as exc:
                form.add_error("file", str(exc))
            else:
                if log.skipped_rows:
                    # Never a plain success: some rows of the file are not stored.
                    messages.warning(request, f"{import_status(log)}: {log.filename}.")
                else:
                    messages.success(request, f"Imported {log.filename}.")
                return htmx_redirect(
                    request,
                    reverse(
                        "querylogs:import_detail",
                        kwargs={"ori": request.agency.ori, "pk": log.pk},
                    ),
                )
            finally:
                upload.close()
        # htmx swaps only 2xx answers: the form with its errors must come back so.
        status = 200 if is_htmx(request) else 400
    return _render(request, "querylogs/upload.html", context, status=status)


BAD_ROWS_SHOWN = 200


def import_status(log: LogImport) -> str:
    """``Imported``, or ``Imported, N rows skipped`` (shown in a warning colour)."""
    if not log.skipped_rows:
        return "Imported"
    return f"Imported, {counted(log.skipped_rows, 'row')} skipped"


SKIPPED_COLUMNS = [
    Column("row", "Row"),
    Column("column", "Column", sortable=False),
    Column("reason", "What is wrong", sortable=False),
]


@agency_view("querylogs.view")
def import_detail(request: AgencyRequest, pk: int) -> HttpResponse:
    log = agency_object_or_404(request, LogImport, pk=pk)
    if fmt := wants_download(request):
        # The skipped rows (row number, column, reason): no log content, so no
        # subject data leaves the archive this way.
        names = ("row", "column", "reason")
        rows = [
            dict(zip(names, skipped_cells(row, reason), strict=True))
            for row, reason in log.skipped
        ]
        return list_download(
            request,
            rows,
            SKIPPED_COLUMNS,
            fmt=fmt,
            what=f"rows skipped by query-log import {log.filename}",
            filename=f"skipped-rows-{request.agency.ori}-{log.pk}",
            default_sort="row",
        )
    months = sorted(log.months)
    period = ""
    if months:
        start = dt.date.fromisoformat(f"{months[0]}-01")
        end = dt.date.fromisoformat(f"{months[-1]}-01") + dt.timedelta(days=31)
        period = (
            f"date_from={start}&date_to={end.replace(day=1) - dt.timedelta(days=1)}"
        )
    context = {
        "log": log,
        "status": import_status(log),
        "rules": [(rule, log.by_rule.get(name, 0)) for name, rule in RULES.items()],
        "period": period,
    }
    return _render(request, "querylogs/import_detail.html", context)


# -- Findings and one row --------------------------------------------------------------


@agency_view("querylogs.view")
def findings(request: AgencyRequest) -> HttpResponse:
    form, data, start, end = _period(request, FindingFilterForm)
    source = lists.Findings(
        request.agency,
        _months(request, start, end),
        start,
        end,
        rule=data.get("rule", ""),
        operator=data.get("operator", ""),
    )
    if fmt := wants_download(request):
        source.subjects = lists.wants_subjects(request)
        return list_download(
            request,
            source,
            lists.FINDING_FILE + (lists.SUBJECT_COLUMNS if source.subjects else []),
            fmt=fmt,
            what=f"query-log findings {start:%Y-%m-%d} to {end:%Y-%m-%d}",
            filename=f"findings-{request.agency.ori}-{start:%Y%m%d}-{end:%Y%m%d}",
            default_sort="-ts",
            filters=form.fields,
            chri=source.subjects,
        )
    listing = paginate(
        request,
        source,
        [*lists.FINDING_COLUMNS, lists.EXPLAIN],
        default_sort="-ts",
        filters=form.fields,
    )
    context = {
        "form": form,
        "listing": listing,
        "start": start,
        "end": end,
        "subjects_option": may(request, "querylogs.subjects"),
    }
    return _render(request, "querylogs/findings.html", context)


@agency_view("querylogs.view")
def row(request: AgencyRequest, month: str, key: str) -> HttpResponse:
    if month not in storage.months(request.agency):
        raise Http404("No such month in the archive.")
    with closing(readers.connect(request.agency)) as con:
        found = duck.archive_rows(
            con, storage.archive_files(request.agency, [month]), [key]
        ).get(key)
        reasons = duck.row_findings(
            con, storage.result_files(request.agency, "findings", [month]), key
        )
    if found is None:
        raise Http404("No such row in the archive.")
    context = {
        "row": found,
        "findings": [{**f, "rule_info": RULES[f["rule"]]} for f in reasons],
        "show_subject": _shows_subjects(request, 1, f"archive row {key} ({month})"),
        "log": LogImport.objects.filter(
            agency=request.agency, pk=found["import_id"]
        ).first(),
    }
    return _render(request, "querylogs/row.html", context)


# -- Audit sets ------------------------------------------------------------------------


def _audit_sets_page(
    request: AgencyRequest, form: AuditSetForm, status: int = 200
) -> HttpResponse:
    sets = lists.audit_sets(request.agency)
    if fmt := wants_download(request):
        return list_download(
            request,
            sets,
            lists.AUDIT_SET_COLUMNS,
            fmt=fmt,
            what="query-log audit sets",
            filename=f"audit-sets-{request.agency.ori}",
            default_sort="-created_at",
            filters=(),
        )
    listing = paginate(
        request, sets, lists.AUDIT_SET_COLUMNS, default_sort="-created_at", filters=()
    )
    context = {
        "listing": listing,
        "form": form,
        "can_review": may(request, "querylogs.review"),
    }
    return _render(request, "querylogs/audit_sets.html", context, status=status)


@agency_view("querylogs.view")
def audit_sets(request: AgencyRequest) -> HttpResponse:
    today = request.agency.today()
    form = AuditSetForm(
        initial={
            "date_from": today.replace(day=1) - dt.timedelta(days=90),
            "date_to": today,
        }
    )
    return _audit_sets_page(request, form)


@require_POST
@agency_view("querylogs.review")
def new_audit_set(request: AgencyRequest) -> HttpResponse:
    form = AuditSetForm(request.POST)
    if not form.is_valid():
        return _audit_sets_page(request, form, status=400)
    data = form.cleaned_data
    audit_set = archive.create_audit_set(
        request.agency, data["date_from"], data["date_to"], data["size"], data["seed"]
    )
    messages.success(request, f"Drew {audit_set.items.count()} inquiries.")
    return redirect("querylogs:audit_set", ori=request.agency.ori, pk=audit_set.pk)


@agency_view("querylogs.view")
def audit_set(request: AgencyRequest, pk: int) -> HttpResponse:
    the_set = agency_object_or_404(request, AuditSet, pk=pk)
    items = list(the_set.items.select_related("reviewer", "audit_set__agency"))
    rows = _rows_by_key(request, [(i.month, i.key) for i in items])
    context = {
        "set": the_set,
        "items": [(item, rows.get(item.key)) for item in items],
        "can_review": may(request, "querylogs.review"),
        "choices": AuditSample.Disposition.choices,
        "show_subject": _shows_subjects(request, len(rows), f"audit set #{pk}"),
    }
    return _render(request, "querylogs/audit_set.html", context)


@require_POST
@agency_view("querylogs.review")
def disposition(request: AgencyRequest, pk: int, item: int) -> HttpResponse:
    the_set = agency_object_or_404(request, AuditSet, pk=pk)
    sample = the_set.items.filter(pk=item).first()
    if sample is None:
        raise Http404("No such inquiry in this audit set.")
    form = DispositionForm(request.POST)
    if form.is_valid():
        sample.disposition = form.cleaned_data["disposition"]
        sample.note = form.cleaned_data["note"]
        sample.reviewer = request.user
        sample.reviewed_at = timezone.now()
        sample.save(update_fields=["disposition", "note", "reviewer", "reviewed_at"])
        messages.success(
            request, f"Inquiry #{sample.position}: {sample.get_disposition_display()}."
        )
    else:
        messages.error(request, "Choose justified, unjustified or needs information.")
    url = reverse("querylogs:audit_set", kwargs={"ori": request.agency.ori, "pk": pk})
    return redirect(f"{url}#item-{sample.position}")


# -- Leads -----------------------------------------------------------------------------


def _leads_query(request: AgencyRequest) -> str:
    """The leads list's filters, sort and page, as the lead page and its actions
    carry them back to the list (the period is never lost on the way)."""
    params = filter_params(request, LeadFilterForm.base_fields)
    if (page := request.GET.get("page", "")).isascii() and page.isdigit():
        params["page"] = page
    return params.urlencode()


@agency_view("querylogs.leads")
def leads(request: AgencyRequest) -> HttpResponse:
    form, data, start, end = _period(request, LeadFilterForm)
    months = _months(request, start, end)
    fmt = wants_download(request)
    subjects = bool(fmt) and lists.wants_subjects(request)
    found = lists.leads(request.agency, months, start, end, data, subjects=subjects)
    if fmt:
        return list_download(
            request,
            found,
            lists.LEAD_FILE + ([Column("subjects", "Subjects")] if subjects else []),
            fmt=fmt,
            what=f"query-log leads {start:%Y-%m-%d} to {end:%Y-%m-%d}",
            filename=f"leads-{request.agency.ori}-{start:%Y%m%d}-{end:%Y%m%d}",
            default_sort="-last_ts",
            filters=form.fields,
            chri=subjects,
        )
    listing = paginate(
        request,
        found,
        [*lists.LEAD_COLUMNS, lists.REVIEW],
        default_sort="-last_ts",
        filters=form.fields,
    )
    context = {
        "form": form,
        "listing": listing,
        "rules": RULES,
        "start": start,
        "end": end,
        "back": _leads_query(request),
        "subjects_option": may(request, "querylogs.subjects"),
    }
    return _render(request, "querylogs/leads.html", context)


def _lead_rows(request: AgencyRequest, key: str) -> list[dict[str, Any]]:
    with closing(readers.connect(request.agency)) as con:
        return duck.lead_findings(
            con,
            storage.result_files(
                request.agency, "findings", storage.months(request.agency)
            ),
            key,
        )


@agency_view("querylogs.leads")
def lead(request: AgencyRequest, key: str) -> HttpResponse:
    found = _lead_rows(request, key)
    acted = Lead.objects.filter(agency=request.agency, key=key).first()
    if not found and acted is None:
        raise Http404("No such lead.")
    current_keys = {(f["key"], f["rule"]) for f in found}
    if acted is not None and acted.findings:
        # A lead acted on (a case, a dismissal) shows the findings it had then; a
        # later version's differences are named, never swapped in silently.
        recorded = [
            {**f, "ts": dt.datetime.fromisoformat(f["ts"])} for f in acted.findings
        ]
        changed = current_keys != {(f["key"], f["rule"]) for f in recorded}
        found = recorded
    else:
        changed = False
    rows = _rows_by_key(request, [(f["month"], f["key"]) for f in found])
    context = {
        "changed": changed,
        "current_count": len(current_keys),
        "version": ruleset.current_version(request.agency).number,
        "key": key,
        "rule": RULES[found[0]["rule"]] if found else RULES[acted.rule],
        "findings": [(f, rows.get(f["key"])) for f in found],
        "acted": acted,
        "form": LeadActionForm(),
        "show_subject": _shows_subjects(request, len(rows), f"lead {key}"),
        "back": _leads_query(request),
    }
    return _render(request, "querylogs/lead.html", context)


@require_POST
@agency_view("querylogs.leads")
def act_on_lead(request: AgencyRequest, key: str) -> HttpResponse:
    found = _lead_rows(request, key)
    if not found:
        raise Http404("No such lead.")
    form = LeadActionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    status = (
        Lead.Status.REFERRED
        if request.POST.get("action") == "investigate"
        else Lead.Status.DISMISSED
    )
    operators = referral.operators_of(found)
    before = Lead.objects.filter(agency=request.agency, key=key).first()
    kept = before is not None and before.findings
    lead_record, _ = Lead.objects.update_or_create(
        agency=request.agency,
        key=key,
        defaults={
            "rule": found[0]["rule"],
            # A lead of several operators (REPEAT_SUBJECT) is nobody's in
            # particular: the case names them all.
            "operator_id": operators[0] if len(operators) == 1 else "",
            "status": status,
            "note": note,
            "acted_by": request.user,
            "acted_at": timezone.now(),
            # What the lead was when acted on stays with it (issue 17 §2).
            "rule_version": before.rule_version
            if kept
            else ruleset.current_version(request.agency).number,
            "findings": before.findings if kept else ruleset.lead_record(found),
        },
    )
    if status == Lead.Status.REFERRED:
        return referral.open_investigation(request, lead_record, operators)
    messages.success(request, "Lead dismissed.")
    back = reverse("querylogs:leads", kwargs={"ori": request.agency.ori})
    query = _leads_query(request)
    return redirect(f"{back}?{query}" if query else back)


# -- Rules -----------------------------------------------------------------------------


@agency_view("querylogs.rules")
def rules(request: AgencyRequest) -> HttpResponse:
    own, _ = AuditRules.objects.get_or_create(agency=request.agency)
    form = RulesForm(request.POST or None, instance=own)
    if request.method == "POST" and form.is_valid():
        form.save()
        version = ruleset.ensure_version(request.agency, form.cleaned_data["why"])
        messages.success(
            request,
            f"Rules saved as rule-set version {version.number}. The results keep "
            "the current version until you adopt this one: re-audit the archive "
            "to see what it changes, then adopt it, with: "
            + accdesk_command(f"querylog reaudit --agency {request.agency.ori}"),
        )
        return redirect("querylogs:rules", ori=request.agency.ori)
    defaults = default_rules()
    newest = ruleset.ensure_version(request.agency)
    current = ruleset.current_set(request.agency)
    candidate = ResultSet.objects.filter(
        agency=request.agency, status=ResultSet.Status.CANDIDATE
    ).first()
    versions = list(RuleSetVersion.objects.filter(agency=request.agency)[:20])
    context = {
        "form": form,
        "fields": [
            (
                form[name],
                "\n".join(getattr(defaults, name))
                if name in AuditRules.LIST_FIELDS
                else str(getattr(defaults, name, "")),
            )
            for name in form.fields
        ],
        "california_keys": ", ".join(defaults.california_keys),
        "versions": [
            (v, ruleset.changed_settings(older, v))
            for v, older in zip(versions, [*versions[1:], None], strict=True)
        ],
        "current": current,
        "newest": newest,
        "candidate": candidate
        if candidate and candidate.version_id == newest.pk
        else None,
        "rules_info": RULES,
    }
    return _render(request, "querylogs/rules.html", context)


@require_POST
@agency_view("querylogs.rules")
def adopt_rules(request: AgencyRequest) -> HttpResponse:
    """The Rules page's button: make the re-audited newest version current."""
    try:
        number = int(request.POST.get("version", ""))
        adopted = ruleset.adopt_candidate(request.agency, number)
    except ValueError:
        messages.error(request, "Choose the version to adopt.")
    except ruleset.RuleSetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Rule-set version {adopted.version.number} is current: the pages show "
            "its results.",
        )
    return redirect("querylogs:rules", ori=request.agency.ori)
