from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from accdesk.agency.forms import DateInput
from accdesk.agency.models import Agency
from accdesk.agreements.kinds import STANDARD
from accdesk.agreements.models import (
    Agreement,
    AgreementKind,
    Status,
    Topic,
    Vendor,
    kinds_for,
)

STANDARD_CODES = {spec["code"] for spec in STANDARD}


class AgreementForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label="Topics covered (user agreements, CJISSECPOL §5.1.1.3)",
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Agreement
        fields = [
            "reference",
            "kind",
            "party",
            "party_ori",
            "vendor",
            "employee_id",
            "signatory",
            "signatory_title",
            "signed_date",
            "effective_date",
            "expiry_date",
            "status",
            "topics",
            "notes",
        ]
        widgets = {
            "signed_date": DateInput(),
            "effective_date": DateInput(),
            "expiry_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["kind"].queryset = kinds_for(agency)
        self.fields["vendor"].queryset = Vendor.objects.filter(agency=agency)

    def clean_reference(self) -> str:
        reference: str = self.cleaned_data["reference"].strip()
        taken = Agreement.objects.filter(agency=self.agency, reference=reference)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another agreement has this reference.")
        return reference

    def clean_party_ori(self) -> str:
        return self.cleaned_data["party_ori"].strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind: AgreementKind | None = data.get("kind")
        if kind is not None:
            if kind.needs_party_ori and not data.get("party_ori"):
                self.add_error(
                    "party_ori", f"{kind.name} needs the other agency's ORI."
                )
            if kind.needs_vendor and not data.get("vendor"):
                self.add_error("vendor", f"{kind.name} needs a vendor.")
            if kind.per_employee and not data.get("employee_id"):
                self.add_error("employee_id", f"{kind.name} is signed per employee.")
        if data.get("status") != Status.DRAFT and not data.get("signed_date"):
            self.add_error(
                "signed_date", "A signed date is needed unless it is a draft."
            )
        expiry = data.get("expiry_date")
        for name in ("signed_date", "effective_date"):
            if expiry and data.get(name) and expiry < data[name]:
                self.add_error(
                    "expiry_date",
                    f"The expiry date is before the {self.fields[name].label.lower()}.",
                )
                break
        return data


class VendorForm(forms.ModelForm):
    class Meta:
        model = Vendor
        fields = ["name", "private", "contact", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        taken = Vendor.objects.filter(agency=self.agency, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another vendor has this name.")
        return name


class KindForm(forms.ModelForm):
    class Meta:
        model = AgreementKind
        fields = [
            "code",
            "name",
            "form_number",
            "citation",
            "user_agreement",
            "needs_party_ori",
            "needs_vendor",
            "per_employee",
        ]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip().lower()
        if code in STANDARD_CODES:
            raise forms.ValidationError(f"{code} is a standard kind already.")
        taken = AgreementKind.objects.filter(Q(agency=self.agency), code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("The agency has a kind with this code.")
        return code


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label="Reference, party or signatory", required=False)
    kind = forms.ChoiceField(required=False)
    status = forms.ChoiceField(
        label="Status today",
        choices=[("", "Any"), *Status.choices],
        required=False,
    )
    vendor = forms.ChoiceField(required=False)
    due = forms.ChoiceField(
        label="Expiry",
        choices=[
            ("", "Any"),
            ("expired", "Expired"),
            ("30", "Expiring within 30 days"),
            ("90", "Expiring within 90 days"),
        ],
        required=False,
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Any")] + [
            (k.code, str(k)) for k in kinds_for(agency)
        ]
        self.fields["vendor"].choices = [("", "Any")] + [
            (str(v.pk), v.name) for v in Vendor.objects.filter(agency=agency)
        ]
