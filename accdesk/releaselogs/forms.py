from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from accdesk.agency.forms import DateInput
from accdesk.agency.models import normalize_ori
from accdesk.lib.listing import DateFilter
from accdesk.releaselogs.models import Method, ReleaseLogEntry

# Fields the quick form remembers between entries (per agency, in the session):
# a clerk usually logs several releases to the same requesting agency in a row.
REMEMBERED = (
    "requesting_agency",
    "requesting_ori",
    "requesting_terminal",
    "receiving_terminal",
    "method",
    "released_by",
)
# A clock a few minutes fast must not make "now" look like the future.
CLOCK_SKEW = dt.timedelta(minutes=5)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EntryForm(forms.ModelForm):
    """The quick-entry form, in the order a clerk fills it in: who asked, what
    they got and why, how and when it went. ``list`` attributes point at
    ``<datalist>`` suggestions on the page."""

    class Meta:
        model = ReleaseLogEntry
        fields = [
            "requesting_agency",
            "requesting_ori",
            "requestor_name",
            "case_number",
            "information",
            "purpose",
            "method",
            "receiving_terminal",
            "requesting_terminal",
            "released_at",
            "released_by",
        ]
        widgets = {
            "requesting_agency": forms.TextInput(attrs={"list": "known-agencies"}),
            "requesting_ori": forms.TextInput(
                attrs={"autocapitalize": "characters", "size": 9}
            ),
            "information": forms.Textarea(attrs={"rows": 2}),
            "released_at": DateTimeLocalInput(),
            "released_by": forms.TextInput(attrs={"list": "roster-names"}),
        }

    def __init__(
        self, *args: Any, focus: str = "requesting_agency", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [("", "—"), *Method.choices]
        if not self.is_bound:
            self.fields[focus].widget.attrs["autofocus"] = True

    def clean_requesting_ori(self) -> str:
        return normalize_ori(self.cleaned_data["requesting_ori"])

    def clean_information(self) -> str:
        # Browsers send CRLF: store one kind of line break.
        return "\n".join(self.cleaned_data["information"].splitlines()).strip()

    def clean_released_at(self) -> dt.datetime:
        released_at: dt.datetime = self.cleaned_data["released_at"]
        if released_at > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError("The release cannot be in the future.")
        return released_at

    def remembered(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in REMEMBERED}


class CorrectionForm(EntryForm):
    """A correction repeats the entry with the corrected values, and says why."""

    class Meta(EntryForm.Meta):
        fields = [*EntryForm.Meta.fields, "correction_reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, focus="correction_reason", **kwargs)
        self.fields["correction_reason"].required = True
        self.order_fields(["correction_reason"])


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Requestor, agency, ORI, terminal, information, case number",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    method = forms.ChoiceField(
        required=False, choices=[("", "Any method"), *Method.choices]
    )
    released_from = DateFilter(label="From")
    released_to = DateFilter(label="To")


class RangeForm(forms.Form):
    """The release dates an inspection export covers (inclusive)."""

    released_from = forms.DateField(label="Released from", widget=DateInput())
    released_to = forms.DateField(label="to", widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("released_from"), data.get("released_to")
        if first and last and first > last:
            raise forms.ValidationError("The first date is after the last.")
        return data
