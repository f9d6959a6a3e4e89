"""Query-log rules and severities in words on the pages (the rule's own summary
from ``rules.RULES``), the code in small type beside them."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from accdesk.core.templatetags.desk import labelled
from accdesk.querylogs.rules import RULES

register = template.Library()

_SEVERITY_TEXT = {"violation": "Violation", "warning": "Warning", "lead": "Lead"}
_SEVERITY_BADGE = {"violation": "badge-danger", "warning": "badge-warning"}


@register.filter
def rule_label(code: str) -> str:
    rule = RULES.get(code)
    return rule.summary if rule else code


@register.filter
def rule(code: str) -> SafeString:
    """``RTE_NO_REQUESTER`` -> its summary, with the code beside it."""
    return labelled(rule_label(code), code)


@register.filter
def severity_label(severity: str) -> str:
    return _SEVERITY_TEXT.get(severity, severity)


@register.filter
def severity_badge(severity: str) -> str:
    return _SEVERITY_BADGE.get(severity, "badge-muted")
