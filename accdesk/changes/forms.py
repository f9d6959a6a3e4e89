from __future__ import annotations

import datetime as dt

from django import forms

from accdesk.agency.forms import DateInput
from accdesk.core.models import ChangeRecord
from accdesk.lib.listing import DateFilter


class ChangeSearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Who, what, or any word"}),
    )
    action = forms.ChoiceField(
        required=False, choices=[("", "Any action"), *ChangeRecord.Action.choices]
    )
    date_from = DateFilter(label="From")
    date_to = DateFilter(label="To")


class ReviewForm(forms.Form):
    """One review of the change record: whole weeks, Monday to Sunday, ended."""

    period_start = forms.DateField(
        label="From (a Monday)", widget=DateInput(), help_text="The first day reviewed."
    )
    period_end = forms.DateField(
        label="To (a Sunday)", widget=DateInput(), help_text="The last day reviewed."
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you looked at and anything found. No personal identifiers.",
    )

    def __init__(self, *args: object, today: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, object]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and start.weekday() != 0:
            self.add_error("period_start", "A review period starts on a Monday.")
        if end and end.weekday() != 6:
            self.add_error("period_end", "A review period ends on a Sunday.")
        if start and end and end < start:
            self.add_error("period_end", "The period ends before it starts.")
        if end and end > self.today:
            self.add_error("period_end", "A week can be reviewed once it has ended.")
        return data
