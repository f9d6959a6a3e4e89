"""``{% evidence_files record %}``: a record page's evidence files, in one line.

A template tag rather than a view helper, so that apps below ``evidence`` (the
agency profile, the roster) show their records' files without importing it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from accdesk.evidence.attach import evidence_for

register = template.Library()


@register.inclusion_tag("evidence/_evidence.html", takes_context=True)
def evidence_files(context: dict[str, Any], record: models.Model) -> dict[str, Any]:
    request = context["request"]
    return {"request": request, "evidence": evidence_for(request, record)}
