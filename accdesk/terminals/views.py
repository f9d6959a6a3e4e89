"""Pages of sites, terminals, self-inspections, physical access records and system
documentation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may
from accdesk.core.audit import record_event
from accdesk.lib.exports import pdf_response
from accdesk.lib.listing import Column, download, filters_used, paginate, wants_download
from accdesk.terminals import rules
from accdesk.terminals.forms import (
    CorrectiveActionForm,
    DocumentForm,
    InspectionForm,
    InventoryReviewForm,
    KeyForm,
    QuestionForm,
    ReviewForm,
    SiteForm,
    TerminalForm,
)
from accdesk.terminals.models import (
    Answer,
    CorrectiveAction,
    Inspection,
    InspectionAnswer,
    InspectionQuestion,
    InventoryReview,
    KeyHolding,
    PhysicalReview,
    Site,
    SystemDocument,
    Terminal,
    questions_for,
)

CORRECTIVE_ACTION_DAYS = 30  # default due date of a new corrective action


def _form_page(
    request: AgencyRequest, form: Any, title: str, back: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "terminals/simple_form.html",
        {"form": form, "title": title, "back": back, **extra},
        status=400 if form.errors else 200,
    )


# -- sites ----------------------------------------------------------------------------


@agency_view("sites.view")
def sites(request: AgencyRequest) -> HttpResponse:
    day = request.agency.today()
    sites = list(
        Site.objects.filter(agency=request.agency)
        .select_related("agency")  # their links name the agency
        .annotate(terminal_count=Count("terminals"))
    )
    done = rules.last_done(sites)
    rows = [
        (
            site,
            rules.inspection_due(site, day, done),
            any(d.late for d in rules.site_dues(site, day, done)),
        )
        for site in sites
    ]
    return render(
        request,
        "terminals/sites.html",
        {"rows": rows, "can_edit": may(request, "sites.edit"), "today": day},
    )


@agency_view("sites.view")
def site(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, Site, pk=pk)
    day = request.agency.today()
    actions = CorrectiveAction.objects.filter(
        answer__inspection__site=item
    ).select_related("answer__question", "owner")
    return render(
        request,
        "terminals/site.html",
        {
            "site": item,
            "terminals": item.terminals.all(),
            "people": item.unescorted.all(),
            "inspections": item.inspections.all(),
            "actions": actions,
            "dues": rules.site_dues(item, day),
            "reviews": item.reviews.all()[:20],
            "keys": item.keys.select_related("person"),
            "today": day,
            "can_edit": may(request, "sites.edit"),
            "show_people": request.membership.role != "supervisor",
        },
    )


def _site_form(request: AgencyRequest, item: Site, title: str) -> HttpResponse:
    form = SiteForm(request.POST or None, instance=item, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Site {item.name} saved.")
        return redirect(item.get_absolute_url())
    return _form_page(
        request,
        form,
        title,
        reverse("terminals:sites", kwargs={"ori": request.agency.ori}),
    )


@agency_view("sites.edit")
def add_site(request: AgencyRequest) -> HttpResponse:
    return _site_form(request, Site(agency=request.agency), "New site")


@agency_view("sites.edit")
def edit_site(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, Site, pk=pk)
    return _site_form(request, item, f"Edit {item.name}")


# -- terminals ------------------------------------------------------------------------

TERMINAL_COLUMNS = [
    Column("terminal", "Terminal"),
    Column("type", "Type", order="terminal_type", value=lambda t: t.terminal_type),
    Column(
        "site",
        "Site",
        order="site__name",
        value=lambda t: t.site.name if t.site else "",
    ),
    Column("host", "Host"),
    Column(
        "public_view", "Public view", value=lambda t: "yes" if t.public_view else "no"
    ),
    Column("status", "Status"),
    Column("unit", "Unit"),
    Column("retired_date", "Retired"),
]


@agency_view("sites.view")
def terminals(request: AgencyRequest) -> HttpResponse:
    rows = Terminal.objects.filter(agency=request.agency).select_related("site")
    show = request.GET.get("status", "active")
    if show in Terminal.Status.values:
        rows = rows.filter(status=show)
    if q := request.GET.get("q", "").strip():
        rows = rows.filter(
            Q(terminal__icontains=q) | Q(host__icontains=q) | Q(unit__icontains=q)
        )
    if fmt := wants_download(request):
        record_event(
            "export",
            agency_id=request.agency.pk,
            message=f"terminal inventory ({fmt}); filters: "
            + (", ".join(filters_used(request.GET)) or "none"),
        )
        return download(
            request,
            rows,
            TERMINAL_COLUMNS,
            fmt=fmt,
            filename=f"terminals-{request.agency.ori}",
            default_sort="terminal",
        )
    listing = paginate(request, rows, TERMINAL_COLUMNS, default_sort="terminal")
    day = request.agency.today()
    return render(
        request,
        "terminals/terminals.html",
        {
            "listing": listing,
            "page": listing.page,
            "query": listing.query,
            "show": show,
            "q": q,
            "inventory": rules.inventory_due(request.agency, day),
            "reviews": InventoryReview.objects.filter(agency=request.agency)[:5],
            "review_form": InventoryReviewForm(today=day),
            "can_edit": may(request, "sites.edit"),
            "can_import": may(request, "sites.import"),
        },
    )


def _terminal_form(request: AgencyRequest, item: Terminal, title: str) -> HttpResponse:
    form = TerminalForm(request.POST or None, instance=item, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Terminal {item.terminal} saved.")
        return redirect("terminals:terminals", ori=request.agency.ori)
    return _form_page(
        request,
        form,
        title,
        reverse("terminals:terminals", kwargs={"ori": request.agency.ori}),
        record=item if item.pk else None,
    )


@agency_view("sites.edit")
def add_terminal(request: AgencyRequest) -> HttpResponse:
    return _terminal_form(request, Terminal(agency=request.agency), "New terminal")


@agency_view("sites.edit")
def edit_terminal(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, Terminal, pk=pk)
    return _terminal_form(request, item, f"Terminal {item.terminal}")


@agency_view("sites.edit")
@require_POST
def review_inventory(request: AgencyRequest) -> HttpResponse:
    """The annual CM-8 sign-off: the inventory was reviewed and is accurate."""
    form = InventoryReviewForm(request.POST, today=request.agency.today())
    if form.is_valid():
        InventoryReview.objects.create(
            agency=request.agency,
            reviewed_on=form.cleaned_data["reviewed_on"],
            reviewed_by=request.user.get_username(),
            terminals=Terminal.objects.filter(
                agency=request.agency, status="active"
            ).count(),
            note=form.cleaned_data["note"],
        )
        messages.success(request, "Inventory review signed off.")
    else:
        messages.error(
            request, " ".join(e for errors in form.errors.values() for e in errors)
        )
    return redirect("terminals:terminals", ori=request.agency.ori)


# -- inspections ----------------------------------------------------------------------


def _save_inspection(
    request: AgencyRequest, form: InspectionForm, inspection: Inspection
) -> None:
    data = form.cleaned_data
    inspection.inspected_on = data["inspected_on"]
    inspection.inspector = data["inspector"]
    inspection.notes = data["notes"]
    with transaction.atomic():
        inspection.save()
        for question in form.questions:
            answer, _ = InspectionAnswer.objects.update_or_create(
                inspection=inspection,
                question=question,
                defaults={
                    "answer": data[f"answer_{question.pk}"],
                    "note": data[f"note_{question.pk}"],
                },
            )
            _follow_up(request, answer)


def _follow_up(request: AgencyRequest, answer: InspectionAnswer) -> None:
    """A "no" becomes a corrective action (owner: who recorded it, due in 30 days;
    both can be changed); an answer changed back from "no" closes it."""
    existing = CorrectiveAction.objects.filter(answer=answer).first()
    if answer.answer == Answer.NO and existing is None:
        CorrectiveAction.objects.create(
            agency=request.agency,
            answer=answer,
            description=f"Put right: {answer.question.text}"
            + (f" ({answer.note})" if answer.note else ""),
            owner=request.user,
            due_date=answer.inspection.inspected_on
            + dt.timedelta(days=CORRECTIVE_ACTION_DAYS),
        )
    elif answer.answer != Answer.NO and existing is not None and existing.is_open:
        existing.closed_on = request.agency.today()
        existing.closing_note = "The answer was changed from no."
        existing.save(update_fields=["closed_on", "closing_note"])


def _inspection_form(
    request: AgencyRequest, inspection: Inspection, title: str
) -> HttpResponse:
    questions = list(questions_for(request.agency))
    initial: dict[str, Any] = {}
    if inspection.pk:
        initial = {
            "inspected_on": inspection.inspected_on,
            "inspector": inspection.inspector,
            "notes": inspection.notes,
        }
        for answer in inspection.answers.all():
            initial[f"answer_{answer.question_id}"] = answer.answer
            initial[f"note_{answer.question_id}"] = answer.note
    form = InspectionForm(
        request.POST or None,
        initial=initial,
        questions=questions,
        today=request.agency.today(),
    )
    if request.method == "POST" and form.is_valid():
        _save_inspection(request, form, inspection)
        noes = inspection.answers.filter(answer=Answer.NO).count()
        messages.success(
            request,
            f"Inspection saved; corrective actions to follow up: {noes}."
            if noes
            else "Inspection saved.",
        )
        return redirect(inspection.get_absolute_url())
    return render(
        request,
        "terminals/inspection_form.html",
        {"form": form, "title": title, "inspection": inspection},
        status=400 if form.errors else 200,
    )


@agency_view("sites.edit")
def new_inspection(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, Site, pk=pk)
    inspection = Inspection(agency=request.agency, site=item)
    return _inspection_form(request, inspection, f"Self-inspection of {item.name}")


def _inspection(request: AgencyRequest, pk: int) -> Inspection:
    return agency_object_or_404(
        request, Inspection.objects.select_related("site"), pk=pk
    )


@agency_view("sites.edit")
def edit_inspection(request: AgencyRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    if inspection.signed_off:
        messages.info(
            request, "A signed-off inspection cannot change: start a new one."
        )
        return redirect(inspection.get_absolute_url())
    return _inspection_form(
        request, inspection, f"Self-inspection of {inspection.site.name}"
    )


def _inspection_context(
    request: AgencyRequest, inspection: Inspection
) -> dict[str, Any]:
    answers = inspection.answers.select_related("question", "corrective_action__owner")
    return {
        "agency": request.agency,
        "inspection": inspection,
        "answers": answers,
        "counts": {a: answers.filter(answer=a).count() for a in Answer.values},
    }


@agency_view("sites.view")
def inspection(request: AgencyRequest, pk: int) -> HttpResponse:
    item = _inspection(request, pk)
    return render(
        request,
        "terminals/inspection.html",
        {**_inspection_context(request, item), "can_edit": may(request, "sites.edit")},
    )


@agency_view("sites.view")
def inspection_pdf(request: AgencyRequest, pk: int) -> HttpResponse:
    item = _inspection(request, pk)
    record_event("export", obj=item, message="inspection PDF")
    return pdf_response(
        f"inspection-{request.agency.ori}-{item.pk}-{item.inspected_on}.pdf",
        "terminals/inspection_pdf.html",
        _inspection_context(request, item),
        request,
    )


@agency_view("sites.edit")
@require_POST
def sign_off(request: AgencyRequest, pk: int) -> HttpResponse:
    item = _inspection(request, pk)
    if not item.signed_off:
        item.signed_off_on = request.agency.today()
        item.signed_off_by = request.user.get_username()
        item.save(update_fields=["signed_off_on", "signed_off_by"])
        messages.success(request, "Inspection signed off.")
    return redirect(item.get_absolute_url())


@agency_view("sites.edit")
def edit_action(request: AgencyRequest, pk: int) -> HttpResponse:
    action = agency_object_or_404(
        request, CorrectiveAction.objects.select_related("answer__inspection"), pk=pk
    )
    form = CorrectiveActionForm(
        request.POST or None, instance=action, agency=request.agency
    )
    back = reverse(
        "terminals:inspection",
        kwargs={"ori": request.agency.ori, "pk": action.answer.inspection_id},
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Corrective action saved.")
        return redirect(back)
    return _form_page(request, form, "Corrective action", back)


# -- physical access records ----------------------------------------------------------


@agency_view("sites.edit")
def add_review(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, Site, pk=pk)
    review = PhysicalReview(
        agency=request.agency, site=item, reviewed_by=request.user.get_username()
    )
    form = ReviewForm(
        request.POST or None,
        instance=review,
        agency=request.agency,
        today=request.agency.today(),
    )
    if request.GET.get("kind") in PhysicalReview.Kind.values:
        form.initial["kind"] = request.GET["kind"]
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            f"{review.get_kind_display()} review recorded: attach its evidence below.",
        )
        return redirect("terminals:review", ori=request.agency.ori, pk=review.pk)
    return _form_page(
        request, form, f"Record a review: {item.name}", item.get_absolute_url()
    )


@agency_view("sites.view")
def review(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(
        request, PhysicalReview.objects.select_related("site"), pk=pk
    )
    return render(
        request,
        "terminals/review.html",
        {"review": item, "can_edit": may(request, "sites.edit")},
    )


@agency_view("sites.edit")
def edit_review(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(
        request, PhysicalReview.objects.select_related("site"), pk=pk
    )
    form = ReviewForm(
        request.POST or None,
        instance=item,
        agency=request.agency,
        today=request.agency.today(),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Review saved.")
        return redirect("terminals:review", ori=request.agency.ori, pk=item.pk)
    return _form_page(
        request, form, f"Edit review: {item.site.name}", item.site.get_absolute_url()
    )


def _key_form(request: AgencyRequest, item: KeyHolding, title: str) -> HttpResponse:
    form = KeyForm(request.POST or None, instance=item, agency=request.agency)
    back = (
        item.site.get_absolute_url()
        if item.site_id
        else reverse("terminals:sites", kwargs={"ori": request.agency.ori})
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{item.label} saved.")
        return redirect(item.site.get_absolute_url() if item.site_id else back)
    return _form_page(request, form, title, back)


@agency_view("sites.edit")
def add_key(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, Site, pk=pk)
    holding = KeyHolding(
        agency=request.agency, site=item, issued_on=request.agency.today()
    )
    return _key_form(request, holding, f"Issue a key or combination: {item.name}")


@agency_view("sites.edit")
def edit_key(request: AgencyRequest, pk: int) -> HttpResponse:
    holding = agency_object_or_404(
        request, KeyHolding.objects.select_related("site", "person"), pk=pk
    )
    return _key_form(request, holding, f"{holding.label} ({holding.person.name})")


# -- system documentation -------------------------------------------------------------


@agency_view("sites.view")
def documents(request: AgencyRequest) -> HttpResponse:
    day = request.agency.today()
    return render(
        request,
        "terminals/documents.html",
        {
            "documents": SystemDocument.objects.filter(
                agency=request.agency
            ).select_related("owner"),
            "diagram_problem": rules.network_diagram_problem(request.agency, day),
            "today": day,
            "can_edit": may(request, "sites.edit"),
        },
    )


@agency_view("sites.view")
def document(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(
        request, SystemDocument.objects.select_related("owner"), pk=pk
    )
    return render(
        request,
        "terminals/document.html",
        {
            "document": item,
            "today": request.agency.today(),
            "can_edit": may(request, "sites.edit"),
        },
    )


def _document_form(
    request: AgencyRequest, item: SystemDocument, title: str
) -> HttpResponse:
    form = DocumentForm(request.POST or None, instance=item, agency=request.agency)
    if not item.pk:
        # A new instance's empty fields are in form.initial already (as None).
        form.initial["effective_date"] = request.agency.today()
        form.initial["owner"] = request.user.pk
    if request.method == "POST" and form.is_valid():
        if (
            "reviewed_on" in form.changed_data
            and "next_review_date" not in form.changed_data
        ):
            item.next_review_date = None  # a year from the new review (save())
        form.save()
        messages.success(request, f"{item.title} saved.")
        return redirect(item.get_absolute_url())
    return _form_page(
        request,
        form,
        title,
        reverse("terminals:documents", kwargs={"ori": request.agency.ori}),
    )


@agency_view("sites.edit")
def add_document(request: AgencyRequest) -> HttpResponse:
    return _document_form(
        request, SystemDocument(agency=request.agency), "New system document"
    )


@agency_view("sites.edit")
def edit_document(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, SystemDocument, pk=pk)
    return _document_form(request, item, f"Edit {item.title}")


# -- checklist questions --------------------------------------------------------------


@agency_view("sites.view")
def questions(request: AgencyRequest) -> HttpResponse:
    rows = InspectionQuestion.objects.filter(
        Q(agency__isnull=True) | Q(agency=request.agency)
    )
    return render(
        request,
        "terminals/questions.html",
        {"questions": rows, "can_edit": may(request, "sites.edit")},
    )


def _question_form(
    request: AgencyRequest, item: InspectionQuestion, title: str
) -> HttpResponse:
    form = QuestionForm(request.POST or None, instance=item, agency=request.agency)
    back = reverse("terminals:questions", kwargs={"ori": request.agency.ori})
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Question saved.")
        return redirect(back)
    return _form_page(request, form, title, back)


@agency_view("sites.edit")
def add_question(request: AgencyRequest) -> HttpResponse:
    return _question_form(
        request, InspectionQuestion(agency=request.agency), "New checklist question"
    )


@agency_view("sites.edit")
def edit_question(request: AgencyRequest, pk: int) -> HttpResponse:
    # The standard questions (no agency) are not the agency's to change.
    item = agency_object_or_404(request, InspectionQuestion, pk=pk)
    return _question_form(request, item, "Edit checklist question")
