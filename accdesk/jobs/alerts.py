"""Alerts of failed nightly integrity checks: e-mailed to the ACC and SPOC when
they open, a red banner on the agency's pages until the check passes again.

CJISSECPOL v5.9.5 AU-9 asks to protect audit information and to alert when it is
changed; AU-5 to alert on an audit failure. The release log's hash chain and the
change record are such information.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accdesk.agency.contacts import members_with_role
from accdesk.agency.models import Agency
from accdesk.core import mail
from accdesk.jobs.models import Alert

CHECKS = {
    "releaselog": "The release log's hash chain did not verify",
    "changes": "The change record did not verify",
}


def open_alerts(agency: Agency) -> QuerySet[Alert]:
    return Alert.objects.filter(
        Q(agency=agency) | Q(agency__isnull=True), closed_at__isnull=True
    )


@transaction.atomic
def raise_alert(check: str, agency: Agency | None, message: str) -> Alert:
    """Open the alert (and e-mail it) unless it is already open."""
    alert = Alert.objects.filter(
        name=check, agency=agency, closed_at__isnull=True
    ).first()
    if alert is not None:
        return alert
    alert = Alert.objects.create(name=check, agency=agency, message=message[:500])
    agencies = [agency] if agency is not None else list(Agency.objects.all())
    for each in agencies:
        _email(alert, each)
    return alert


def clear_alert(check: str, agency: Agency | None) -> None:
    for alert in Alert.objects.filter(name=check, agency=agency, closed_at=None):
        alert.closed_at = timezone.now()
        alert.save(update_fields=["closed_at"])


def _email(alert: Alert, agency: Agency) -> None:
    recipients = list(
        dict.fromkeys(
            m.user.email
            for role in ("acc", "spoc")
            for m in members_with_role(agency, role)
        )
    )
    if not recipients:
        return
    headline = CHECKS.get(alert.name, alert.name)
    mail.send(
        recipients,
        f"{headline} ({agency.ori})",
        "jobs/mail/alert",
        {"alert": alert, "agency": agency, "headline": headline},
        event="mail.alert",
        agency_id=agency.pk,
        note=f"integrity alert {alert.name} #{alert.pk}",
    )
