from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accdesk.agency.models import (
    Agency,
    Designation,
    Membership,
    normalize_ori,
    validate_ori,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProfileForm(forms.ModelForm):
    effective_on = forms.DateField(
        widget=DateInput(),
        help_text="When the change takes effect (used on the notice to DOJ).",
    )

    class Meta:
        model = Agency
        fields = [
            "name",
            "address",
            "phone",
            "county",
            "agency_type",
            "ori_access",
            "time_zone",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = today

    def clean_address(self) -> str:
        # Browsers send CRLF; a resubmitted, unchanged address must compare equal.
        lines = self.cleaned_data["address"].splitlines()
        return "\n".join(line.strip() for line in lines).strip()


class DesignationForm(forms.Form):
    name = forms.CharField(max_length=120)
    title = forms.CharField(max_length=120, required=False)
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    effective_on = forms.DateField(widget=DateInput())

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = today


class DesignationKindForm(DesignationForm):
    kind = forms.ChoiceField(label="Role", choices=Designation.Kind.choices)
    field_order = ["kind", "name", "title", "phone", "email", "effective_on"]


class DesignationDetailsForm(forms.ModelForm):
    """Correct contact details; a different person is a new designation."""

    class Meta:
        model = Designation
        fields = ["title", "phone", "email"]


class NoticeSentForm(forms.Form):
    sent_on = forms.DateField(label="Sent on", widget=DateInput())
    sent_how = forms.CharField(
        label="How",
        max_length=120,
        required=False,
        help_text="e.g. email to CAS and field representative",
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["sent_on"].initial = today

    def clean_sent_on(self) -> dt.date:
        sent_on: dt.date = self.cleaned_data["sent_on"]
        if sent_on > self.today:
            raise forms.ValidationError("The date it was sent cannot be in the future.")
        return sent_on


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "expires_on", "employee_id"]
        widgets = {"expires_on": DateInput()}


class OwnCodeField(forms.CharField):
    """The acting ACC's own 6-digit code (or a recovery code), asked again before
    a change to someone else's access."""

    def __init__(self, label: str = "Your code", **kwargs: Any) -> None:
        super().__init__(
            label=label,
            max_length=32,
            help_text="The 6-digit code from your own authenticator app: "
            "changes to someone's access need it again.",
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "one-time-code",
                    "inputmode": "numeric",
                    "spellcheck": "false",
                }
            ),
            **kwargs,
        )


class ChangeMemberForm(MembershipForm):
    code = OwnCodeField()


class MemberActionForm(forms.Form):
    """Reset the password or the second factor, suspend, reactivate or remove."""

    ACTIONS = (
        "reset_password",
        "reset_mfa",
        "suspend",
        "reactivate",
        "remove",
    )
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    code = OwnCodeField(label="Your code, to confirm the action")


class NewMemberForm(MembershipForm):
    email = forms.EmailField()
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    field_order = [
        "email",
        "first_name",
        "last_name",
        "role",
        "expires_on",
        "employee_id",
    ]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class AdditionalOrisForm(forms.Form):
    """The agency's additional ORIs, one a line (sub-ORIs it answers for)."""

    oris = forms.CharField(
        label="Additional ORIs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One ORI a line, e.g. CA0190001. Query-log rows may carry the "
        "agency's ORI or one of these; any other ORI refuses the file.",
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["oris"].initial = "\n".join(agency.additional_oris)

    def clean_oris(self) -> list[str]:
        found: list[str] = []
        for line in self.cleaned_data["oris"].replace(",", "\n").splitlines():
            ori = normalize_ori(line)
            if not ori:
                continue
            try:
                validate_ori(ori)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from None
            if ori == self.agency.ori:
                raise forms.ValidationError(
                    f"{ori} is the agency's own ORI: list only the others."
                )
            if ori not in found:
                found.append(ori)
        return found
