from __future__ import annotations

from typing import Any

from django import forms

from accdesk.agency.forms import DateInput
from accdesk.agency.models import Agency
from accdesk.evidence.forms import members
from accdesk.releaselogs.forms import DateTimeLocalInput
from accdesk.validations import rules
from accdesk.validations.models import (
    SOURCES,
    Database,
    EntryCheck,
    HitConfirmation,
    ListedRecord,
    OriValidation,
)

YES_NO = [("", "—"), ("yes", "Yes"), ("no", "No")]


class ValidationForm(forms.ModelForm):
    """What was done to validate one listed record (brief §3.3)."""

    sources = forms.MultipleChoiceField(
        label="Sources consulted",
        choices=SOURCES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    master_case_located = forms.TypedChoiceField(
        label="Master case record located",
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
        help_text="No: the record must be cancelled (CJIS Manual §2.3.1(G)); a "
        "finding is opened.",
    )

    class Meta:
        model = ListedRecord
        fields = [
            "sources",
            "contact_notes",
            "result",
            "master_case_located",
            "validated_by",
            "validated_on",
            "second_party_by",
            "second_party_on",
        ]
        widgets = {
            "validated_on": DateInput(),
            "second_party_on": DateInput(),
            "contact_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.master_case_located is not None:
            self.initial["master_case_located"] = (
                "yes" if self.instance.master_case_located else "no"
            )
        for name in ("validated_by", "second_party_by"):
            self.fields[name].queryset = members(agency)
            self.fields[name].label_from_instance = lambda user: user.display_name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rules.check_second_party(data.get("validated_by"), data.get("second_party_by"))
        if data.get("validated_on"):
            for name in ("validated_by", "result"):
                if not data.get(name):
                    self.add_error(name, "Required once the record is validated.")
            if data.get("master_case_located") is None:
                self.add_error(
                    "master_case_located", "Say whether the master case was located."
                )
        if data.get("second_party_on") and not data.get("second_party_by"):
            self.add_error("second_party_by", "Who made the second-party check?")
        if data.get("second_party_by") and not data.get("second_party_on"):
            self.add_error("second_party_on", "When was the check made?")
        if data.get("second_party_on") and not data.get("validated_on"):
            self.add_error("second_party_on", "The record is not validated yet.")
        return data


class ListFilterForm(forms.Form):
    database = forms.ChoiceField(
        choices=[("", "All databases"), *Database.choices], required=False
    )


class EntryCheckForm(forms.ModelForm):
    class Meta:
        model = EntryCheck
        fields = [
            "database",
            "record_id",
            "kind",
            "needed_on",
            "done_on",
            "done_by",
            "second_party_by",
            "second_party_on",
        ]
        widgets = {
            "needed_on": DateInput(),
            "done_on": DateInput(),
            "second_party_on": DateInput(),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        done, checker = data.get("done_by", ""), data.get("second_party_by", "")
        if done and checker and done.strip().casefold() == checker.strip().casefold():
            self.add_error(
                "second_party_by",
                "The second-party check must be made by another person.",
            )
        if data.get("kind") == EntryCheck.Kind.ENTRY and data.get("needed_on"):
            self.add_error("needed_on", "Only for an update.")
        return data


class HitForm(forms.ModelForm):
    class Meta:
        model = HitConfirmation
        fields = [
            "database",
            "record_id",
            "requesting_ori",
            "priority",
            "requested_at",
            "responded_at",
            "responded_by",
        ]
        widgets = {
            "requested_at": DateTimeLocalInput(),
            "responded_at": DateTimeLocalInput(),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        asked, answered = data.get("requested_at"), data.get("responded_at")
        if asked and answered and answered < asked:
            self.add_error("responded_at", "The answer is before the request.")
        return data


class OriValidationForm(forms.ModelForm):
    class Meta:
        model = OriValidation
        fields = [
            "validated_on",
            "name",
            "address",
            "phone",
            "agency_head",
            "ori_type",
            "notes",
        ]
        widgets = {
            "validated_on": DateInput(),
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
