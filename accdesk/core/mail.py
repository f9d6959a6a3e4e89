"""Sending e-mail: plain text plus HTML from one pair of templates, and every send
recorded in the change record.

Messages leave the agency's network, so they carry no CJI and no full personal
identifiers: people as "J. Smith", no dates of birth, no query subjects -- a link
to the page instead (issue 16). The templates are the place to keep it so.
Django's e-mail backend is chosen by the ``EMAIL_*`` settings
(docs/configuration.md); without ``EMAIL_HOST`` messages are printed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from accdesk.core.audit import record_event


def printed_not_sent() -> bool:
    """No mail server configured: messages go to the console of the sender."""
    return settings.EMAIL_BACKEND.endswith("console.EmailBackend")


def send(
    to: list[str],
    subject: str,
    template: str,
    context: dict[str, Any],
    *,
    event: str,
    agency_id: int | None,
    note: str,
) -> None:
    """Send ``template``.txt and ``template``.html to ``to`` and record it as
    ``event`` (``note`` says what was sent; it must not hold personal data)."""
    context = {**context, "base_url": settings.BASE_URL}
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        settings.EMAIL_SUBJECT_PREFIX + subject, text, to=to
    )
    message.attach_alternative(html, "text/html")
    message.send()
    record_event(event, agency_id=agency_id, message=f"to {', '.join(to)}: {note}")
