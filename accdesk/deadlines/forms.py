from __future__ import annotations

from typing import Any

from django import forms

from accdesk.deadlines.models import ReminderChoices
from accdesk.deadlines.reminders import MAX_DAYS_BEFORE, Prefs
from accdesk.lib.deadlines import KINDS


class ReminderForm(forms.Form):
    """The reminder choices of a member, or the agency's defaults."""

    kinds = forms.MultipleChoiceField(
        label="Reminders for",
        choices=list(KINDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick a kind to stop its reminders. The ACC gets overdue items "
        "whatever is ticked.",
    )
    days_before = forms.CharField(
        label="Days before the due date",
        required=False,
        help_text="Comma-separated, e.g. 30, 7, 1. Leave empty for none.",
    )
    on_due_day = forms.BooleanField(label="On the due day", required=False)
    overdue_weekly = forms.BooleanField(
        label="Every week while overdue", required=False
    )
    digest = forms.BooleanField(
        label="The Monday digest (07:00): the next 30 days and what is overdue",
        required=False,
    )

    @classmethod
    def initial_from(cls, prefs: Prefs) -> dict[str, Any]:
        return {
            "kinds": [k for k in KINDS if k not in prefs.kinds_off],
            "days_before": ", ".join(str(n) for n in prefs.days_before),
            "on_due_day": prefs.on_due_day,
            "overdue_weekly": prefs.overdue_weekly,
            "digest": prefs.digest,
        }

    def clean_days_before(self) -> list[int]:
        text = self.cleaned_data["days_before"].replace(" ", "")
        days = []
        for part in filter(None, text.split(",")):
            if not part.isdigit() or not 1 <= int(part) <= MAX_DAYS_BEFORE:
                raise forms.ValidationError(
                    f"{part!r} is not a number of days from 1 to {MAX_DAYS_BEFORE}."
                )
            days.append(int(part))
        return sorted(set(days), reverse=True)

    def apply(self, choices: ReminderChoices) -> None:
        data = self.cleaned_data
        choices.kinds_off = [k for k in KINDS if k not in data["kinds"]]
        choices.days_before = data["days_before"]
        choices.on_due_day = data["on_due_day"]
        choices.overdue_weekly = data["overdue_weekly"]
        choices.digest = data["digest"]
        choices.save()
