from __future__ import annotations

from django import forms

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
