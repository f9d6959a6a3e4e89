"""The nightly change-record verify: runs ``accdesk changes verify`` (added by the
hardening work; until it exists the schedule skips this job) and turns a failure
into an alert for every agency -- the change record is the installation's."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

from accdesk.jobs.alerts import clear_alert, raise_alert


def verify_change_record() -> str:
    out = StringIO()
    try:
        call_command("changes", "verify", stdout=out, stderr=out)
    except (CommandError, SystemExit) as exc:
        raise_alert("changes", None, str(exc) or out.getvalue().strip()[-500:])
        return "failed"
    clear_alert("changes", None)
    return "ok"
