from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from accdesk.access.models import User
from accdesk.agency.forms import DateInput
from accdesk.agency.models import Agency
from accdesk.evidence import contents
from accdesk.evidence.models import EvidenceFile, Kind


def members(agency: Agency) -> Any:
    return User.objects.filter(memberships__agency=agency, is_active=True).order_by(
        "email"
    )


class EvidenceForm(forms.Form):
    """Upload a file (or a new version of one) as evidence for a record."""

    file = forms.FileField(
        help_text="PDF, an image, an Office document or plain text; its type is "
        "checked from its contents."
    )
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.SIGNED_COPY)
    effective_date = forms.DateField(
        widget=DateInput(),
        help_text="When the document took effect (signed, approved, taken).",
    )
    expiry_date = forms.DateField(
        widget=DateInput(), required=False, help_text="Blank if it does not expire."
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        help_text="The member who keeps this document current.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(
        self,
        *args: Any,
        agency: Agency,
        owner: Any,
        previous: EvidenceFile | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members(agency)
        self.fields["owner"].label_from_instance = lambda user: user.display_name
        self.fields["file"].widget.attrs["accept"] = ",".join(
            "." + ext for ext in contents.accepted_extensions()
        )
        self.initial.setdefault("effective_date", agency.today())
        self.initial.setdefault("owner", owner)
        if previous is not None:
            self.initial.update(
                title=previous.title,
                kind=previous.kind,
                owner=previous.owner_id,
                notes=previous.notes,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        effective: dt.date | None = data.get("effective_date")
        expiry: dt.date | None = data.get("expiry_date")
        if effective and expiry and expiry < effective:
            self.add_error(
                "expiry_date", "The expiry date is before the effective date."
            )
        return data


class SupersedeForm(forms.Form):
    note = forms.CharField(
        label="Why",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. withdrawn, replaced on paper, filed in error (kept with "
        "the file).",
    )
