"""Pages of audits: the list (with the next expected audit of each type), an audit
(stages, questionnaire and answers, samples, findings), its forms, the binder
download, the mock audit, findings and corrective actions, questionnaires and
their import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may
from accdesk.audits import binder, mock, questionnaires, rules, samples
from accdesk.audits.forms import (
    ActionForm,
    AnswerForm,
    AuditForm,
    CloseActionForm,
    FindingForm,
    QuestionnaireImportForm,
    SampleCheckForm,
    SampleForm,
)
from accdesk.audits.models import (
    Answer,
    Audit,
    AuditType,
    CorrectiveAction,
    Finding,
    Question,
    Questionnaire,
    Sample,
)
from accdesk.core.audit import record_event
from accdesk.lib.tabular import SUPPORTED_SUFFIXES


@agency_view("audits.view")
def audit_list(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    audits = list(Audit.objects.filter(agency=agency))
    return render(
        request,
        "audits/list.html",
        {
            "rows": [(a, *rules.counts(a)) for a in audits],
            "expected": [
                (label, rules.next_expected(agency, code))
                for code, label in AuditType.choices
                if code != AuditType.SELF
            ],
            "overdue_actions": rules.overdue_actions(agency, agency.today()),
            "can_edit": may(request, "audits.edit"),
        },
    )


def _audit_form(request: AgencyRequest, audit: Audit, title: str) -> HttpResponse:
    form = AuditForm(request.POST or None, instance=audit, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Audit “{audit.title}” saved.")
        return redirect(audit)
    return render(
        request,
        "audits/audit_form.html",
        {"form": form, "title": title, "audit": audit},
        status=400 if form.errors else 200,
    )


@agency_view("audits.edit")
def add_audit(request: AgencyRequest) -> HttpResponse:
    audit = Audit(agency=request.agency, questionnaire=questionnaires.starting())
    return _audit_form(request, audit, "New audit")


@agency_view("audits.edit")
def edit_audit(request: AgencyRequest, pk: int) -> HttpResponse:
    audit = agency_object_or_404(request, Audit, pk=pk)
    return _audit_form(request, audit, f"Edit {audit.title}")


@agency_view("audits.view")
def detail(request: AgencyRequest, pk: int) -> HttpResponse:
    audit = agency_object_or_404(
        request, Audit.objects.select_related("questionnaire"), pk=pk
    )
    answers = {a.question_id: a for a in audit.answers.all()}
    sections = []
    if audit.questionnaire is not None:
        for title, questions in audit.questionnaire.sections():
            sections.append((title, [(q, answers.get(q.pk)) for q in questions]))
    open_findings, open_actions = rules.counts(audit)
    return render(
        request,
        "audits/detail.html",
        {
            "audit": audit,
            "sections": sections,
            "answered": len(answers),
            "samples": audit.samples.all(),
            "findings": audit.findings.prefetch_related("actions__owner"),
            "open_findings": open_findings,
            "open_actions": open_actions,
            "next_expected": rules.next_expected(request.agency, audit.type),
            "final_report_window": rules.expected_final_report(audit),
            "close_refused": rules.may_close(audit),
            "can_edit": may(request, "audits.edit"),
        },
    )


@agency_view("audits.edit")
def answer(request: AgencyRequest, pk: int, question: int) -> HttpResponse:
    audit = agency_object_or_404(request, Audit, pk=pk)
    item = get_object_or_404(Question, pk=question, questionnaire=audit.questionnaire)
    existing = Answer.objects.filter(audit=audit, question=item).first()
    record = existing or Answer(agency=request.agency, audit=audit, question=item)
    form = AnswerForm(request.POST or None, instance=record, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.record_links = form.cleaned_data["links"]
        record.answered_by = request.user.display_name
        record.save()
        if (
            record.value == Answer.Value.NO
            and not Finding.objects.filter(answer=record).exists()
        ):
            Finding.objects.create(
                agency=request.agency,
                audit=audit,
                citation=item.source,
                description=f"{item.number} {item.text} — answered no."
                + (f" {record.note}" if record.note else ""),
                source=Finding.Source.ANSWER,
                answer=record,
                opened_on=request.agency.today(),
            )
            messages.warning(request, "Answered no: a finding was opened.")
        messages.success(request, f"Answer to {item.number} saved.")
        return redirect(
            "audits:answer", ori=request.agency.ori, pk=audit.pk, question=item.pk
        )
    return render(
        request,
        "audits/answer.html",
        {"audit": audit, "question": item, "form": form, "answer": existing},
        status=400 if form.errors else 200,
    )


@agency_view("audits.edit")
def draw_sample(request: AgencyRequest, pk: int) -> HttpResponse:
    audit = agency_object_or_404(request, Audit, pk=pk)
    form = SampleForm(request.POST or None, audit=audit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sample = samples.draw(
            audit,
            data["database"],
            data["size"],
            data["seed"].strip() or samples.new_seed(),
        )
        messages.success(
            request,
            f"{sample.items.count()} {sample.database} records drawn (seed "
            f"{sample.seed}).",
        )
        return redirect("audits:sample", ori=request.agency.ori, pk=sample.pk)
    return render(
        request,
        "audits/simple_form.html",
        {"form": form, "title": "Draw a sample of records", "audit": audit},
        status=400 if form.errors else 200,
    )


@agency_view("audits.view")
def sample(request: AgencyRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        Sample.objects.select_related("audit"), pk=pk, audit__agency=request.agency
    )
    rows = list(item.items.select_related("record"))
    can_edit = may(request, "audits.edit")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        for row in rows:
            form = SampleCheckForm.for_item(row, request.POST)
            if form.is_valid() and form.has_changed():
                samples.record_check(row, form.cleaned_data, request.user.display_name)
        messages.success(request, "Sample checks saved.")
        return redirect("audits:sample", ori=request.agency.ori, pk=item.pk)
    return render(
        request,
        "audits/sample.html",
        {
            "sample": item,
            "rows": [(row, SampleCheckForm.for_item(row)) for row in rows],
            "can_edit": can_edit,
        },
    )


@agency_view("audits.edit")
def add_finding(request: AgencyRequest, pk: int) -> HttpResponse:
    audit = agency_object_or_404(request, Audit, pk=pk)
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        finding = form.save(commit=False)
        finding.agency = request.agency
        finding.audit = audit
        finding.opened_on = request.agency.today()
        finding.save()
        messages.success(request, "Finding recorded.")
        return redirect(finding)
    return render(
        request,
        "audits/simple_form.html",
        {"form": form, "title": "New finding", "audit": audit},
        status=400 if form.errors else 200,
    )


@agency_view("audits.view")
def finding(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, Finding.objects.select_related("audit"), pk=pk)
    form = ActionForm(
        request.POST or None,
        instance=CorrectiveAction(agency=request.agency, finding=item),
        agency=request.agency,
        initial={"owner": request.user.pk},
    )
    if request.method == "POST":
        if not may(request, "audits.edit"):
            raise PermissionDenied
        if form.is_valid():
            fields = {
                k: form.cleaned_data[k]
                for k in ("description", "owner", "due_date", "status")
            }
            rules.add_action(item, **fields)
            messages.success(request, "Corrective action added.")
            return redirect(item)
    return render(
        request,
        "audits/finding.html",
        {
            "finding": item,
            "actions": item.actions.select_related("owner"),
            "form": form,
            "today": request.agency.today(),
            "can_edit": may(request, "audits.edit"),
        },
        status=400 if form.errors else 200,
    )


@agency_view("audits.view")
def action(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(
        request, CorrectiveAction.objects.select_related("finding__audit"), pk=pk
    )
    form = CloseActionForm(
        request.POST or None, initial={"closed_on": request.agency.today()}
    )
    if request.method == "POST":
        if not may(request, "audits.edit"):
            raise PermissionDenied
        if form.is_valid():
            try:
                closed = rules.close_action(
                    item,
                    form.cleaned_data["closed_on"],
                    form.cleaned_data["closure_note"],
                )
            except rules.ClosingRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    "Corrective action closed."
                    + (
                        " It was the last one: the finding is closed." if closed else ""
                    ),
                )
                return redirect(item.finding)
    return render(
        request,
        "audits/action.html",
        {
            "action": item,
            "form": form,
            "has_evidence": rules.has_closure_evidence(item),
            "can_edit": may(request, "audits.edit"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@agency_view("audits.edit")
def close_audit(request: AgencyRequest, pk: int) -> HttpResponse:
    audit = agency_object_or_404(request, Audit, pk=pk)
    try:
        rules.close_audit(audit, request.agency.today())
    except rules.ClosingRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Audit “{audit.title}” closed.")
    return redirect(audit)


@agency_view("audits.view")
def download_binder(request: AgencyRequest, pk: int) -> HttpResponse:
    audit = agency_object_or_404(request, Audit, pk=pk)
    data = binder.build(audit, request.user.display_name)
    record_event(
        "export",
        agency_id=request.agency.pk,
        obj=audit,
        message=f"audit binder of “{audit.title}” (pdf, {len(data)} bytes)",
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{binder.filename(audit)}"'
    return response


@require_POST
@agency_view("audits.edit")
def mock_audit(request: AgencyRequest) -> HttpResponse:
    audit = mock.run(request.agency, request.user.display_name)
    messages.success(
        request,
        f"Mock audit run: {audit.findings.count()} finding(s) to look at.",
    )
    return redirect(audit)


@agency_view("audits.view")
def questionnaire_list(request: AgencyRequest) -> HttpResponse:
    return render(
        request,
        "audits/questionnaires.html",
        {
            "questionnaires": questionnaires.available(request.agency),
            "can_import": may(request, "audits.import"),
        },
    )


@agency_view("audits.view")
def questionnaire(request: AgencyRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(questionnaires.available(request.agency), pk=pk)
    return render(request, "audits/questionnaire.html", {"questionnaire": item})


@agency_view("audits.import")
def import_questionnaire(request: AgencyRequest) -> HttpResponse:
    form = QuestionnaireImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = questionnaires.import_questionnaire(
            request.agency, form.cleaned_data["title"], upload, upload.name
        )
        if result.applied:
            messages.success(request, f"{result.notes[-1]} imported.")
            latest = Questionnaire.objects.filter(agency=request.agency).latest("id")
            return redirect(
                "audits:questionnaire", ori=request.agency.ori, pk=latest.pk
            )
    return render(
        request,
        "audits/questionnaire_import.html",
        {
            "form": form,
            "result": result,
            "accept": ",".join(SUPPORTED_SUFFIXES),
            "example": questionnaires.QUESTIONNAIRE,
        },
        status=400 if form.errors or (result and not result.ok) else 200,
    )
