from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from accdesk.agency.forms import DateInput
from accdesk.agency.models import Agency
from accdesk.evidence.forms import members
from accdesk.personnel.models import Person
from accdesk.terminals.models import (
    Answer,
    CorrectiveAction,
    InspectionQuestion,
    KeyHolding,
    PhysicalReview,
    Site,
    SystemDocument,
    Terminal,
)
from accdesk.terminals.questions import STANDARD


class _AgencyForm(forms.ModelForm):
    """A ModelForm whose choices are the agency's own records."""

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            model = field.queryset.model
            if model is Person:
                field.queryset = Person.objects.filter(agency=agency)
            elif model is Site:
                field.queryset = Site.objects.filter(agency=agency)
            elif name == "owner":
                field.queryset = members(agency)
                field.label_from_instance = lambda user: user.display_name


def _past(form: forms.Form, name: str, today: dt.date) -> None:
    value = form.cleaned_data.get(name)
    if value and value > today:
        form.add_error(name, "This date is in the future.")


class SiteForm(_AgencyForm):
    class Meta:
        model = Site
        fields = [
            "name",
            "site_type",
            "address",
            "locks",
            "badge_access",
            "visitor_log",
            "escort_rules",
            "unescorted",
            "notes",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "escort_rules": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "unescorted": forms.SelectMultiple(attrs={"size": 8}),
        }

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        taken = Site.objects.filter(agency=self.agency, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another site has this name.")
        return name


class TerminalForm(_AgencyForm):
    class Meta:
        model = Terminal
        fields = [
            "terminal",
            "terminal_type",
            "site",
            "host",
            "public_view",
            "unit",
            "status",
            "retired_date",
        ]
        widgets = {"retired_date": DateInput()}

    def clean_terminal(self) -> str:
        terminal: str = self.cleaned_data["terminal"].strip().upper()
        taken = Terminal.objects.filter(agency=self.agency, terminal=terminal)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another terminal has this mnemonic.")
        return terminal

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        retired = data.get("retired_date")
        if data.get("status") == Terminal.Status.RETIRED and not retired:
            self.add_error("retired_date", "A retired terminal needs its retired date.")
        if data.get("status") == Terminal.Status.ACTIVE and retired:
            self.add_error("retired_date", "An active terminal has no retired date.")
        return data


class InventoryReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Reviewed on", widget=DateInput())
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. walked every site; two printers retired.",
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["reviewed_on"].initial = today

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _past(self, "reviewed_on", self.today)
        return data


class InspectionForm(forms.Form):
    """The checklist: one yes / no / n.a. answer and a note per question."""

    inspected_on = forms.DateField(label="Inspected on", widget=DateInput())
    inspector = forms.CharField(max_length=120)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        *args: Any,
        questions: list[InspectionQuestion],
        today: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.questions = questions
        self.fields["inspected_on"].initial = today
        for question in questions:
            self.fields[f"answer_{question.pk}"] = forms.ChoiceField(
                label=question.text,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                help_text=question.source,
                error_messages={"required": "Answer yes, no or n.a."},
            )
            self.fields[f"note_{question.pk}"] = forms.CharField(
                label="Note", required=False, max_length=500
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _past(self, "inspected_on", self.today)
        return data

    def rows(self) -> list[tuple[InspectionQuestion, Any, Any]]:
        return [
            (q, self[f"answer_{q.pk}"], self[f"note_{q.pk}"]) for q in self.questions
        ]


class CorrectiveActionForm(_AgencyForm):
    class Meta:
        model = CorrectiveAction
        fields = ["description", "owner", "due_date", "closed_on", "closing_note"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_date": DateInput(),
            "closed_on": DateInput(),
            "closing_note": forms.Textarea(attrs={"rows": 2}),
        }


class ReviewForm(_AgencyForm):
    class Meta:
        model = PhysicalReview
        fields = ["kind", "reviewed_on", "note"]
        widgets = {
            "reviewed_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        if self.instance.reviewed_on is None:
            self.initial["reviewed_on"] = today

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _past(self, "reviewed_on", self.today)
        return data


class KeyForm(_AgencyForm):
    class Meta:
        model = KeyHolding
        fields = ["person", "kind", "label", "site", "issued_on", "returned_on"]
        widgets = {"issued_on": DateInput(), "returned_on": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        issued, returned = data.get("issued_on"), data.get("returned_on")
        if issued and returned and returned < issued:
            self.add_error("returned_on", "It was returned before it was issued.")
        return data


class DocumentForm(_AgencyForm):
    class Meta:
        model = SystemDocument
        fields = [
            "kind",
            "title",
            "version",
            "effective_date",
            "reviewed_on",
            "next_review_date",
            "owner",
            "notes",
        ]
        widgets = {
            "effective_date": DateInput(),
            "reviewed_on": DateInput(),
            "next_review_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next_review_date"].required = False


class QuestionForm(_AgencyForm):
    class Meta:
        model = InspectionQuestion
        fields = ["code", "text", "source", "order", "active"]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip().lower()
        if code in {c for c, _, _ in STANDARD}:
            raise forms.ValidationError(f"{code} is a standard question already.")
        taken = InspectionQuestion.objects.filter(agency=self.agency, code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("The agency has a question with this code.")
        return code
