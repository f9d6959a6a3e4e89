"""Filters every page uses (loaded as a template builtin, see settings.TEMPLATES):
dates, times, numbers and plurals as ``lib/text.py`` writes them, and a code shown
with its plain label. The label tables belong to the apps (reason, rule, status
texts); their filters render through ``labelled`` so every code looks the same."""

from __future__ import annotations

import datetime as dt

from django import template
from django.forms import Textarea
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accdesk.core.actor import current_actor
from accdesk.core.audit import event_label
from accdesk.lib import text
from accdesk.lib.commandline import accdesk_command

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


@register.simple_tag
def command(args: str) -> SafeString:
    """``{% command "releaselog verify --agency X" %}``: an ``accdesk`` command as
    it runs on this server (``lib/commandline.py``), in a <code>."""
    return format_html('<code class="command">{}</code>', accdesk_command(args))


@register.filter
def is_multiline(field: object) -> bool:
    """A form field typed in a multi-line box, where Enter starts a new line
    (static/js/app.js makes Ctrl+Enter submit from there)."""
    widget = getattr(getattr(field, "field", None), "widget", None)
    return isinstance(widget, Textarea)


@register.simple_tag(takes_context=True)
def print_header(context: template.Context) -> SafeString:
    """The line at the head of every printed page and PDF: agency, ORI, as-of
    date, printed by whom and when (in the agency's time zone). Nothing outside
    an agency."""
    agency = context.get("current_agency") or context.get("agency")
    if agency is None or not hasattr(agency, "ori"):
        return SafeString("")
    user = context.get("user")
    if user is not None and user.is_authenticated:
        who = user.display_name
    else:
        who = current_actor().label  # a command: cli:<os user>
    # Pages run in the agency's time zone already (agency_view); a command's PDF
    # does not. (An agency being edited may hold an invalid zone: keep the one
    # in force.)
    if context.get("request") is None:
        with timezone.override(agency.time_zone):
            moment = timezone.localtime()
    else:
        moment = timezone.localtime()
    as_of = context.get("as_of") or moment.date()
    return format_html(
        '<p class="print-header"><strong>{}</strong> · ORI {} · as of {} · '
        "printed by {} on {}</p>",
        agency.name,
        agency.ori,
        text.us_date(as_of),
        who,
        text.us_datetime(moment),
    )
