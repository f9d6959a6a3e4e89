from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from accdesk.agency.forms import DateInput
from accdesk.agency.models import Agency
from accdesk.audits import questionnaires
from accdesk.audits.models import (
    Answer,
    Audit,
    CorrectiveAction,
    Finding,
    SampleItem,
    Status,
)
from accdesk.evidence.forms import members
from accdesk.validations.models import Database


class AuditForm(forms.ModelForm):
    databases = forms.MultipleChoiceField(
        label="Databases audited",
        choices=Database.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Audit
        fields = [
            "type",
            "title",
            "databases",
            "auditor",
            "auditor_agency",
            "questionnaire",
            "announced_date",
            "questionnaire_received",
            "onsite_start",
            "onsite_end",
            "preliminary_report",
            "final_report",
            "status",
            "notes",
        ]
        widgets = {
            name: DateInput()
            for name in (
                "announced_date",
                "questionnaire_received",
                "onsite_start",
                "onsite_end",
                "preliminary_report",
                "final_report",
            )
        } | {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = questionnaires.available(agency)
        # Closing goes through the rule (every finding closed): not a status pick.
        self.fields["status"].choices = [
            c for c in Status.choices if c[0] != Status.CLOSED
        ] + (
            [(Status.CLOSED, Status.CLOSED.label)]
            if self.instance.status == Status.CLOSED
            else []
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("type") != "database" and data.get("databases"):
            self.add_error("databases", "Only for a database audit.")
        pairs = (
            ("onsite_start", "onsite_end"),
            ("announced_date", "onsite_start"),
            ("onsite_start", "final_report"),
        )
        for first, then in pairs:
            if data.get(first) and data.get(then) and data[then] < data[first]:
                self.add_error(then, f"Before {self.fields[first].label.lower()}.")
        return data


class AnswerForm(forms.ModelForm):
    links = forms.CharField(
        label="Links to records",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: a label, a bar, and the page's address in ACC Desk, "
        "e.g. “Release log | /a/CA0000000/releases/”.",
    )

    class Meta:
        model = Answer
        fields = ["value", "note"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.initial.setdefault(
            "links",
            "\n".join(f"{x['label']} | {x['url']}" for x in self.instance.record_links),
        )

    def clean_links(self) -> list[dict[str, str]]:
        out = []
        prefix = f"/a/{self.agency.ori}/"
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), 1):
            if not line.strip():
                continue
            label, bar, url = line.partition("|")
            url = url.strip() if bar else label.strip()
            label = label.strip() if bar else url
            if not url.startswith(prefix):
                raise forms.ValidationError(
                    f"Line {number}: links go to this agency's pages ({prefix}...)."
                )
            out.append({"label": label[:120], "url": url[:300]})
        return out


class SampleForm(forms.Form):
    database = forms.ChoiceField(choices=Database.choices)
    size = forms.IntegerField(min_value=1, max_value=1000)
    seed = forms.CharField(
        max_length=64,
        required=False,
        help_text="Any text; blank for a new one. The same seed gives the same sample.",
    )

    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["size"].initial = settings.AUDIT_SAMPLE_SIZE
        if audit.databases:
            self.fields["database"].initial = audit.databases[0]


YES_NO = [("", "—"), ("yes", "Yes"), ("no", "No")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )


class SampleCheckForm(forms.Form):
    master_case = _yes_no("Master case record located")
    second_party = _yes_no("Second-party check done")
    validation_current = _yes_no("Validation current")
    accurate = _yes_no("Entry accurate")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def for_item(cls, item: SampleItem, data: Any = None) -> SampleCheckForm:
        initial = {
            n: {True: "yes", False: "no"}.get(getattr(item, n), "")
            for n in SampleItem.CHECKS
        }
        initial["note"] = item.note
        form = cls(data, initial=initial, prefix=f"item{item.pk}")
        # The table's cells have no <label>: name each control for screen readers.
        for name, field in form.fields.items():
            field.widget.attrs["aria-label"] = (
                f"{field.label or name.capitalize()}, record {item.record.record_id}"
            )
        return form


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["severity", "citation", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ActionForm(forms.ModelForm):
    class Meta:
        model = CorrectiveAction
        fields = ["description", "owner", "due_date", "status"]
        widgets = {
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members(agency)
        self.fields["owner"].label_from_instance = lambda user: user.display_name
        # Done goes through closing (closure evidence required).
        self.fields["status"].choices = [
            c
            for c in CorrectiveAction.State.choices
            if c[0] != CorrectiveAction.State.DONE
        ]


class CloseActionForm(forms.Form):
    closed_on = forms.DateField(label="Closed on", widget=DateInput())
    closure_note = forms.CharField(
        label="What was done", widget=forms.Textarea(attrs={"rows": 3})
    )


class QuestionnaireImportForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text="e.g. “CORI pre-audit questionnaire”. Importing again under the "
        "same title makes a new version.",
    )
    file = forms.FileField(help_text="CSV or .xlsx: section, number, question, source.")
