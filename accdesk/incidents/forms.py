"""Forms of the incidents app. Times are typed in the agency's time zone (the views
run with it active, ``agency_view``) and stored in UTC; a time that does not exist
or happens twice on a daylight-saving change is refused by Django's form field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from accdesk.access.models import User
from accdesk.agency.forms import DateInput
from accdesk.agency.models import Agency, Designation
from accdesk.incidents.models import (
    ActionPhase,
    Incident,
    PlanTest,
    ResponsePlan,
    Status,
)
from accdesk.investigations.models import MisuseCase
from accdesk.personnel.models import Person
from accdesk.releaselogs.forms import CLOCK_SKEW, DateTimeLocalInput

TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M"]


def moment(label: str, *, required: bool = True, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeLocalInput(),
        input_formats=TIME_FORMATS,
        **kwargs,
    )


def _not_future(form: forms.Form, *names: str) -> None:
    limit = timezone.now() + CLOCK_SKEW
    for name in names:
        value = form.cleaned_data.get(name)
        if value is not None and value > limit:
            form.add_error(name, "This time is in the future.")


def _agency_people(agency: Agency) -> Any:
    return Person.objects.filter(agency=agency).exclude(employment_status="separated")


# "True"/"False": what a stored boolean renders as, so an edit shows the choice.
YES_NO_UNKNOWN = [("", "Unknown"), ("True", "Yes"), ("False", "No")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_UNKNOWN,
        required=False,
        coerce=lambda v: v == "True",
        empty_value=None,
    )


class IncidentForm(forms.ModelForm):
    """Report an incident, or correct what was reported (CJIS-016 fields)."""

    discovered_at = moment("Discovered")
    reported_internally_at = moment(
        "Reported internally",
        required=False,
        help_text="When it reached the agency's incident response (ACC/SPOC).",
    )
    breach_known_at = moment(
        "Breach confirmed or believed",
        required=False,
        help_text="For a breach: DOJ is told immediately from this moment.",
    )
    encrypted = _yes_no("Device or drive encrypted")

    class Meta:
        model = Incident
        fields = [
            "incident_type",
            "phase",
            "discovered_at",
            "reported_internally_at",
            "confirmed",
            "breach",
            "breach_known_at",
            "reporter_name",
            "reporter_title",
            "reporter_phone",
            "reporter_email",
            "contact_name",
            "contact_title",
            "contact_phone",
            "contact_email",
            "locations",
            "systems_affected",
            "data_affected",
            "cji_involved",
            "pii_involved",
            "encrypted",
            "detection_method",
            "description",
            "cause",
            "policies_applied",
            "named_members",
        ]
        widgets = {
            "systems_affected": forms.Textarea(attrs={"rows": 2}),
            "data_affected": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "cause": forms.Textarea(attrs={"rows": 2}),
            "policies_applied": forms.Textarea(attrs={"rows": 2}),
            "named_members": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The ACC and SPOC see every incident; name others who must see it.
        self.fields["named_members"].queryset = User.objects.filter(
            memberships__agency=agency
        ).exclude(memberships__agency=agency, memberships__role__in=("acc", "spoc"))
        self.fields[
            "named_members"
        ].help_text = (
            "The ACC and SPOC see every incident; other members only if named here."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _not_future(self, "discovered_at", "reported_internally_at", "breach_known_at")
        found = data.get("discovered_at")
        for name in ("reported_internally_at", "breach_known_at"):
            value = data.get(name)
            if found and value and value < found:
                self.add_error(name, "This is before the discovery.")
        if data.get("breach") and not data.get("breach_known_at"):
            self.add_error(
                "breach_known_at", "Say when the breach was confirmed or believed."
            )
        if not data.get("breach"):
            data["breach_known_at"] = None
        return data


class ActionForm(forms.Form):
    taken_at = moment("When")
    phase = forms.ChoiceField(choices=ActionPhase.choices)
    text = forms.CharField(label="What was done", widget=forms.Textarea({"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _not_future(self, "taken_at")
        return data


HOW = [
    ("phone and e-mail", "Phone and e-mail"),
    ("phone and fax", "Phone and fax"),
    ("e-mail", "E-mail"),
    ("fax", "Fax"),
]


class DojNoticeForm(forms.Form):
    """Record that DOJ was told: when, how and to whom (CA DOJ MOU, Exhibit E)."""

    notified_at = moment("DOJ notified at")
    how = forms.ChoiceField(label="How", choices=HOW)
    recipients = forms.MultipleChoiceField(
        label="To whom",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_recipient = forms.CharField(
        label="Someone else at DOJ", required=False, max_length=200
    )

    def __init__(self, *args: Any, incident: Incident, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.incident = incident
        holders = {
            d.kind: d
            for d in incident.agency.designations.filter(
                kind__in=Designation.DOJ_INCIDENT_CONTACTS, ends_on__isnull=True
            )
        }
        self.fields["recipients"].choices = [
            (
                kind,
                f"{Designation.Kind(kind).label}: {holders[kind].name}"
                if kind in holders
                else f"{Designation.Kind(kind).label} (not on the agency profile)",
            )
            for kind in Designation.DOJ_INCIDENT_CONTACTS
        ]
        self.holders = holders

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _not_future(self, "notified_at")
        at = data.get("notified_at")
        if at and at < self.incident.discovered_at:
            self.add_error("notified_at", "This is before the discovery.")
        if not data.get("recipients") and not data.get("other_recipient"):
            self.add_error("recipients", "Say whom at DOJ you told.")
        if self.incident.breach and not str(data.get("how", "")).startswith("phone"):
            # CA DOJ MOU, Exhibit E: a breach is reported by phone plus e-mail or fax.
            self.add_error("how", "A breach is reported by phone, plus e-mail or fax.")
        return data

    def recipients_text(self) -> str:
        lines = []
        for kind in self.cleaned_data["recipients"]:
            holder = self.holders.get(kind)
            label = Designation.Kind(kind).label
            lines.append(f"{label}: {holder.name}" if holder else label)
        if self.cleaned_data["other_recipient"]:
            lines.append(self.cleaned_data["other_recipient"])
        return "\n".join(lines)


class BreachDecisionForm(forms.ModelForm):
    """IR-8(1): whether the individuals must be notified, and why."""

    notify_individuals = forms.TypedChoiceField(
        label="Must the individuals be notified?",
        choices=[("True", "Yes"), ("False", "No")],
        coerce=lambda v: v == "True",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Incident
        fields = [
            "notify_individuals",
            "harm_assessment",
            "rules_applied",
            "decided_on",
            "decided_by",
        ]
        widgets = {
            "harm_assessment": forms.Textarea(attrs={"rows": 3}),
            "rules_applied": forms.Textarea(attrs={"rows": 2}),
            "decided_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("harm_assessment", "decided_on", "decided_by"):
            self.fields[name].required = True


class CloseForm(forms.Form):
    """Close an incident (or record that it was not one), with its resolution,
    lessons learned, and who needs training within 30 days (AT-2)."""

    status = forms.ChoiceField(
        label="Outcome",
        choices=[(Status.CLOSED, "Resolved"), (Status.NOT_INCIDENT, "Not an incident")],
    )
    closed_at = moment("Closed at")
    resolution = forms.CharField(widget=forms.Textarea({"rows": 3}))
    lessons_learned = forms.CharField(
        widget=forms.Textarea({"rows": 3}), required=False
    )
    needs_training = forms.ModelMultipleChoiceField(
        label="People needing training",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each gets a worklist item, due 30 days after the discovery, "
        "cleared by a training record after the incident date.",
    )

    def __init__(self, *args: Any, incident: Incident, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.fields["needs_training"].queryset = _agency_people(incident.agency)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _not_future(self, "closed_at")
        at = data.get("closed_at")
        if at and at < self.incident.discovered_at:
            self.add_error("closed_at", "This is before the discovery.")
        return data


class LinkCaseForm(forms.Form):
    misuse_case = forms.ModelChoiceField(
        label="Misuse case", queryset=MisuseCase.objects.none()
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["misuse_case"].queryset = MisuseCase.objects.filter(agency=agency)


class PlanForm(forms.ModelForm):
    """A new version of the plan; its document is added as an evidence file."""

    class Meta:
        model = ResponsePlan
        fields = [
            "version",
            "summary",
            "breach_annex",
            "distribution_members",
            "distribution_people",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "breach_annex": forms.Textarea(attrs={"rows": 4}),
            "distribution_members": forms.CheckboxSelectMultiple,
            "distribution_people": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.fields["distribution_members"].queryset = User.objects.filter(
            memberships__agency=agency
        ).order_by("email")
        self.fields["distribution_people"].queryset = _agency_people(agency).filter(
            ir_role=True
        )
        self.fields["distribution_people"].help_text = (
            "People in an incident-response role (set on the IR team page) who "
            "are not members: their acknowledgement is recorded by hand."
        )


class ApproveForm(forms.Form):
    approved_by = forms.CharField(
        label="Approved by", max_length=120, help_text="The agency head."
    )
    approved_on = forms.DateField(label="Approved on", widget=DateInput())

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_approved_on(self) -> dt.date:
        day = self.cleaned_data["approved_on"]
        if day > self.today:
            raise forms.ValidationError("This date is in the future.")
        return day


class PlanTestForm(forms.ModelForm):
    class Meta:
        model = PlanTest
        fields = ["tested_on", "kind", "participants", "lessons"]
        widgets = {
            "tested_on": DateInput(),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "lessons": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_tested_on(self) -> dt.date:
        day = self.cleaned_data["tested_on"]
        if day > self.today:
            raise forms.ValidationError("This date is in the future.")
        return day


class TeamForm(forms.Form):
    """Who holds an incident-response role (IR-2 training applies to them)."""

    people = forms.ModelMultipleChoiceField(
        label="People in an incident-response role",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = _agency_people(agency)
