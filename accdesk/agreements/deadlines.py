"""The agreements' dated duties for the "What's due" registry.

- ``agreement_expiry``: an agreement recorded in force (or draft) whose expiry or
  review date falls between ``start`` and ``end``; overdue once the date has passed
  (it then counts as expired, ``Agreement.status_on``). Source: the kind's citation.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accdesk.agency.models import Agency
from accdesk.agreements.models import Agreement, Status
from accdesk.lib.deadlines import Deadline, status_on

AGREEMENT_EXPIRY = "agreement_expiry"


def deadlines(agency: Agency, start: dt.date, end: dt.date) -> list[Deadline]:
    today = agency.today()
    rows = Agreement.objects.filter(
        agency=agency,
        expiry_date__gte=start,
        expiry_date__lte=end,
        status__in=(Status.IN_FORCE, Status.DRAFT),
    ).select_related("kind")
    return [
        Deadline(
            date=a.expiry_date,
            kind=AGREEMENT_EXPIRY,
            title=f"{a.kind.form_number or a.kind.name} {a.reference} expires: renew "
            "or replace it",
            subject=a.reference,
            status=status_on(a.expiry_date, today),
            source=a.kind.citation,
            url=reverse("agreements:detail", kwargs={"ori": agency.ori, "pk": a.pk}),
        )
        for a in rows.order_by("expiry_date", "reference")
    ]
