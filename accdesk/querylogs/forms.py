"""Forms of the query-log pages: input validators, no model saving magic."""

from __future__ import annotations

import datetime as dt
import secrets

from django import forms

from accdesk.lib.listing import DateFilter
from accdesk.querylogs import duck
from accdesk.querylogs.models import AuditRules, AuditSample, Lead
from accdesk.querylogs.rules import RULES, parse_list


class PeriodForm(forms.Form):
    date_from = DateFilter(label="From")
    date_to = DateFilter(label="To")

    def period(
        self, today: dt.date, default: tuple[dt.date, dt.date] | None = None
    ) -> tuple[dt.date, dt.date]:
        """The chosen days; when none is chosen, ``default`` if given, else the
        twelve calendar months up to today."""
        data = self.cleaned_data if self.is_valid() else {}
        if default and not data.get("date_from") and not data.get("date_to"):
            return default
        end = data.get("date_to") or today
        months_back = end.year * 12 + end.month - 1 - 11
        default_start = dt.date(months_back // 12, months_back % 12 + 1, 1)
        start = data.get("date_from") or default_start
        return (start, end) if start <= end else (end, start)


class FindingFilterForm(PeriodForm):
    rule = forms.ChoiceField(
        required=False, choices=[("", "Any rule")] + [(r, r) for r in RULES]
    )
    operator = forms.CharField(required=False, max_length=40)


class LeadFilterForm(PeriodForm):
    rule = forms.ChoiceField(
        required=False,
        choices=[("", "Any lead")]
        + [(name, name) for name, rule in RULES.items() if rule.severity == "lead"],
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), ("new", "New"), *Lead.Status.choices],
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Log file",
        help_text="CSV with a header row (gzip accepted; UTF-8, UTF-16 or "
        "Windows-1252).",
    )
    skip_bad_rows = forms.BooleanField(
        label="Skip unreadable rows",
        required=False,
        help_text="Store the readable rows and record how many were skipped. Off: "
        "a file with an unreadable row is refused whole and nothing is stored.",
    )


class AuditSetForm(forms.Form):
    date_from = forms.DateField(label="From")
    date_to = forms.DateField(label="To")
    size = forms.IntegerField(
        label="Inquiries", min_value=1, max_value=1000, initial=50
    )
    seed = forms.CharField(
        required=False,
        max_length=64,
        help_text="Any text. The same seed and period give the same sample; "
        "leave blank for a random one (it is recorded).",
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("date_from") and data.get("date_to"):
            if data["date_to"] < data["date_from"]:
                self.add_error("date_to", "The end is before the start.")
        data["seed"] = (data.get("seed") or "").strip() or secrets.token_hex(8)
        return data


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(choices=AuditSample.Disposition.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LeadActionForm(forms.Form):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why: kept in the change record as part of the lead.",
    )


class RulesForm(forms.ModelForm):
    class Meta:
        model = AuditRules
        fields = [*AuditRules.LIST_FIELDS, "repeat_operators", "repeat_hours"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4}) for name in AuditRules.LIST_FIELDS
        }

    def _patterns(self, name: str) -> str:
        text = self.cleaned_data.get(name, "")
        for pattern in parse_list(text):
            if problem := duck.check_regex(pattern):
                raise forms.ValidationError(f"{pattern!r}: {problem}")
        return text

    def clean_requester_patterns(self) -> str:
        return self._patterns("requester_patterns")

    def clean_case_patterns(self) -> str:
        return self._patterns("case_patterns")

    def clean_chri_keys(self) -> str:
        text = self.cleaned_data.get("chri_keys", "")
        bad = [k for k in parse_list(text) if not k.isalnum()]
        if bad:
            raise forms.ValidationError(
                f"Message keys are letters and digits only: {', '.join(bad)}"
            )
        return text
