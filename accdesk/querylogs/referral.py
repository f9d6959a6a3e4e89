"""The one place where a query-log lead becomes a misuse investigation.

The case is opened with a provisional number (``QL-<year>-<n>``) that the ACC can
change to the agency's own; its source is ``query_log_lead`` and the lead links to
it, so the case page lists the rows that raised the suspicion (issue 5).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect

from accdesk.agency.tenancy import AgencyRequest, may
from accdesk.investigations.models import MisuseCase, Source, System
from accdesk.personnel.models import Person, SystemAccount
from accdesk.querylogs.models import Lead
from accdesk.querylogs.rules import RULES


def operators_of(findings: list[dict[str, Any]]) -> list[str]:
    """Every operator behind a lead's findings, once each, in ID order."""
    return sorted({(f["operator_id"] or "").strip() for f in findings} - {""})


def open_investigation(
    request: AgencyRequest, lead: Lead, operators: list[str]
) -> HttpResponse:
    """Open the case for a lead; ``operators`` are all of the lead's operators."""
    if lead.case_id is not None:
        return redirect(
            "investigations:detail", ori=request.agency.ori, pk=lead.case_id
        )
    if not may(request, "investigations.edit"):
        # The SPOC may refer a lead; opening the case is the ACC's.
        messages.success(
            request, "Lead referred: the ACC opens the misuse investigation."
        )
        return redirect("querylogs:lead", ori=request.agency.ori, key=lead.key)
    today = request.agency.today()
    with transaction.atomic():
        case = MisuseCase.objects.create(
            agency=request.agency,
            case_number=_provisional_number(request, today.year),
            opened_on=today,
            source=Source.QUERY_LOG_LEAD,
            # The subject of the case is the one operator's person; with several
            # operators there is no single subject to name yet.
            subject=_operator(request, operators[0]) if len(operators) == 1 else None,
            systems=[System.CLETS],
            allegation=(
                f"Query-log audit lead {lead.rule} ({RULES[lead.rule].summary}) "
                f"for {_operators_text(operators)}."
                + (f" {lead.note}" if lead.note else "")
            ),
        )
        lead.case = case
        lead.save(update_fields=["case"])
        case.add_note(today, f"Opened from query-log lead {lead.key}.", by=request.user)
    messages.success(
        request,
        f"Misuse investigation {case.case_number} opened from the lead; edit it to "
        "give it your agency's case number.",
    )
    return redirect("investigations:detail", ori=request.agency.ori, pk=case.pk)


def _operators_text(operators: list[str]) -> str:
    if not operators:
        return "an unknown operator"
    if len(operators) == 1:
        return f"operator {operators[0]}"
    return f"{len(operators)} operators: {', '.join(operators)}"


def _provisional_number(request: AgencyRequest, year: int) -> str:
    taken = set(
        MisuseCase.objects.filter(
            agency=request.agency, case_number__startswith=f"QL-{year}-"
        ).values_list("case_number", flat=True)
    )
    n = len(taken) + 1
    while f"QL-{year}-{n:03d}" in taken:
        n += 1
    return f"QL-{year}-{n:03d}"


def _operator(request: AgencyRequest, operator_id: str) -> Person | None:
    """The roster person behind the operator ID, when the accounts say who."""
    account = SystemAccount.objects.filter(
        agency=request.agency, operator_id=operator_id
    ).first()
    if account is None or not account.employee_id:
        return None
    return Person.objects.filter(
        agency=request.agency, employee_id=account.employee_id
    ).first()
