from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from accdesk.agency.forms import DateInput
from accdesk.agency.models import Agency
from accdesk.investigations.models import Finding, MisuseCase, Outcome, System
from accdesk.personnel.models import Person


class CaseFilterForm(forms.Form):
    """Which cases the list shows: open (the default), closed or all."""

    show = forms.ChoiceField(
        choices=[("open", "Open"), ("closed", "Closed"), ("all", "All")],
        required=False,
    )


class CaseForm(forms.ModelForm):
    """Open or edit a case. Closing has its own form; the closing date and action
    of a closed case can be corrected here."""

    systems = forms.MultipleChoiceField(
        label="Systems involved",
        choices=System.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Name at least one system involved."},
    )

    class Meta:
        model = MisuseCase
        fields = [
            "case_number",
            "opened_on",
            "closed_on",
            "source",
            "subject",
            "subject_description",
            "systems",
            "allegation",
            "finding",
            "action",
            "referred_for_prosecution",
        ]
        widgets = {
            "opened_on": DateInput(),
            "closed_on": DateInput(),
            "allegation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["subject"].queryset = Person.objects.filter(agency=agency)
        if self.instance.is_open:
            # An open case has no closing date and no action (see case_problems).
            del self.fields["closed_on"], self.fields["action"]
        else:
            self.fields["closed_on"].required = True
            self.fields["finding"].choices = _without_pending()
        if self.instance.pk is None:
            self.initial["opened_on"] = agency.today()

    def clean_case_number(self) -> str:
        number: str = self.cleaned_data["case_number"].strip()
        taken = MisuseCase.objects.filter(agency=self.agency, case_number=number)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another case has this number.")
        return number


def _without_pending() -> list[tuple[str, str]]:
    return [(v, label) for v, label in Finding.choices if v != Finding.PENDING]


class _DatedForm(forms.Form):
    """A form whose ``past_dates`` start at today and may not be in the future
    (today in the agency's time zone)."""

    past_dates: tuple[str, ...] = ()

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for name in self.past_dates:
            self.fields[name].initial = today

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in self.past_dates:
            if data.get(name) and data[name] > self.today:
                self.add_error(name, "This date is in the future.")
        return data


class CloseCaseForm(_DatedForm):
    past_dates = ("closed_on",)

    closed_on = forms.DateField(label="Closed on", widget=DateInput())
    finding = forms.ChoiceField(choices=_without_pending)
    action = forms.ChoiceField(
        label="Action taken", choices=[("", "---------"), *Outcome.choices]
    )
    referred_for_prosecution = forms.BooleanField(required=False)


class ReopenCaseForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the case is reopened (kept in the journal).",
    )


class NoteForm(_DatedForm):
    past_dates = ("written_on",)

    written_on = forms.DateField(label="Date", widget=DateInput())
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))


class ReportSentForm(_DatedForm):
    past_dates = ("sent_on",)

    sent_on = forms.DateField(label="Sent on", widget=DateInput())
    sent_how = forms.CharField(
        label="How",
        max_length=120,
        required=False,
        help_text="e.g. DOJ portal, email to CAS, letter",
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_sent_on(self) -> dt.date:
        sent_on: dt.date = self.cleaned_data["sent_on"]
        if sent_on.year <= self.year:
            raise forms.ValidationError(
                f"The report for {self.year} can be sent once the year is over, "
                f"from January 1, {self.year + 1}."
            )
        return sent_on
