from __future__ import annotations

from django import forms

from accdesk.agency.forms import DateInput
from accdesk.core.models import ChangeRecord


class ChangeSearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Who, what, or any word"}),
    )
    action = forms.ChoiceField(
        required=False, choices=[("", "Any action"), *ChangeRecord.Action.choices]
    )
    date_from = forms.DateField(label="From", required=False, widget=DateInput())
    date_to = forms.DateField(label="To", required=False, widget=DateInput())
