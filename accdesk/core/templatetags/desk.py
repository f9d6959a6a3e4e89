"""Filters every page uses (loaded as a template builtin, see settings.TEMPLATES):
dates, times, numbers and plurals as ``lib/text.py`` writes them, and a code shown
with its plain label. The label tables belong to the apps (reason, rule, status
texts); their filters render through ``labelled`` so every code looks the same."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accdesk.core.audit import event_label
from accdesk.lib import text

register = template.Library()


@register.filter(expects_localtime=True)
def us_date(value: dt.date | str | None) -> str:
    return text.us_date(value)


@register.filter(expects_localtime=True)
def us_datetime(value: dt.datetime | None, arg: str = "") -> str:
    """``{{ t|us_datetime }}`` to the minute, ``{{ t|us_datetime:"s" }}`` to the
    second, in the page's time zone (the agency's)."""
    return text.us_datetime(value, seconds=arg == "s")


@register.filter
def number(value: int | float | None) -> str:
    return text.number(value)


@register.filter
def counted(value: int | None, noun: str) -> str:
    return text.counted(value, noun)


def labelled(label: str, code: str) -> SafeString:
    """The plain label, then the code in small type for those who search by it."""
    if not code or label == code:
        return format_html("{}", label or code)
    return format_html('{} <span class="code">{}</span>', label, code)


@register.filter
def event(code: str) -> SafeString:
    """A change-record event (``signin.failed``) with its label."""
    return labelled(event_label(code), code)
