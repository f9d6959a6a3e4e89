from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from accdesk.agency.forms import DateInput
from accdesk.personnel.eligibility import REASONS, STATUSES
from accdesk.personnel.models import PolicySetting, RoleLevel
from accdesk.personnel.policy import BASELINE, BOUNDS, date_to_number, refusal


class _PastDateForm(forms.Form):
    """A form whose ``on`` date may not be in the future (the agency's today)."""

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["on"].initial = today

    def clean_on(self) -> dt.date:
        on: dt.date = self.cleaned_data["on"]
        if on > self.today:
            raise forms.ValidationError("This date cannot be in the future.")
        return on


class DeactivateForm(_PastDateForm):
    on = forms.DateField(
        label="Deactivated in CLETS on",
        widget=DateInput(),
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. how it was done, ticket number",
    )

    def __init__(
        self,
        *args: Any,
        created: dt.date,
        newest: str = "The account",
        **kwargs: Any,
    ) -> None:
        """``created``: the creation date of the (newest) account marked;
        ``newest``: which account that is, for the message."""
        super().__init__(*args, **kwargs)
        self.created = created
        self.newest = newest

    def clean_on(self) -> dt.date:
        on = super().clean_on()
        if on < self.created:
            raise forms.ValidationError(
                f"{self.newest} was only created on {self.created:%Y-%m-%d}."
            )
        return on


class RevokeForm(_PastDateForm):
    on = forms.DateField(label="Access revoked on", widget=DateInput())
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why access was revoked (kept with the person's record).",
    )


class ApprovalForm(_PastDateForm):
    """The agency head's approval of background checks (CJISSECPOL v5.9.5 §5.12;
    CLETS PPP 1.9.2: "completed and approved by the agency head")."""

    approved_by = forms.CharField(
        label="Approved by", max_length=120, help_text="The agency head's name."
    )
    on = forms.DateField(label="Approved on", widget=DateInput())

    def __init__(self, *args: Any, decided: dt.date | None, **kwargs: Any) -> None:
        """``decided``: the latest decision date among the checks approved."""
        super().__init__(*args, **kwargs)
        self.decided = decided

    def clean_on(self) -> dt.date:
        on = super().clean_on()
        if self.decided is not None and on < self.decided:
            raise forms.ValidationError(
                f"A selected check was only decided on {self.decided:%Y-%m-%d}."
            )
        return on


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [("", "Any"), *((v, v.replace("_", " ")) for v in values)]


class RosterFilterForm(forms.Form):
    """The roster's filters; every field optional."""

    q = forms.CharField(label="Name or ID", required=False, max_length=100)
    status = forms.ChoiceField(choices=_choices(STATUSES), required=False)
    reason = forms.ChoiceField(choices=_choices(REASONS), required=False)
    role_level = forms.ChoiceField(
        label="Role level",
        choices=[("", "Any"), ("none", "None (no CJI access)"), *RoleLevel.choices],
        required=False,
    )
    supervisor = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, supervisors: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].choices = [("", "Any"), *supervisors]


class WorklistFilterForm(forms.Form):
    """The worklist's filters (its as-of date is read apart: a bad one shows
    today, with a message)."""

    q = forms.CharField(label="Name or ID", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Action",
        choices=[
            ("", "Any"),
            ("must_deactivate", "deactivate"),
            ("remediate", "remediate"),
        ],
        required=False,
    )
    reason = forms.ChoiceField(choices=_choices(REASONS), required=False)


class ExpiringForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Within",
        choices=[(30, "30 days"), (60, "60 days"), (90, "90 days")],
        coerce=int,
        required=False,
    )


class PolicySettingForm(forms.ModelForm):
    # A number, or for a date value (``training_before_access_from``) a date.
    value = forms.CharField(
        max_length=10, help_text="A number; for a date: YYYY-MM-DD."
    )

    class Meta:
        model = PolicySetting
        fields = ["name", "value", "effective_from", "citation", "note"]
        widgets = {
            "effective_from": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"name": "Policy value"}
        help_texts = {
            "effective_from": "In force from this date until a later version; the "
            "baseline applies before the first version.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [
            (name, f"{b.label} ({b.unit})")
            for name, b in BASELINE.items()
            if not (name in BOUNDS and BOUNDS[name].superseded_by)
        ]

    def clean(self) -> dict[str, Any]:
        """A value within the policy's bounds (issue 12 §1.10): refused with the
        citation otherwise."""
        data = super().clean()
        name, text = data.get("name"), (data.get("value") or "").strip()
        if not name or not text:
            return data
        try:
            if BASELINE[name].unit == "date":
                value = date_to_number(dt.date.fromisoformat(text))
            else:
                value = int(text)
                if value < 0 or (BASELINE[name].unit == "percent" and value > 100):
                    raise ValueError(text)
        except ValueError:
            self.add_error(
                "value", "Not a whole number (a percent up to 100; a date YYYY-MM-DD)."
            )
            return data
        why = refusal(name, value, data.get("note") or "")
        if why:
            self.add_error("value", why)
        data["value"] = value
        return data
