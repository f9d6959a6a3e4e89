"""The standard self-inspection checklist: each question with the rule it checks
(domain brief §3.8, §5 "Media and physical security"). Rows of
``InspectionQuestion`` with no agency, written after every ``migrate`` (and
test-database flush); an agency adds its own questions beside them."""

from __future__ import annotations

from typing import Any

# (code, question, source)
STANDARD = [
    (
        "secure_location",
        "Terminals and equipment are in a physically secure location.",
        "11 CCR §707(a); CJISSECPOL v5.9.5 PE-3",
    ),
    (
        "not_facing_public",
        "No terminal faces the public or a public window.",
        "CJISSECPOL v5.9.5 PE-5",
    ),
    (
        "screens_not_visible",
        "Screens cannot be seen by visitors or unauthorized staff.",
        "CJISSECPOL v5.9.5 PE-5",
    ),
    (
        "printer_secured",
        "Printer and fax output is collected at once and kept secure.",
        "CJISSECPOL v5.9.5 PE-5; 11 CCR §707(a)",
    ),
    (
        "access_list_current",
        "The list of people with unescorted access is current.",
        "CJISSECPOL v5.9.5 PE-2",
    ),
    (
        "visitor_log_kept",
        "A visitor log is kept and retained for one year.",
        "CJISSECPOL v5.9.5 PE-8",
    ),
    (
        "visitors_escorted",
        "Visitors are escorted and monitored at all times.",
        "CJISSECPOL v5.9.5 PE-3, PE-8",
    ),
    (
        "keys_controlled",
        "Keys and combinations are inventoried and changed when lost "
        "or when a holder leaves.",
        "CJISSECPOL v5.9.5 PE-3",
    ),
    (
        "session_lock",
        "Unattended terminals lock after at most 30 minutes.",
        "CJISSECPOL v5.9.5 AC-11",
    ),
    (
        "media_disposal",
        "CJI on paper and media is cross-cut shredded or destroyed as policy requires.",
        "CJISSECPOL v5.9.5 MP-6; 11 CCR §708",
    ),
    (
        "use_notice",
        "The system use notification is shown before sign-in.",
        "CJISSECPOL v5.9.5 AC-8",
    ),
]


def install_standard_questions(apps: Any = None, **kwargs: Any) -> None:
    """Write the standard questions (a ``post_migrate`` receiver; idempotent)."""
    if apps is None:
        from django.apps import apps
    try:
        model = apps.get_model("terminals", "InspectionQuestion")
    except LookupError:
        return
    for order, (code, text, source) in enumerate(STANDARD, start=1):
        model.objects.update_or_create(
            agency=None,
            code=code,
            defaults={"text": text, "source": source, "order": order, "active": True},
        )
